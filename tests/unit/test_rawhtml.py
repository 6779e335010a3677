"""content/rawhtml.py: what the pages' policy blocks in a raw HTML fragment, at which line."""

from __future__ import annotations

from sitegen.content.rawhtml import blocked


def test_lines_count_from_the_fragments_first_line():
    found = blocked("<div>\n<p>ok</p>\n<iframe src=x></iframe>\n<p style='a'>b</p>\n</div>", 10, "example.org")
    assert [line for line, _ in found] == [12, 13]


def test_the_sites_own_host_is_its_own_whatever_the_case_and_a_user_part():
    assert blocked('<img src="https://EXAMPLE.org/a.png" alt="">', 1, "example.org") == []
    assert blocked('<img src="https://evil@example.org.evil.example/a.png" alt="">', 1, "example.org")
    assert blocked('<img src="https://x@example.org/a.png" alt="">', 1, "example.org") == []


def test_every_image_of_a_srcset_is_looked_at():
    found = blocked('<img srcset="a.png 1x, https://cdn.example.net/b.png 2x" src="a.png" alt="">', 1, "example.org")
    assert len(found) == 1 and "https://cdn.example.net/b.png" in found[0][1]


def test_an_unclosed_tag_or_broken_markup_does_not_stop_the_rest():
    found = blocked("<p <b>text</b><script>x()</script><img src='//cdn.example.net/a.png'", 1, "example.org")
    assert len(found) == 1  # the script; the unclosed img at the end is never finished, so never shown either
