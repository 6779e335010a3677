"""The report at the end of an import: what came in, what waits as a draft and why, and what could not be mapped."""

from __future__ import annotations

from sitegen.importers.wordpress import Report
from sitegen.messages import _

SHOWN = 20  # lines of a list before "… and N more"


def render(report: Report, dry_run: bool) -> str:
    """The report as text for the terminal, in the reader's language."""
    out = [_("Imported {posts} posts, {pages} pages and {comments} comments.", posts=report.posts, pages=report.pages,
             comments=report.comments)]
    if dry_run:
        out.append(_("Dry run: nothing was written. {written} files would be written, {unchanged} are as they would be, "
                     "{kept} differ and would be kept.", written=len(report.written), unchanged=len(report.unchanged),
                     kept=len(report.kept)))
    else:
        out.append(_("{written} files written, {unchanged} unchanged, {kept} kept as they were.", written=len(report.written),
                     unchanged=len(report.unchanged), kept=len(report.kept)))
    _section(out, _("Would be written:") if dry_run else None, report.written, every=True)
    _section(out, _("Kept, because they differ from what the import would write (run with --force to overwrite them):"),
             report.kept)
    _section(out, _("Written as drafts (draft: true), to finish before publishing:"),
             [f"{rel}: {why}" for rel, why in report.drafts])
    _section(out, _("Uploads not found (run again with --uploads FOLDER, the blog's wp-content/uploads):"),
             [f"{rel}: {url}" for rel, url in report.missing])
    _section(out, _("Uploads attached to a post but shown nowhere in it, not copied (so nothing a writer left out is published):"),
             [f"{rel}: {path}" for rel, path in report.unshown])
    _section(out, _("Pictures on other sites, now links (pages show only the site's own pictures):"),
             [f"{rel}: {url}" for rel, url in report.external])
    _section(out, _("Shortcodes kept as text:"),
             [f"[{code}] " + _("in {count} file(s): {files}", count=len(files), files=", ".join(files[:3]) + (" …" if len(files) > 3 else ""))
              for code, files in sorted(report.shortcodes.items())])
    _section(out, _("Terms mapped:"), [f"'{term}' → {_kind(kind)} {value} ({count})"
                                        for (term, kind, value), count in sorted(report.mapped.items())])
    _section(out, _("Terms left as tags (map them with --map MAP.yaml):"),
             [f"'{term}' ({count})" for term, count in sorted(report.unmapped.items())])
    _section(out, _("Terms dropped:"), [f"'{term}' ({count})" for term, count in sorted(report.dropped.items())])
    skipped = report.skipped_comments
    if skipped:
        out += ["", _("Comments not imported:") + " " + ", ".join(f"{count} {_comment_kind(kind)}" for kind, count in sorted(skipped.items()))]
    if report.skipped_items:
        out += ["", _("Items not imported:") + " " + ", ".join(f"{count} {kind}" for kind, count in sorted(report.skipped_items.items()))]
    _section(out, _("Links of the form ?p=123 cannot redirect on a static host; see 'Old links' in README.md for an nginx map:"),
             [f"{query} → {url}" for query, url in report.query_links])
    return "\n".join(out) + "\n"


def _kind(kind: str) -> str:
    return {"municipality": _("municipality"), "county": _("county"), "plan_area": _("plan area"), "tag": _("tag")}[kind]


def _comment_kind(kind: str) -> str:
    names = {"pending": _("pending"), "spam": _("spam"), "trash": _("in the trash"), "pingback": _("pingbacks"),
             "trackback": _("trackbacks"), "on a page": _("on pages")}
    return names.get(kind, kind)


def _section(out: list[str], title: str | None, lines: list[str], every: bool = False) -> None:
    if not lines or title is None:
        return
    shown = lines if every else lines[:SHOWN]
    out += ["", title]
    out += [f"  {line}" for line in shown]
    if len(lines) > len(shown):
        out.append("  " + _("… and {count} more", count=len(lines) - SHOWN))
