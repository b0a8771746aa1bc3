"""The journal abbreviator built for the titles at hand (evgrade/report/_iso4.py) gives what
pyiso4's full one gives: on every journal title and @string value of the real fixture
bibliographies (../shared/fixtures, each folder's SOURCE.txt names its origin) and of
references.bib, and on titles made to reach the corners (accents, ligatures, hyphens,
parts, stop words, one word)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from bib_support import every_fixture_bib
from pyiso4.ltwa import Abbreviate

from evgrade.report import _evidence, _iso4

ROOT = Path(__file__).resolve().parents[2]
_TITLE = re.compile(r'\b(?:journal|journaltitle)\s*=\s*[{"]([^{}"\n]{3,200})[}"]'
                    r'|@string\s*\{\s*[\w.-]+\s*=\s*[{"]([^{}"\n]{3,200})[}"]', re.I)
MADE = ["Journal of Psychiatric Research", "Œuvres et Critiques", "Zeitschrift für Ärztliche Fortbildung",
        "Biological Psychiatry", "Annales de l'Institut Pasteur", "Proceedings, Part II",
        "Journal of Physics: Conference Series", "Anesthesia & Analgesia", "Nature", "The Lancet",
        "Acta Neuro-Chirurgica", "Revue d'Épidémiologie et de Santé Publique", "Journal of the Ætherium",
        "Psychopharmacology (Berlin)", "IEEE Transactions on Evolutionary Computation", "  ",
        "Bulletin of the World Health Organization", "Neuropsychopharmacology", "Cell Reports Medicine"]


@pytest.fixture(scope="module")
def titles() -> list[str]:
    texts = every_fixture_bib() + [(ROOT / "references.bib").read_text(encoding="utf-8")]
    found = {(m.group(1) or m.group(2)).strip() for t in texts for m in _TITLE.finditer(t)}
    assert len(found) > 2000   # the fixtures hold thousands: a test of real titles, not a sample
    return sorted(found) + MADE


@pytest.fixture(scope="module")
def full() -> Abbreviate:
    return Abbreviate.create()


def each(abbreviate, titles: list[str]) -> list[str]:
    """What the abbreviator gives for each title, or the name of what it raises (pyiso4
    raises on some titles; evgrade keeps those in full)."""
    out = []
    for t in titles:
        try:
            out.append(abbreviate(t, remove_part=True))
        except Exception as exc:  # noqa: BLE001 - whatever pyiso4 raises, both must raise it
            out.append(type(exc).__name__)
    return out


def test_built_for_every_title_at_once_it_abbreviates_as_pyiso4_does(titles, full) -> None:
    cut = _iso4.abbreviator(titles)
    got, want = each(cut, titles), each(full, titles)
    assert got == want
    assert sum(g != t for g, t in zip(got, titles)) > 1000   # most titles are abbreviated


def test_built_for_a_few_titles_it_abbreviates_those_as_pyiso4_does(titles, full) -> None:
    rng = random.Random(16)
    for few in [MADE[:3], MADE[3:9], *([t] for t in MADE[9:]), *(rng.sample(titles, 4) for _ in range(6))]:
        cut = _iso4.abbreviator(few)
        assert each(cut, few) == each(full, few), few


def test_a_few_titles_make_a_small_tree() -> None:
    seen: list[object] = []
    from pyiso4.prefix_tree import PrefixTree

    real = PrefixTree.insert
    try:
        PrefixTree.insert = lambda self, key, obj: seen.append(obj) or real(self, key, obj)
        _iso4.abbreviator(["Journal of Psychiatric Research"])
    finally:
        PrefixTree.insert = real
    assert 213 <= len(seen) < 2000   # the 213 word endings, and the words these titles may use


def test_the_report_abbreviates_all_its_journals_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[list[str]] = []
    real = _iso4.abbreviator
    monkeypatch.setattr(_iso4, "abbreviator", lambda todo: built.append(list(todo)) or real(todo))
    monkeypatch.setattr(_evidence, "_ABBREVIATED", {})
    _evidence.abbreviate_journals(["Biological Psychiatry", "Journal of Psychiatric Research",
                                   "Biological Psychiatry", " "])
    assert built == [["Biological Psychiatry", "Journal of Psychiatric Research"]]
    assert _evidence.abbreviate_journal("Biological Psychiatry") == "Biol Psychiatry"
    assert _evidence.abbreviate_journal("Journal of Psychiatric Research") == "J Psychiatr Res"
    assert len(built) == 1   # both known: no second pass


def test_a_pyiso4_other_than_expected_falls_back_and_an_unreadable_list_keeps_titles(
        monkeypatch: pytest.MonkeyPatch, full) -> None:
    from pyiso4 import ltwa

    def unreadable(*args, **kwargs):
        raise OSError("no word list")

    monkeypatch.setattr(_iso4, "_patterns", lambda *args: 1 / 0)   # whatever the cut-down build meets
    assert each(_iso4.abbreviator(MADE), MADE) == each(full, MADE)  # pyiso4's own create()
    monkeypatch.setattr(ltwa.Abbreviate, "create", classmethod(unreadable))
    assert _iso4.abbreviator(MADE) is None
    monkeypatch.setattr(_evidence, "_ABBREVIATED", {})
    assert _evidence.abbreviate_journal("Biological Psychiatry") == "Biological Psychiatry"
