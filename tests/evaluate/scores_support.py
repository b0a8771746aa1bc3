"""Failure messages for the accuracy floors: the scores table, then what went wrong.

Only the tests need this (a developer reading a failed floor); the library keeps
the scores as data (``ArticleScores.false_positives`` and the rest).
"""

from __future__ import annotations

from evgrade.evaluate.claims import ArticleScores, CorpusScores, format_scores

LIMIT = 20  # lines shown per section and article


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:87] + "..."


def _sections(a: ArticleScores) -> list[tuple[str, list[str]]]:
    return [
        ("missed claims", [f"{m.line}:{m.col} [{m.gold_kind}] {_clip(m.text)}" for m in a.false_negatives]),
        ("false claims", [f"{m.line}:{m.col} [{m.predicted_kind}] {_clip(m.text)}" for m in a.false_positives]),
        ("wrong kind", [f"{m.line}:{m.col} gold {m.gold_kind}, got {m.predicted_kind}: {_clip(m.text)}"
                        for m in a.kind_errors]),
        ("missed boundaries", [f"{b.line}:{b.col} {b.side} of: {_clip(b.sentence)}"
                               for b in a.missed_boundaries]),
    ]


def explain(scores: CorpusScores) -> str:
    out = ["", format_scores(scores)]
    for a in scores.articles:
        for title, lines in _sections(a):
            if lines:
                out.append(f"{a.article}: {title} ({len(lines)})")
                out.extend(f"  {x}" for x in lines[:LIMIT])
                if len(lines) > LIMIT:
                    out.append(f"  ... {len(lines) - LIMIT} more")
    return "\n".join(out)
