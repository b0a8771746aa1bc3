"""Score design calls against the gold classes of :mod:`.designs` and print the result.

Accuracy: a call is right when its design is one the record's gold class accepts
(:data:`.designs.ACCEPT`). For the four classes the goals name (case reports,
RCTs, systematic reviews / meta-analyses, editorials / letters), recall is the
share of gold records called right, and precision the share of calls in that
class's designs whose gold is that class: a "case series" call on a record PubMed
types only as "Journal Article" is right for accuracy (PubMed has no case-series
type) but counts against case-report precision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tabulate import tabulate

from ..models import DesignCall, Reference, StudyDesign
from .designs import ACCEPT, GoldClass, PubmedRecord

Classifier = Callable[[Reference], DesignCall]

# predicted designs in groups, the columns of the confusion matrix
GROUPS: dict[str, frozenset[StudyDesign]] = {
    "rct": frozenset({"randomized-controlled-trial"}),
    "trial": frozenset({"controlled-trial", "open-label-trial"}),
    "healthy-vol": frozenset({"healthy-volunteer-study"}),
    "sr-ma": frozenset({"meta-analysis", "systematic-review"}),
    "guideline": frozenset({"guideline"}),
    "case": frozenset({"case-report", "case-series"}),
    "opinion": frozenset({"expert-opinion"}),
    "review": frozenset({"narrative-review"}),
    "observational": frozenset({"cohort-study", "case-control-study", "cross-sectional-study"}),
    "preclinical": frozenset({"preclinical"}),
    "web-page": frozenset({"web-page"}),
    "unknown": frozenset({"unknown"}),
}
GOLD_ORDER: tuple[GoldClass, ...] = ("rct", "trial", "sr-ma", "guideline", "case", "opinion",
                                     "review", "animal", "primary")
# the classes with recall and precision goals: gold class -> its predicted group
FOCUS: dict[GoldClass, str] = {"case": "case", "rct": "rct", "sr-ma": "sr-ma",
                               "opinion": "opinion"}
FOCUS_NAMES = {"case": "case reports", "rct": "RCTs", "sr-ma": "SR / meta-analyses",
               "opinion": "editorials / letters"}
HUMAN_TRIALS: tuple[GoldClass, ...] = ("rct", "trial")


def group_of(design: StudyDesign) -> str:
    for name, designs in GROUPS.items():
        if design in designs:
            return name
    return "unknown"


@dataclass(frozen=True)
class Scored:
    record: PubmedRecord
    call: DesignCall

    @property
    def gold(self) -> GoldClass:
        assert self.record.gold is not None
        return self.record.gold

    @property
    def right(self) -> bool:
        return self.call.design in ACCEPT[self.gold]

    @property
    def group(self) -> str:
        return group_of(self.call.design)


def score(records: Sequence[PubmedRecord], classify: Classifier) -> list[Scored]:
    """Every record with a gold class, with the classifier's call on its entry."""
    return [Scored(r, classify(r.reference)) for r in records if r.gold is not None]


def _rate(k: int, n: int) -> str:
    return f"{k / n:.3f} ({k}/{n})" if n else f"-    (0/0)"


@dataclass(frozen=True)
class Summary:
    n: int
    right: int
    per_class: dict[str, tuple[int, int]]         # gold class -> (right, n)
    recall: dict[str, tuple[int, int]]            # focus class -> (right, n gold)
    precision: dict[str, tuple[int, int]]         # focus class -> (gold among calls, n calls)
    opinion_no_abstract: tuple[int, int]
    trials_called_preclinical: tuple[int, int]
    confusion: dict[str, Counter[str]]            # gold class -> predicted group -> count

    @property
    def accuracy(self) -> float:
        return self.right / self.n if self.n else 0.0


def _per_class(scored: Sequence[Scored]) -> tuple[dict[str, tuple[int, int]],
                                                  dict[str, Counter[str]]]:
    per: dict[str, tuple[int, int]] = {}
    confusion: dict[str, Counter[str]] = {g: Counter() for g in GOLD_ORDER}
    for g in GOLD_ORDER:
        mine = [s for s in scored if s.gold == g]
        per[g] = (sum(s.right for s in mine), len(mine))
        confusion[g].update(s.group for s in mine)
    return per, confusion


def _share(items: Sequence[Scored], hit: Callable[[Scored], bool]) -> tuple[int, int]:
    return sum(hit(s) for s in items), len(items)


def summarize(scored: Sequence[Scored]) -> Summary:
    per, confusion = _per_class(scored)
    precision = {gold: _share([s for s in scored if s.group == group], lambda s, g=gold: s.gold == g)
                 for gold, group in FOCUS.items()}
    no_abs = [s for s in scored if s.gold == "opinion" and not s.record.has_abstract]
    trials = [s for s in scored if s.gold in HUMAN_TRIALS]
    return Summary(
        n=len(scored), right=sum(s.right for s in scored), per_class=per,
        recall={g: per[g] for g in FOCUS}, precision=precision,
        opinion_no_abstract=_share(no_abs, lambda s: s.right),
        trials_called_preclinical=_share(trials, lambda s: s.call.design == "preclinical"),
        confusion=confusion,
    )


def format_summary(summary: Summary, title: str) -> str:
    lines = [title, f"n = {summary.n}   accuracy = {_rate(summary.right, summary.n)}", ""]
    lines.append(tabulate([(g, n, _rate(k, n)) for g, (k, n) in summary.per_class.items() if n],
                          headers=("gold class", "n", "accuracy (right/n)")))
    lines.append("")
    rows = [(FOCUS_NAMES[g], _rate(*summary.recall[g]), _rate(*summary.precision[g]))
            for g in FOCUS]
    lines.append(tabulate(rows, headers=("class", "recall (right/gold)",
                                         "precision (gold/called)")))
    k, n = summary.opinion_no_abstract
    lines.append(f"\neditorials / letters without an abstract: recall {_rate(k, n)}")
    k, n = summary.trials_called_preclinical
    lines.append(f"human trials (rct, trial) called preclinical: {k} of {n}")
    cols = [c for c in GROUPS if any(summary.confusion[g][c] for g in GOLD_ORDER)]
    matrix = [[g] + [summary.confusion[g][c] or "." for c in cols]
              for g in GOLD_ORDER if summary.per_class[g][1]]
    lines.append("\nconfusion (rows: gold class, columns: called design group)")
    lines.append(tabulate(matrix, headers=["gold \\ called"] + cols, stralign="right"))
    return "\n".join(lines)


def format_errors(scored: Sequence[Scored], limit: int | None = None) -> str:
    """The wrong calls, one per line: PMID, gold, call, source and the deciding words."""
    wrong = [s for s in scored if not s.right]
    rows = [(s.record.pmid, s.gold, s.call.design, s.call.source, s.call.evidence[:70],
             s.record.reference.title[:70]) for s in wrong[:limit]]
    return tabulate(rows, headers=("pmid", "gold", "called", "source", "evidence", "title"))
