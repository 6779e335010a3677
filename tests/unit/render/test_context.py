"""The pager links the first and last pages and those near the current one, so pages stay small."""

from __future__ import annotations

from sitegen.render.context import Pagination


def window(number: int, pages: int) -> list[int | None]:
    return Pagination(number, pages, "", None).window


def test_small_lists_link_every_page():
    assert window(1, 1) == [1]
    assert window(2, 5) == [1, 2, 3, 4, 5]


def test_long_lists_show_gaps_but_never_hide_a_single_page():
    assert window(1, 10) == [1, 2, 3, None, 10]
    assert window(5, 10) == [1, 2, 3, 4, 5, 6, 7, None, 10]  # page 2 is shown, not "…"
    assert window(10, 10) == [1, None, 8, 9, 10]
    assert window(500, 1000) == [1, None, 498, 499, 500, 501, 502, None, 1000]


def test_the_pager_does_not_grow_with_the_site():
    assert len(window(5000, 10000)) == len(window(50, 100)) == 9
