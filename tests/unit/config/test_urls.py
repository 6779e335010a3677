"""sitegen.config.urls: slugs, permalinks, pagination and the base path."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from sitegen.config.urls import Urls, alias, alias_href, municipality_slugs, slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Östersund", "ostersund"),
        ("Västra Götaland", "vastra-gotaland"),
        ("Barns skolgång", "barns-skolgang"),
        ("Barns inflytande och delaktighet", "barns-inflytande-och-delaktighet"),
        ("Frigöra och utveckla", "frigora-och-utveckla"),
        ("Återbesök i Finspång", "aterbesok-i-finspang"),
        ("Upplands Väsby", "upplands-vasby"),
        ("SiSam", "sisam"),
        ("  Skolfam!  ", "skolfam"),
    ],
)
def test_slug(text, expected):
    assert slug(text) == expected


def test_habo_and_habo_take_their_county(registry):
    slugs = municipality_slugs((m.code, m.name, registry.county_of(m).name) for m in registry.municipalities)
    assert slugs[registry.municipality("Habo").code] == "habo-jonkoping"
    assert slugs[registry.municipality("Håbo").code] == "habo-uppsala"


def test_municipality_slugs_are_unique_and_plain(registry):
    slugs = municipality_slugs((m.code, m.name, registry.county_of(m).name) for m in registry.municipalities)
    assert len(slugs) == 290
    assert len(set(slugs.values())) == 290
    assert slugs[registry.municipality("Östersund").code] == "ostersund"
    assert slugs[registry.municipality("Borås").code] == "boras"
    assert slugs[registry.municipality("Upplands Väsby").code] == "upplands-vasby"
    # only the names that collide get a suffix
    suffixed = {v for v in slugs.values() if v.startswith("habo-")}
    assert suffixed == {"habo-jonkoping", "habo-uppsala"}


def test_post_permalink(urls):
    assert urls.post(datetime(2017, 3, 14, 10, 30), "aterbesok-i-finspang") == "2017/03/aterbesok-i-finspang/"
    assert urls.post(date(2013, 10, 6), "x") == "2013/10/x/"


def test_post_permalink_with_custom_pattern(urls):
    scheme = dataclasses.replace(urls.scheme, post="besok/{year}/{month}/{day}/{slug}/")
    custom = dataclasses.replace(urls, scheme=scheme)
    assert custom.post(date(2017, 3, 4), "x") == "besok/2017/03/04/x/"


def test_sections_and_terms(urls):
    assert urls.section("municipality") == "kommun/"
    assert urls.section("county") == "lan/"
    assert urls.section("plan_area") == "tema/"
    assert urls.section("tag") == "tagg/"
    assert urls.section("year") == "arkiv/"
    assert urls.term("municipality", "boras") == "kommun/boras/"
    assert urls.term("year", "2017") == "arkiv/2017/"
    assert urls.search() == "sok/"


def test_pagination_paths(urls):
    assert urls.page("", 1) == ""
    assert urls.page("", 2) == "sida/2/"
    assert urls.page("", 10) == "sida/10/"
    assert urls.page("kommun/boras/", 1) == "kommun/boras/"
    assert urls.page("kommun/boras/", 3) == "kommun/boras/sida/3/"


def test_feeds(urls):
    assert Urls.feed("") == "feed.xml"
    assert urls.feed("kommun/boras/") == "kommun/boras/feed.xml"


def test_href_and_absolute_at_the_root(urls):
    root = dataclasses.replace(urls, base_url="https://aterbesok.example.org/", base_path="/")
    assert root.href("") == "/"
    assert root.href("kommun/boras/") == "/kommun/boras/"
    assert root.absolute("feed.xml") == "https://aterbesok.example.org/feed.xml"


def test_href_under_a_sub_path(config):
    urls = Urls.for_config(config.with_base_url("https://example.org/aterbesok/"))
    assert urls.href("") == "/aterbesok/"
    assert urls.href("kommun/boras/") == "/aterbesok/kommun/boras/"
    assert urls.href("static/style.css") == "/aterbesok/static/style.css"
    assert urls.absolute("2017/03/x/") == "https://example.org/aterbesok/2017/03/x/"
    assert urls.absolute(urls.page("", 2)) == "https://example.org/aterbesok/sida/2/"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("/2017/02/08/fokus-pa-medskapande-i-boras/", "2017/02/08/fokus-pa-medskapande-i-boras/"),
        ("/2017/02/08/slug", "2017/02/08/slug/"),  # WordPress answers both; a folder serves both
        ("//2017//02/", "2017/02/"),
        ("/2016/10/%c3%a5terbes%c3%b6k-i-bor%C3%A5s/", "2016/10/återbesök-i-borås/"),  # as servers decode a request
        ("/gamla/finspang.html", "gamla/finspang.html"),  # names a file: written as that file
        ("/index.php/2017/02/slug/", "index.php/2017/02/slug/"),
    ],
)
def test_an_old_address_becomes_a_site_path(text, path):
    assert alias(text) == (path, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2017/02/08/slug/", "an old address starts with '/'"),
        ("https://gamla.example.org/2017/02/08/slug/", "without the host"),
        ("/?p=123", "cannot redirect an address with '?' or '#'"),
        ("/2017/02/slug/#kommentarer", "cannot redirect an address with '?' or '#'"),
        ("/", "'/' is the home page"),
        ("/2017/../etc/", "may not hold '.', '..'"),
        ("/2017/%2e%2e/x/", "may not hold '.', '..'"),
        ("/a\\b/", "may not hold '.', '..', '\\'"),
        ("/a%0Ab/", "control characters"),
    ],
)
def test_an_old_address_that_cannot_be_served_says_how_to_write_it(english, text, problem):
    path, message = alias(text)
    assert path == ""
    assert message is not None and problem in message


def test_redirect_files_get_old_addresses_percent_encoded():
    assert alias_href("/2016/10/återbesök-i-borås/") == "/2016/10/%C3%A5terbes%C3%B6k-i-bor%C3%A5s/"
    assert alias_href("/gamla/finspang.html") == "/gamla/finspang.html"
