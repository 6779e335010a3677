"""sitegen.site.collate: Swedish order, å ä ö after z in that order, case-insensitively."""

from __future__ import annotations

from sitegen.site.collate import sort_key


def swedish(words):
    return sorted(words, key=sort_key)


def test_a_ring_a_umlaut_o_umlaut_after_z_in_that_order():
    assert swedish(["Örebro", "Zinkgruvan", "Älmhult", "Åre", "Arboga"]) == [
        "Arboga",
        "Zinkgruvan",
        "Åre",
        "Älmhult",
        "Örebro",
    ]


def test_case_insensitive():
    assert swedish(["örebro", "Åre", "älmhult", "zebra", "Alingsås"]) == ["Alingsås", "zebra", "Åre", "älmhult", "örebro"]
    assert swedish(["b", "A", "a", "B"]) == ["A", "a", "B", "b"]


def test_inside_words_too():
    assert swedish(["Haö", "Haz", "Haå", "Haä", "Hay"]) == ["Hay", "Haz", "Haå", "Haä", "Haö"]
    # Östersund before Österåker: s < å
    assert swedish(["Österåker", "Östersund"]) == ["Östersund", "Österåker"]


def test_other_accents_fold_to_their_base_letter():
    # é is an e (Österlén), not a letter after z
    assert swedish(["Ekerö", "Édith", "Eda"]) == ["Eda", "Édith", "Ekerö"]


def test_ties_are_broken_deterministically():
    assert sort_key("Åre") != sort_key("åre")
    assert swedish(["åre", "Åre"]) == swedish(["Åre", "åre"])


def test_municipalities_sorted_by_swedish_rules(registry):
    names = swedish(m.name for m in registry.municipalities)
    assert names[-12:] == [
        "Ängelholm",
        "Öckerö",
        "Ödeshög",
        "Örebro",
        "Örkelljunga",
        "Örnsköldsvik",
        "Östersund",
        "Österåker",
        "Östhammar",
        "Östra Göinge",
        "Överkalix",
        "Övertorneå",
    ]
    assert names.index("Vänersborg") < names.index("Åre") < names.index("Åstorp") < names.index("Älmhult")
    assert names.index("Åre") < names.index("Älmhult") < names.index("Örebro")
