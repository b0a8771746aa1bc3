"""Claim-extraction accuracy against the gold data, and the evaluator's own arithmetic.

The floors are the project's targets (docs/claims.md, tests/gold/README.md); they
are not lowered to make a run pass. The synthetic tests below pin down how
evgrade.evaluate counts, so a floor failure means the extractor, not the ruler.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gold_support import assert_gold_covers_text
from scores_support import explain

from evgrade._text import LineIndex
from evgrade.errors import InputError
from evgrade.evaluate.claims import (
    ArticleScores,
    CorpusScores,
    GoldUnit,
    PredictedClaim,
    combine,
    evaluate_corpus,
    format_scores,
    gold_pairs,
    load_gold,
    score_article,
)

ROOT = Path(__file__).resolve().parents[2]
PAIRS = gold_pairs(ROOT / "articles", ROOT / "tests" / "gold")


# ------------------------------------------------------------- the gold

def test_every_article_has_gold() -> None:
    articles = sorted((ROOT / "articles").glob("*.txt"))
    assert len(articles) == 5
    assert [a for a, _ in PAIRS] == articles


@pytest.mark.parametrize(("article", "gold"), PAIRS, ids=[a.stem[:40] for a, _ in PAIRS])
def test_gold_coordinates_match_article_text(article: Path, gold: Path) -> None:
    assert_gold_covers_text(article, gold)



def test_gold_counts_match_readme() -> None:
    units = [u for _, g in PAIRS for u in load_gold(g)]
    claims = [u for u in units if u.claim]
    assert len(units) == 231
    assert len(claims) == 152
    assert sum(u.kind == "statistic" for u in claims) == 3
    assert sum(u.attribution is not None for u in claims) == 46


# -------------------------------------------------------------- floors

@pytest.fixture(scope="module")
def corpus() -> CorpusScores:
    return evaluate_corpus(PAIRS)


def test_claim_f1_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.f1 >= 0.90, explain(corpus)


def test_every_statistic_claim_found(corpus: CorpusScores) -> None:
    assert corpus.overall.gold_statistic > 0
    assert corpus.overall.statistic_recall == 1.0, explain(corpus)


def test_every_attributed_claim_found(corpus: CorpusScores) -> None:
    assert corpus.overall.gold_attributed > 0
    assert corpus.overall.attributed_recall == 1.0, explain(corpus)


def test_every_named_source_found(corpus: CorpusScores) -> None:
    assert corpus.overall.named_source_recall == 1.0, explain(corpus)


def test_kind_accuracy_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.kind_accuracy >= 0.85, explain(corpus)


def test_sentence_boundary_floor(corpus: CorpusScores) -> None:
    assert corpus.overall.boundary_accuracy >= 0.98, explain(corpus)


# ------------------------------------------- the evaluator's arithmetic

TEXT = ("Side Effects\n"
        "\n"
        "Ketamine blocks NMDA receptors. Call us today. In one trial 70% of patients improved.\n"
        "Studies have shown it is fast. Nausea is common.\n")


def _unit(text: str, piece: str, role: str = "prose", kind: str | None = None,
          attribution: str | None = None, source: str | None = None) -> GoldUnit:
    start = text.index(piece)
    index = LineIndex(text)
    line, col = index.position(start)
    end_line, end_col = index.position(start + len(piece) - 1)
    return GoldUnit(line=line, col=col, end_line=end_line, end_col=end_col, text=piece,
                    role=role, claim=kind is not None, kind=kind, attribution=attribution,
                    source=source)


GOLD = [
    _unit(TEXT, "Side Effects", role="heading"),
    _unit(TEXT, "Ketamine blocks NMDA receptors.", kind="mechanism"),
    _unit(TEXT, "Call us today."),
    _unit(TEXT, "In one trial 70% of patients improved.", kind="statistic",
          attribution="study-reference"),
    _unit(TEXT, "Studies have shown it is fast.", kind="efficacy", attribution="vague"),
    _unit(TEXT, "Nausea is common.", kind="safety"),
]


def _span(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


def _claim(piece: str, kind: str, source: str = "") -> PredictedClaim:
    return PredictedClaim(*_span(piece), kind=kind, attributed=bool(source), source=source)


ALL_SENTENCES = [_span(u.text) for u in GOLD]


def test_perfect_prediction_scores_one() -> None:
    predicted = [_claim(u.text, u.kind) for u in GOLD if u.kind]
    s = score_article("t", TEXT, GOLD, ALL_SENTENCES, predicted)
    assert (s.precision, s.recall, s.f1, s.kind_accuracy) == (1.0, 1.0, 1.0, 1.0)
    assert (s.statistic_recall, s.attributed_recall, s.boundary_accuracy) == (1.0, 1.0, 1.0)
    assert s.false_positives == s.false_negatives == s.kind_errors == ()


def test_counts_false_positives_misses_and_kinds() -> None:
    predicted = [
        _claim("Ketamine blocks NMDA receptors.", "efficacy"),      # TP, wrong kind
        _claim("Call us today.", "other"),                          # FP: not a claim
        _claim("Studies have shown it is fast.", "efficacy"),       # TP
        _claim("Nausea is common.", "safety"),                      # TP
    ]                                                               # statistic missed
    s = score_article("t", TEXT, GOLD, ALL_SENTENCES, predicted)
    assert (s.gold_claims, s.predicted_claims, s.true_positives) == (4, 4, 3)
    assert s.precision == pytest.approx(3 / 4)
    assert s.recall == pytest.approx(3 / 4)
    assert s.f1 == pytest.approx(3 / 4)
    assert s.kind_accuracy == pytest.approx(2 / 3)
    assert s.statistic_recall == 0.0
    assert s.attributed_recall == pytest.approx(1 / 2)
    assert [m.text for m in s.false_positives] == ["Call us today."]
    assert [m.gold_kind for m in s.false_negatives] == ["statistic"]
    assert [(m.gold_kind, m.predicted_kind) for m in s.kind_errors] == [("mechanism", "efficacy")]


def test_f1_is_harmonic_mean() -> None:
    predicted = [_claim("Nausea is common.", "safety"), _claim("Call us today.", "other"),
                 _claim("Side Effects", "other")]
    s = score_article("t", TEXT, GOLD, ALL_SENTENCES, predicted)
    p, r = 1 / 3, 1 / 4
    assert s.f1 == pytest.approx(2 * p * r / (p + r))


def test_overlap_must_exceed_half_of_the_shorter_span() -> None:
    sentence = "Ketamine blocks NMDA receptors."
    start, end = _span(sentence)
    half = start + len(sentence) // 2
    # a claim covering the first half plus a bit matches...
    inside = PredictedClaim(start, half + 2, "mechanism")
    s = score_article("t", TEXT, GOLD, ALL_SENTENCES, [inside])
    assert s.true_positives == 1
    # ...exactly half of the shorter span is not enough...
    at_half = PredictedClaim(start - 6, start + 6, "mechanism")
    s = score_article("t", TEXT, GOLD, ALL_SENTENCES, [at_half])
    assert s.true_positives == 0 and len(s.false_positives) == 1
    # ...and a claim that only grazes the sentence does not match it
    grazing = PredictedClaim(end - 3, end + 12, "mechanism")   # mostly "Call us today."
    s = score_article("t", TEXT, GOLD, ALL_SENTENCES, [grazing])
    assert s.true_positives == 0 and s.predicted_claims == 1


def test_a_long_claim_matches_the_unit_it_overlaps_most() -> None:
    # one predicted claim swallowing two gold sentences counts once
    a, _ = _span("Studies have shown it is fast.")
    _, b = _span("Nausea is common.")
    s = score_article("t", TEXT, GOLD, ALL_SENTENCES, [PredictedClaim(a, b, "efficacy")])
    assert s.true_positives == 1
    assert [m.gold_kind for m in s.false_negatives] == ["mechanism", "statistic", "safety"]


def test_a_second_claim_on_the_same_unit_is_a_false_positive() -> None:
    start, end = _span("Nausea is common.")
    predicted = [PredictedClaim(start, start + 10, "safety"), PredictedClaim(start, end, "safety")]
    s = score_article("t", TEXT, GOLD, ALL_SENTENCES, predicted)
    assert (s.true_positives, s.predicted_claims, len(s.false_positives)) == (1, 2, 1)


def test_no_predictions() -> None:
    s = score_article("t", TEXT, GOLD, ALL_SENTENCES, [])
    assert s.precision == 1.0 and s.recall == 0.0 and s.f1 == 0.0
    assert s.kind_accuracy == 1.0          # nothing matched, nothing mislabelled


def test_named_source_must_agree() -> None:
    text = "In a study published in the Journal of Psychiatric Research, 70% improved.\n"
    gold = [_unit(text, text.strip(), kind="statistic", attribution="venue",
                  source="Journal of Psychiatric Research")]
    span = (0, len(text.strip()))
    right = PredictedClaim(*span, "statistic", True, "the Journal of Psychiatric Research")
    wrong = PredictedClaim(*span, "statistic", True, "Psychiatric Research")
    assert score_article("t", text, gold, [span], [right]).named_source_recall == 1.0
    assert score_article("t", text, gold, [span], [wrong]).named_source_recall == 0.0


def test_boundary_accuracy_counts_starts_and_ends_of_prose_only() -> None:
    prose = [u for u in GOLD if u.role == "prose"]
    sentences = [_span(u.text) for u in prose]
    # merge the first two prose sentences: one end and one start are lost
    first, second = sentences[0], sentences[1]
    merged = [(first[0], second[1])] + sentences[2:]
    s = score_article("t", TEXT, GOLD, merged, [])
    assert s.gold_boundaries == 2 * len(prose)      # the heading is not counted
    assert s.found_boundaries == 2 * len(prose) - 2
    assert s.boundary_accuracy == pytest.approx(1 - 2 / (2 * len(prose)))
    missed = {(b.side, b.sentence) for b in s.missed_boundaries}
    assert missed == {("end", "Ketamine blocks NMDA receptors."), ("start", "Call us today.")}
    end = next(b for b in s.missed_boundaries if b.side == "end")
    assert (end.line, TEXT[end.offset - 1]) == (3, ".")


def test_corpus_scores_are_micro_averaged() -> None:
    big = ArticleScores(article="big", gold_claims=90, predicted_claims=100, true_positives=90)
    small = ArticleScores(article="small", gold_claims=10, predicted_claims=10, true_positives=0)
    c = combine([big, small])
    assert c.overall.precision == pytest.approx(90 / 110)
    assert c.overall.recall == pytest.approx(90 / 100)
    assert c.overall.precision != pytest.approx((big.precision + small.precision) / 2)
    assert [a.article for a in c.articles] == ["big", "small"]


def test_format_scores_lists_each_article_and_overall() -> None:
    c = combine([score_article("alpha.txt", TEXT, GOLD, ALL_SENTENCES, [_claim("Nausea is common.", "safety")])])
    table = format_scores(c)
    assert "alpha.txt" in table and "overall" in table and "F1" in table
    assert "0.250" in table                       # recall 1/4
    [a] = c.articles
    errors = [m.text for m in a.false_positives + a.false_negatives + a.kind_errors]
    assert "Ketamine blocks NMDA receptors." in errors  # a gold claim nobody predicted
    assert not any("Call us" in e for e in errors)      # not predicted, not a claim: no error


# ------------------------------------------------------- reading gold

def _write(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "g.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


GOOD = {"line": 1, "col": 1, "end_line": 1, "end_col": 5, "text": "Hello", "role": "prose",
        "claim": False, "kind": None, "attribution": None, "source": None, "note": None}


def test_load_gold_reads_records(tmp_path: Path) -> None:
    units = load_gold(_write(tmp_path, [json.dumps(GOOD), ""]))
    assert units == [GoldUnit(**GOOD)]


def test_load_gold_reports_bad_json_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_gold(_write(tmp_path, [json.dumps(GOOD), "{not json"]))
    assert err.value.line == 2


@pytest.mark.parametrize("change", [
    {"role": "heading", "claim": True, "kind": "other"},     # headings are never claims
    {"claim": True},                                          # a claim needs a kind
    {"kind": "anecdote", "claim": True},                      # unknown kind
    {"claim": True, "kind": "other", "attribution": "venue"},  # a venue needs its name
    {"attribution": "vague"},                                 # attribution only on claims
])
def test_load_gold_rejects_inconsistent_records(tmp_path: Path, change: dict) -> None:
    with pytest.raises(InputError) as err:
        load_gold(_write(tmp_path, [json.dumps({**GOOD, **change})]))
    assert err.value.line == 1


def test_load_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_gold(tmp_path / "absent.jsonl")


def test_gold_that_no_longer_matches_the_text_is_an_error() -> None:
    shifted = GOLD[1].model_copy(update={"col": GOLD[1].col + 1})
    with pytest.raises(InputError, match="does not match"):
        score_article("t", TEXT, [shifted], [], [])
