"""Claim extraction on held-out texts that the extractor was never tuned on.

The six texts in tests/heldout/texts are fictional health pages in other registers
than the bundled ketamine articles (shop blog, news, clinic page, forum FAQ,
public-health explainer, wellness post); their gold was labelled from
docs/claims.md alone (tests/heldout/README.md). The floors are deliberately lower
than tests/test_accuracy.py's: they measure generalisation, not tuning, and were
set before the extractor was run on these texts.
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
    assert corpus.overall.f1 >= 0.80, explain(corpus)


def test_heldout_kind_accuracy_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.kind_accuracy >= 0.70, explain(corpus)


def test_heldout_sentence_boundary_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.boundary_accuracy >= 0.95, explain(corpus)


def test_heldout_statistic_recall_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.gold_statistic > 0
    assert corpus.overall.statistic_recall >= 0.9, explain(corpus)


def test_heldout_attributed_recall_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.gold_attributed > 0
    assert corpus.overall.attributed_recall >= 0.9, explain(corpus)
