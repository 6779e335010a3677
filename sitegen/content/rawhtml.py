"""Raw HTML in a writer's Markdown that the pages' security policy would silently block.

Writers may write HTML, but every page carries the policy of ``render.environment.content_security_policy``:
scripts and styles only from the site's own files, images from the site (or data:), and no frames,
plug-ins, audio or video. What it blocks is found here, so ``check`` and ``build`` can warn at its line.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from sitegen.errors import clip
from sitegen.messages import _

EMBEDS = frozenset({"iframe", "frame", "object", "embed", "applet", "portal"})
MEDIA = frozenset({"video", "audio", "track"})
IMAGE_ATTRIBUTES = {"img": ("src", "srcset"), "source": ("srcset",), "input": ("src",), "image": ("href", "xlink:href")}


def _elsewhere(url: str, own_host: str) -> bool:
    """Whether ``url`` is on another site: an absolute or '//' URL with a host other than the site's own."""
    try:
        host = urlsplit(url.strip()).netloc.rpartition("@")[2].lower()
    except ValueError:
        return True
    return bool(host) and host != own_host.lower()


def _srcset_urls(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()]


class _Finder(HTMLParser):
    def __init__(self, own_host: str):
        super().__init__(convert_charrefs=True)
        self.own_host = own_host
        self.found: list[tuple[int, str]] = []  # (line in the fragment, from 1; message)

    def _add(self, message: str) -> None:
        self.found.append((self.getpos()[0], message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in values:
            if name.startswith("on"):
                self._add(_("the attribute {name}= does not run: the pages' security policy (CSP) blocks scripts in attributes; "
                            "leave it out", name=name))
        if "style" in values:
            self._add(_("the style= attribute is ignored: the pages' security policy (CSP) allows only the site's style sheet; "
                        "use a class of static/assets/style.css instead"))
        if tag == "script":
            src = values.get("src")
            if src is None:
                self._add(_("an inline <script> does not run: the pages' security policy (CSP) allows only the site's own script "
                            "files; put the script in static/assets/ and load it with src=, or leave it out"))
            elif _elsewhere(src, self.own_host):
                self._add(_("<script src=\"{url}\"> is on another site and does not run under the pages' security policy (CSP); "
                            "save the script in static/assets/, or leave it out", url=clip(src)))
        elif tag == "style":
            self._add(_("a <style> element is ignored under the pages' security policy (CSP); put the rules in "
                        "static/assets/style.css"))
        elif tag == "link" and "stylesheet" in values.get("rel", "").lower().split() and _elsewhere(values.get("href", ""), self.own_host):
            self._add(_("the style sheet {url} is on another site and is not used under the pages' security policy (CSP); "
                        "put the rules in static/assets/style.css", url=clip(values.get("href", ""))))
        elif tag in EMBEDS:
            self._add(_("<{tag}> is not shown: the pages' security policy (CSP) allows no embedded pages or plug-ins; link to "
                        "what it shows instead, e.g. [Titta på filmen](https://…)", tag=tag))
        elif tag in MEDIA:
            self._add(_("<{tag}> does not play: the pages' security policy (CSP) allows no audio or video on the pages; link to "
                        "the file instead", tag=tag))
        elif tag == "form" and _elsewhere(values.get("action", ""), self.own_host):
            self._add(_("the form posts to {url}, which the pages' security policy (CSP) does not allow; a form may post "
                        "only to the site itself", url=clip(values.get("action", ""))))
        for name in IMAGE_ATTRIBUTES.get(tag, ()):
            urls = _srcset_urls(values.get(name, "")) if name == "srcset" else [values.get(name, "")]
            for url in urls:
                if _elsewhere(url, self.own_host):
                    self._add(_("the image {url} is on another site and is not shown: the pages' security policy (CSP) allows "
                                "only the site's own images (so readers are not tracked); save it beside the post and "
                                "use its name", url=clip(url)))
        for name in ("href", "src", "action", "formaction"):
            if values.get(name, "").strip().lower().replace("\t", "").startswith("javascript:"):
                self._add(_("the link {url} does nothing: the pages' security policy (CSP) blocks javascript: links; "
                            "link to a page instead", url=clip(values[name])))


def blocked(fragment: str, first_line: int, own_host: str) -> list[tuple[int, str]]:
    """(line, warning) for each thing in a raw HTML ``fragment`` the policy blocks; ``first_line`` is the fragment's."""
    finder = _Finder(own_host)
    finder.feed(fragment)
    finder.close()
    return [(first_line + line - 1, message) for line, message in finder.found]
