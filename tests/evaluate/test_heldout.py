"""Claim extraction on held-out texts, and the floors that keep what was learnt from them.

tests/heldout (six texts) and tests/heldout2 (twelve texts in other styles) are
fictional health pages labelled from docs/claims.md alone, before evgrade ran on
them (their READMEs). Each was used once to change the rules, so both now measure
fitted behaviour: the first-run numbers are in their READMEs, and these floors
only guard against losing what the fixes gained. heldout's first floors (F1 0.80,
kind 0.70) were set before its first run; the higher ones below were set after.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gold_support import assert_gold_covers_text
from scores_support import explain

from evgrade.evaluate.claims import (
    CorpusScores,
    combine,
    evaluate,
    gold_pairs,
    load_gold,
)

HELDOUT = Path(__file__).resolve().parents[1] / "heldout"
PAIRS = gold_pairs(HELDOUT / "texts", HELDOUT / "gold")
IDS = [a.stem for a, _ in PAIRS]

# a bullet or number that opens a list line is markup, not part of the item's sentence
LIST_MARKER = re.compile(r"^[ \t]*(?:[-*\u2022]|\d+[.)])[ \t]+", re.MULTILINE)


# ------------------------------------------------------------- the gold

def test_every_text_has_gold() -> None:
    texts = sorted((HELDOUT / "texts").glob("*.txt"))
    golds = sorted((HELDOUT / "gold").glob("*.jsonl"))
    assert len(texts) == 6
    assert [a for a, _ in PAIRS] == texts
    assert [g for _, g in PAIRS] == golds


@pytest.mark.parametrize(("text_path", "_gold"), PAIRS, ids=IDS)
def test_texts_are_short_web_pages(text_path: Path, _gold: Path) -> None:
    words = len(text_path.read_text(encoding="utf-8").split())
    assert 300 <= words <= 700, words


@pytest.mark.parametrize(("text_path", "gold"), PAIRS, ids=IDS)
def test_gold_coordinates_match_text(text_path: Path, gold: Path) -> None:
    assert_gold_covers_text(text_path, gold, skip=LIST_MARKER)  # list markers are outside units



def test_gold_counts_match_readme() -> None:
    units = [u for _, g in PAIRS for u in load_gold(g)]
    claims = [u for u in units if u.claim]
    assert len(units) == 189
    assert len(claims) == 92
    assert sum(u.kind == "statistic" for u in claims) == 34
    assert sum(u.attribution is not None for u in claims) == 27
    assert sum(u.role == "list-item" for u in units) == 8


# -------------------------------------------------------------- floors

@pytest.fixture(scope="module")
def corpus() -> CorpusScores:
    return combine([evaluate(article, gold) for article, gold in PAIRS])


def test_heldout_claim_f1_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.f1 >= 0.95, explain(corpus)
    assert corpus.overall.precision >= 0.95, explain(corpus)


def test_heldout_kind_accuracy_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.kind_accuracy >= 0.85, explain(corpus)


def test_heldout_named_source_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.named_source_recall >= 0.85, explain(corpus)


def test_heldout_sentence_boundary_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.boundary_accuracy >= 0.95, explain(corpus)


def test_heldout_statistic_recall_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.gold_statistic > 0
    assert corpus.overall.statistic_recall >= 0.9, explain(corpus)


def test_heldout_attributed_recall_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.gold_attributed > 0
    assert corpus.overall.attributed_recall >= 0.9, explain(corpus)


# ------------------------------------------------------------ held-out set 2

HELDOUT2 = Path(__file__).resolve().parents[1] / "heldout2"
PAIRS2 = gold_pairs(HELDOUT2 / "texts", HELDOUT2 / "gold")


def test_second_set_has_twelve_texts_and_the_counts_of_its_readme() -> None:
    assert len(PAIRS2) == 12
    units = [u for _, g in PAIRS2 for u in load_gold(g)]
    assert len(units) == 507
    assert sum(u.claim for u in units) == 175


@pytest.mark.parametrize(("text_path", "gold"), PAIRS2, ids=[a.stem for a, _ in PAIRS2])
def test_second_set_gold_coordinates_match_text(text_path: Path, gold: Path) -> None:
    assert_gold_covers_text(text_path, gold, skip=LIST_MARKER)


@pytest.fixture(scope="module")
def corpus2() -> CorpusScores:
    return combine([evaluate(article, gold) for article, gold in PAIRS2])


def test_second_set_floors(corpus2: CorpusScores) -> None:
    # first run (README): F1 0.789, precision 0.732, kind 0.640, named 0.632, boundary 0.934;
    # the floors sit a little under the numbers after the one round of fixes
    o = corpus2.overall
    assert o.f1 >= 0.93 and o.precision >= 0.93 and o.recall >= 0.93, explain(corpus2)
    assert o.kind_accuracy >= 0.80, explain(corpus2)
    assert o.named_source_recall >= 0.90, explain(corpus2)
    assert o.boundary_accuracy >= 0.95, explain(corpus2)
