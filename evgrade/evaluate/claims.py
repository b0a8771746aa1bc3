"""Measure claim extraction against hand-labelled gold data.

Gold files (``<gold folder>/<article-stem>.jsonl``; the format is described in
the repository's ``tests/gold/README.md``) label every sentence-like unit of an
article from the guidelines in ``docs/claims.md``. :func:`evaluate` runs the real pipeline
(read -> claims) on the article and compares:

- claims: a predicted claim matches the gold unit it overlaps most, if the
  overlap exceeds half of the shorter of the two; each gold unit is matched at
  most once (a second claim on the same unit is a false positive);
- kinds, on true positives only;
- sentence boundaries: the share of gold prose-sentence starts and ends that
  ``Document.sentences`` reproduces exactly.

Corpus figures are micro averages: counts are summed over articles first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError, computed_field, model_validator
from tabulate import tabulate

from .. import _files
from .._text import LineIndex
from ..errors import InputError
from ..models import ClaimKind

Role = Literal["prose", "heading", "chrome", "list-item"]
GoldAttribution = Literal["venue", "institution", "researcher", "vague", "study-reference"]
NAMED = ("venue", "institution", "researcher")
SENTENCE_ROLES = ("prose", "list-item")  # units whose boundaries a splitter must find


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GoldUnit(_Frozen):
    """One labelled unit; coordinates are 1-based and the end is the last character."""

    line: int
    col: int
    end_line: int
    end_col: int
    text: str
    role: Role
    claim: bool
    kind: ClaimKind | None = None
    attribution: GoldAttribution | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> GoldUnit:
        if min(self.line, self.col, self.end_line, self.end_col) < 1:
            raise ValueError("line and col are 1-based")
        if (self.end_line, self.end_col) < (self.line, self.col):
            raise ValueError("the unit ends before it starts")
        if self.claim and self.role in ("heading", "chrome"):
            raise ValueError(f"a {self.role} unit is never a claim")
        if self.claim != (self.kind is not None):
            raise ValueError("kind is set exactly when claim is true")
        if self.attribution is not None and not self.claim:
            raise ValueError("attribution is recorded only on claims")
        if (self.attribution in NAMED) != (self.source is not None):
            raise ValueError("source is set exactly for venue/institution/researcher attributions")
        return self


class PredictedClaim(NamedTuple):
    """The parts of a ``models.Claim`` the scores need (offsets into the article text)."""

    start: int
    end: int
    kind: str
    attributed: bool = False
    source: str = ""   # the named source, "" when none


class MissedBoundary(_Frozen):
    offset: int
    line: int
    col: int
    side: Literal["start", "end"]
    sentence: str


class Mismatch(_Frozen):
    """A false positive, false negative or wrong kind, for reading the errors."""

    line: int
    col: int
    text: str
    gold_kind: str | None = None
    predicted_kind: str | None = None


def _ratio(num: int, den: int) -> float:
    # nothing to find (or nothing predicted) is vacuously perfect
    return num / den if den else 1.0


class ArticleScores(_Frozen):
    article: str
    gold_claims: int = 0
    predicted_claims: int = 0
    true_positives: int = 0
    kind_correct: int = 0
    gold_statistic: int = 0
    found_statistic: int = 0
    gold_attributed: int = 0
    found_attributed: int = 0
    gold_named: int = 0
    found_named: int = 0          # matched with the same named source
    gold_boundaries: int = 0
    found_boundaries: int = 0
    missed_boundaries: tuple[MissedBoundary, ...] = ()
    false_positives: tuple[Mismatch, ...] = ()
    false_negatives: tuple[Mismatch, ...] = ()
    kind_errors: tuple[Mismatch, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.predicted_claims)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.gold_claims)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def kind_accuracy(self) -> float:
        return _ratio(self.kind_correct, self.true_positives)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def statistic_recall(self) -> float:
        return _ratio(self.found_statistic, self.gold_statistic)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def attributed_recall(self) -> float:
        return _ratio(self.found_attributed, self.gold_attributed)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def named_source_recall(self) -> float:
        return _ratio(self.found_named, self.gold_named)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def boundary_accuracy(self) -> float:
        return _ratio(self.found_boundaries, self.gold_boundaries)


_COUNTS = ("gold_claims", "predicted_claims", "true_positives", "kind_correct",
           "gold_statistic", "found_statistic", "gold_attributed", "found_attributed",
           "gold_named", "found_named", "gold_boundaries", "found_boundaries")


class CorpusScores(_Frozen):
    articles: tuple[ArticleScores, ...]
    overall: ArticleScores    # summed counts (micro average); the lists stay per article


# ------------------------------------------------------------------ gold

def load_gold(path: str | Path) -> list[GoldUnit]:
    """Read one gold file; any malformed record is an InputError naming its line."""
    name = str(path)
    raw = _files.read_text(name, what="gold file")
    units: list[GoldUnit] = []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            units.append(GoldUnit.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", path=name, line=n, col=exc.colno) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(f"bad gold record: {where + ': ' if where else ''}{first['msg']}",
                             path=name, line=n) from None
    return units


def gold_offsets(text: str, units: Sequence[GoldUnit], *, path: str = "") -> list[tuple[int, int]]:
    """(start, end) of each unit, end exclusive; checks that the text is really there."""
    index = LineIndex(text)
    spans = []
    for n, u in enumerate(units, start=1):
        start = index.offset(u.line, u.col)
        end = index.offset(u.end_line, u.end_col) + 1
        if text[start:end] != u.text:
            raise InputError(f"gold record {n} does not match the article at "
                             f"{u.line}:{u.col}-{u.end_line}:{u.end_col} (the text changed?)",
                             path=path, line=u.line, col=u.col)
        spans.append((start, end))
    return spans


# --------------------------------------------------------------- scoring

def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _same_source(gold: str | None, predicted: str) -> bool:
    def norm(s: str) -> str:
        s = " ".join(s.split()).casefold()
        return s[4:] if s.startswith("the ") else s
    return bool(gold) and norm(gold) == norm(predicted)


def score_article(article: str, text: str, gold: Sequence[GoldUnit],
                  sentences: Iterable[tuple[int, int]], predicted: Iterable[PredictedClaim],
                  *, gold_path: str = "") -> ArticleScores:
    """Compare predictions with gold on one text. Pure: no reading, no pipeline."""
    index = LineIndex(text)
    spans = gold_offsets(text, gold, path=gold_path)
    counts = dict.fromkeys(_COUNTS, 0)
    matched, false_pos = _match(text, index, gold, spans, predicted)
    counts["predicted_claims"] = len(matched) + len(false_pos)
    false_neg, kind_errors = _count_claims(gold, matched, counts)
    missed = _count_boundaries(index, gold, spans, sentences, counts)
    return ArticleScores(article=article, missed_boundaries=tuple(missed),
                         false_positives=tuple(false_pos), false_negatives=tuple(false_neg),
                         kind_errors=tuple(kind_errors), **counts)


def _best_unit(spans: Sequence[tuple[int, int]], claim: PredictedClaim) -> int | None:
    """The gold unit a claim overlaps most, when the overlap exceeds half the shorter one."""
    best, best_overlap = None, 0
    for i, span in enumerate(spans):
        if span[0] >= claim.end:
            break
        ov = _overlap(span, (claim.start, claim.end))
        shorter = min(span[1] - span[0], claim.end - claim.start)
        if ov * 2 > shorter and ov > best_overlap:
            best, best_overlap = i, ov
    return best


def _match(text: str, index: LineIndex, gold: Sequence[GoldUnit], spans: Sequence[tuple[int, int]],
           predicted: Iterable[PredictedClaim]) -> tuple[dict[int, PredictedClaim], list[Mismatch]]:
    """Predicted claims matched to gold claim units (each at most once), and the false positives."""
    matched: dict[int, PredictedClaim] = {}
    false_pos: list[Mismatch] = []
    for claim in sorted(predicted, key=lambda c: (c.start, c.end)):
        best = _best_unit(spans, claim)
        if best is not None and gold[best].claim and best not in matched:
            matched[best] = claim
        else:
            line, col = index.position(claim.start)
            false_pos.append(Mismatch(line=line, col=col, text=text[claim.start:claim.end],
                                      predicted_kind=claim.kind))
    return matched, false_pos


def _count_claims(gold: Sequence[GoldUnit], matched: dict[int, PredictedClaim],
                  counts: dict[str, int]) -> tuple[list[Mismatch], list[Mismatch]]:
    """Add the claim counts to ``counts``; return the false negatives and kind errors."""
    false_neg: list[Mismatch] = []
    kind_errors: list[Mismatch] = []
    for i, unit in enumerate(gold):
        if not unit.claim:
            continue
        hit = matched.get(i)
        counts["gold_claims"] += 1
        _add(counts, "gold", unit)
        if hit is None:
            false_neg.append(Mismatch(line=unit.line, col=unit.col, text=unit.text, gold_kind=unit.kind))
            continue
        counts["true_positives"] += 1
        _add(counts, "found", unit, same_source=_same_source(unit.source, hit.source))
        if hit.kind == unit.kind:
            counts["kind_correct"] += 1
        else:
            kind_errors.append(Mismatch(line=unit.line, col=unit.col, text=unit.text,
                                        gold_kind=unit.kind, predicted_kind=hit.kind))
    return false_neg, kind_errors


def _add(counts: dict[str, int], prefix: str, unit: GoldUnit, *, same_source: bool = True) -> None:
    """Count what a gold claim (``gold_*``) or a found one (``found_*``) carries; a named
    source counts as found only when the prediction names the same one."""
    counts[f"{prefix}_statistic"] += unit.kind == "statistic"
    counts[f"{prefix}_attributed"] += unit.attribution is not None
    counts[f"{prefix}_named"] += unit.attribution in NAMED and same_source


def _count_boundaries(index: LineIndex, gold: Sequence[GoldUnit], spans: Sequence[tuple[int, int]],
                      sentences: Iterable[tuple[int, int]], counts: dict[str, int]) -> list[MissedBoundary]:
    """Add the boundary counts to ``counts``; return the gold boundaries the splitter missed."""
    starts: set[int] = set()
    ends: set[int] = set()
    for s, e in sentences:
        starts.add(s)
        ends.add(e)
    missed: list[MissedBoundary] = []
    for unit, (s, e) in zip(gold, spans):
        if unit.role not in SENTENCE_ROLES:
            continue
        counts["gold_boundaries"] += 2
        for side, offset, found in (("start", s, s in starts), ("end", e, e in ends)):
            if found:
                counts["found_boundaries"] += 1
            else:
                line, col = index.position(offset if side == "start" else offset - 1)
                missed.append(MissedBoundary(offset=offset, line=line, col=col, side=side,
                                             sentence=unit.text))
    return missed


def evaluate(article: Path, gold: Path) -> ArticleScores:
    """Run read -> claims on ``article`` and score it against ``gold``."""
    from ..claims.detect import extract_claims
    from ..claims.sentences import segment
    from ..read import read_path

    doc = segment(read_path(article))  # the sentences are scored too, so keep them
    claims = extract_claims(doc)
    predicted = [PredictedClaim(c.span.start, c.span.end, c.kind, bool(c.attributions),
                                c.named_source.name if c.named_source else "")
                 for c in claims]
    sentences = [(s.span.start, s.span.end) for s in doc.sentences]
    return score_article(Path(article).name, doc.text, load_gold(gold), sentences, predicted,
                         gold_path=str(gold))


def combine(articles: Sequence[ArticleScores]) -> CorpusScores:
    """Micro average: sum the counts, then take the ratios."""
    totals = {k: sum(getattr(a, k) for a in articles) for k in _COUNTS}
    return CorpusScores(articles=tuple(articles), overall=ArticleScores(article="overall", **totals))


def evaluate_corpus(pairs: Iterable[tuple[Path, Path]]) -> CorpusScores:
    return combine([evaluate(article, gold) for article, gold in pairs])


def gold_pairs(articles_dir: str | Path, gold_dir: str | Path) -> list[tuple[Path, Path]]:
    """``<articles_dir>/<stem>.txt`` paired with ``<gold_dir>/<stem>.jsonl``, for every article
    that has gold. The caller names both folders (``evgrade eval`` defaults to the repository's)."""
    pairs = []
    for article in sorted(Path(articles_dir).glob("*.txt")):
        gold = Path(gold_dir) / f"{article.stem}.jsonl"
        if gold.is_file():
            pairs.append((article, gold))
    return pairs


# ------------------------------------------------------------ formatting

_COLUMNS = [("claims", "gold_claims"), ("predicted", "predicted_claims"),
            ("precision", "precision"), ("recall", "recall"), ("F1", "f1"),
            ("kind acc.", "kind_accuracy"), ("statistic rec.", "statistic_recall"),
            ("attributed rec.", "attributed_recall"), ("named source rec.", "named_source_recall"),
            ("boundary acc.", "boundary_accuracy")]


def format_scores(scores: CorpusScores | ArticleScores) -> str:
    """One row per article plus the micro-averaged overall row, as a plain table."""
    rows_of = scores.articles + (scores.overall,) if isinstance(scores, CorpusScores) else (scores,)
    rows = []
    for a in rows_of:
        row: list[object] = [a.article]
        for _title, attr in _COLUMNS:
            value = getattr(a, attr)
            row.append(f"{value:.3f}" if isinstance(value, float) else value)
        rows.append(row)
    return tabulate(rows, headers=["article"] + [t for t, _ in _COLUMNS],
                    tablefmt="simple", disable_numparse=True)
