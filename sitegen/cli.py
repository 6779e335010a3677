"""Argument parsing and exit codes: 0 success, 1 content or build error, 2 usage error."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import BuildError, warning
from sitegen.messages import _, _n
from sitegen.progress import ProgressBar

if TYPE_CHECKING:
    from sitegen import pipeline

DEFAULT_PORT = 8000  # serve's, and the address `new` says the post will be at
COMMANDS = ("build", "check", "serve", "new", "list", "comments", "import-wordpress")


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="sitegen", description=_("Builds the blog of follow-up visits from posts/ into a static site."),
               example="python build.py serve")
    p.add_argument("--root", type=Path, default=Path("."), metavar=_("FOLDER"), help=_("project folder (default: the current folder)"))
    sub = p.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))

    b = sub.add_parser("build", help=_("build the site into the output folder"), description=_("Build the site into the output folder."),
                       example="python build.py build --base-url https://example.org/aterbesok/")
    _site_options(b)
    b.add_argument("--output", type=Path, metavar=_("FOLDER"), help=_("output folder (default: config.yaml's output_dir, _site/)"))
    b.add_argument("--verbose", "-v", action="store_true", help=_("print timings and counts per stage"))

    c = sub.add_parser("check", help=_("validate content, config, templates and links without writing output"),
                       description=_("Validate content, config, templates and every link, and write nothing."), example="python build.py check")
    _site_options(c)

    s = sub.add_parser("serve", help=_("build and serve the site on 127.0.0.1"),
                       description=_("Build the site, serve it on 127.0.0.1 and rebuild when a file changes; open tabs reload."),
                       example="python build.py serve --port 8001")
    _site_options(s, preview=True)
    s.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="PORT", help=_("port (default {port})", port=DEFAULT_PORT))

    n = sub.add_parser("new", help=_("write a new draft post and print its path"), description=_("Write a new draft post and print its path."),
                       example='python build.py new "Återbesök i Borås" --municipality Borås')
    n.add_argument("title", metavar=_("TITLE"), help=_("the post's title, in quotes"))
    n.add_argument("--municipality", metavar=_("MUNICIPALITY"), help=_("the municipality visited, e.g. Borås"))
    n.add_argument("--county", metavar=_("COUNTY"), help=_("the county, for a county-wide visit or to state it"))
    n.add_argument("--date", type=_iso_date, default=None, metavar=_("DATE"), help=_("YYYY-MM-DD (default: today)"))
    n.add_argument("--bundle", action="store_true", help=_("a folder post, posts/<date>-<slug>/index.md, to put photos beside"))

    ls = sub.add_parser("list", help=_("one line per post: date, status, place, file and URL, newest first"),
                        description=_("One line per post: date, status, place, file and URL, newest first."),
                        example="python build.py list --drafts --scheduled")
    ls.add_argument("--drafts", action="store_true", help=_("list drafts too"))
    ls.add_argument("--scheduled", action="store_true", help=_("list posts dated after today too"))

    w = sub.add_parser("import-wordpress", help=_("import a WordPress export: posts, pages, approved comments, images, old URLs"),
                       description=_("Import a WordPress export: posts, pages, approved comments, images and old URLs."),
                       example="python build.py import-wordpress export.xml --uploads ~/kopia/wp-content/uploads --dry-run")
    w.add_argument("export", type=Path, metavar=_("FILE"), help=_("the export file, from WordPress's Tools → Export"))
    w.add_argument("--uploads", type=Path, metavar=_("FOLDER"), help=_("a copy of the blog's wp-content/uploads folder, for the images"))
    w.add_argument("--map", type=Path, dest="term_map", metavar="MAP.yaml", help=_("MAP.yaml: what categories and tags become, or 'drop'"))
    w.add_argument("--dry-run", action="store_true", help=_("print what would be written, and write nothing"))
    w.add_argument("--force", action="store_true", help=_("overwrite files that differ from what the import writes"))

    from sitegen.comments import moderate

    moderate.register(sub)
    return p


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help, with its own words in the writer's language; the examples keep their lines."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks the writer's language, with a one-line description and an example per command."""

    def __init__(self, *args, example: str = "", **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        if example:
            kwargs["epilog"] = _("example:") + "\n  " + example
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = _("arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", help=_("show this help and exit"))

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {usage_problem(message)}\n")


_ARGPARSE: tuple[tuple[re.Pattern, Callable[[dict[str, str]], str]], ...] = (  # argparse's English, as sitegen says it
    (re.compile(r"the following arguments are required: (?P<names>.+)"),
     lambda g: _("{names} is missing; --help shows an example", **g)),
    (re.compile(r"unrecognized arguments: (?P<words>.+)"),
     lambda g: _("'{words}' is not understood here; --help lists what the command takes", **g)),
    (re.compile(r"argument (?P<argument>[^/:\s]+)(?:/\S+)?: expected one argument"),
     lambda g: _("{argument} needs a value after it", **g)),
    (re.compile(r"argument (?P<argument>[^/:\s]+)(?:/\S+)?: invalid choice: '(?P<value>.*)' \(choose from (?P<choices>.+)\)"),
     lambda g: _("{argument}: '{value}' is none of {choices}", **g)),
    (re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"),
     lambda g: _("{option} could be any of {matches}: write it out", **g)),
    (re.compile(r"argument (?P<argument>[^/:\s]+)(?:/\S+)?: (?P<problem>.+)", re.DOTALL),
     lambda g: _("{argument}: {problem}", **g)),
)


def usage_problem(message: str) -> str:
    """argparse's complaint about the command line, as sitegen says it."""
    for pattern, say in _ARGPARSE:
        found = pattern.fullmatch(message)
        if found:
            return say(found.groupdict())
    return message


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(_("'{value}' is not a port: use a number from 1024 to 65535, e.g. --port 8001", value=value))
    return port


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2017-03-14", value=value)) from None


def _site_options(p: argparse.ArgumentParser, preview: bool = False) -> None:
    p.add_argument("--base-url", metavar="URL", help=_("absolute URL the site will live at, e.g. https://example.org/aterbesok/"))
    if preview:  # serve shows drafts and scheduled posts, marked, unless asked to show the site as it will be
        p.add_argument("--no-drafts", action="store_true", help=_("preview the site as it will be published: no drafts, no scheduled posts"))
        return
    p.add_argument("--drafts", action="store_true", help=_("include posts with draft: true"))
    p.add_argument("--future", action="store_true", help=_("include posts dated after today (scheduled)"))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    unknown = misspelt_command(argv)
    if unknown:
        print(unknown, file=sys.stderr)
        return 2
    argv = with_default_command(argv)
    args = parser().parse_args(argv)
    try:
        return run(args)
    except BuildError as exc:
        report_errors(exc)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        problem = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")  # a value of the message, made first: pybabel reads no f-string
        print(_("error: {problem}", problem=problem), file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours: one line for the writer, the trace on request
        if os.environ.get("SITEGEN_DEBUG"):
            raise
        print(_("internal error: {kind}: {error}", kind=type(exc).__name__, error=exc), file=sys.stderr)
        print(_("this is a bug in sitegen, not in your content; run again with SITEGEN_DEBUG=1 to see where"), file=sys.stderr)
        return 1


def entry() -> None:
    """The installed program and ``build.py``: ``main``, then an exit that does not free every object one by one.

    A build leaves the cache and the site, a few hundred thousand objects, for the interpreter to
    free at exit: 50-80 ms of a one-second rebuild at 10,000 posts, for a process that is ending.
    Every file, pool and thread is closed by then; only the standard streams need flushing.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`sitegen build | head`): there is nobody left to tell
        code = code or 1
    os._exit(code)


def misspelt_command(argv: list[str]) -> str | None:
    """'sitegen buidl' would build with a stray argument: say what was meant instead."""
    from sitegen.errors import closest
    i = 2 if argv[:1] == ["--root"] else 0
    if i < len(argv) and not argv[i].startswith("-") and argv[i] not in COMMANDS:
        near = closest(argv[i], COMMANDS, n=1)
        if near:
            return _("unknown command '{command}'; did you mean '{near}'? (sitegen --help lists the commands)",
                     command=argv[i], near=near[0])
    return None


def with_default_command(argv: list[str]) -> list[str]:
    """`sitegen` alone, or with only build options, means `build` (`--output build` is a folder)."""
    i = 0
    while i < len(argv) and argv[i] in ("--root",):
        i += 2
    if i < len(argv) and (argv[i] in COMMANDS or argv[i] in ("-h", "--help")):
        return argv
    return [*argv[:i], "build", *argv[i:]]


def report_errors(exc: BuildError) -> None:
    for error in exc.errors:
        print(error, file=sys.stderr)
    n = len(exc.errors)
    print(_n("{n} problem found; nothing was written.", "{n} problems found; nothing was written.", n), file=sys.stderr)


def report_build(report: pipeline.BuildReport) -> None:
    """The line a build prints on stderr, and what it left out; its warnings before."""
    report_warnings(report)
    w = report.write
    print(_n("built {n} post into {out}: {files} files ({written} written, {unchanged} unchanged, {removed} removed)",
             "built {n} posts into {out}: {files} files ({written} written, {unchanged} unchanged, {removed} removed)",
             report.posts, out=report.output, files=report.files, written=w.written, unchanged=w.unchanged, removed=w.removed),
          file=sys.stderr)
    drafts, later = report.hidden
    left = [text for count, text in ((drafts, _n("{n} draft", "{n} drafts", drafts)),
                                     (later, _n("{n} scheduled post", "{n} scheduled posts", later))) if count]
    if left:
        print(_("not shown: {posts} (--drafts and --future include them)", posts=_(" and ").join(left)), file=sys.stderr)


def report_warnings(report: pipeline.BuildReport) -> None:
    for problem in report.warnings:
        print(warning(problem), file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from sitegen import pipeline

    root = args.root.resolve()
    if args.command == "new":
        from sitegen.content.scaffold import NewPost, address, create_post

        settings = pipeline.load_settings(pipeline.BuildOptions(root))
        new = NewPost(args.title, args.municipality, args.county, args.date or date.today(), args.bundle)
        path = create_post(root, new, settings.config, settings.registry)
        print(path.relative_to(root))
        from sitegen.config.urls import Urls

        url = Urls.for_config(settings.config).post(datetime.combine(new.day, datetime.min.time()), address(new.title))
        print(_("python build.py serve shows it at http://127.0.0.1:{port}/{url}", port=DEFAULT_PORT, url=url), file=sys.stderr)
        return 0
    if args.command == "list":
        for line in pipeline.post_lines(pipeline.BuildOptions(root), args.drafts, args.scheduled):
            print(line)
        return 0
    if args.command == "import-wordpress":
        from sitegen.importers import report, wordpress

        options = wordpress.ImportOptions(args.export, args.uploads, args.term_map, args.dry_run, args.force)
        done = wordpress.import_wordpress(root, options, ProgressBar(sys.stderr, enabled=sys.stderr.isatty()))
        print(report.render(done, args.dry_run), end="")
        return 0
    if args.command == "comments":
        from sitegen.content.documents import POSTS_DIR, find_sources

        config = pipeline.load_settings(pipeline.BuildOptions(root)).config
        posts = {source.key for source in find_sources(root, POSTS_DIR, "post")} if args.comments_command == "approve" else None
        code = args.func(args, root / config.comments.dir, retention_days=config.comments.retention_days, posts=posts)
        if code == 0 and getattr(args, "rebuild", False):  # approve --rebuild: publish them now
            report_build(pipeline.build(pipeline.BuildOptions(root), bar=ProgressBar(sys.stderr, enabled=sys.stderr.isatty())))
        return code
    preview = not getattr(args, "no_drafts", True)  # serve, unless --no-drafts
    opts = pipeline.BuildOptions(
        root=root,
        output=getattr(args, "output", None),
        base_url=args.base_url,
        drafts=getattr(args, "drafts", False) or preview,
        future=getattr(args, "future", False) or preview,
    )
    if args.command == "check":
        report = pipeline.check(opts)
        report_warnings(report)
        print(_("ok: {posts} posts, {pages} pages, {files} files; no problems found", posts=report.posts, pages=report.pages,
                files=report.files), file=sys.stderr)
        return 0
    if args.command == "serve":
        from sitegen.serve.server import serve

        return serve(opts, args.port)
    report = pipeline.build(opts, bar=ProgressBar(sys.stderr, enabled=sys.stderr.isatty()))
    report_build(report)
    if args.verbose:
        reused = _(" (index and plan reused: only post bodies changed)") if report.index_reused else ""
        print(_("  {read} sources read, {pages} pages rendered{reused}", read=report.read, pages=report.pages, reused=reused),
              file=sys.stderr)
        for stage, seconds in report.timings.items():
            print(f"  {stage:<10} {seconds * 1000:8.1f} ms", file=sys.stderr)
    return 0
