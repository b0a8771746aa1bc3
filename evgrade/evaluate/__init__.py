"""Measurement: how close evgrade's output is to hand-labelled gold data.

Takes gold files (JSON Lines, one unit per sentence) and the texts they label,
runs the read and claims stages, and gives precision, recall, kind accuracy and
boundary accuracy (:mod:`.claims`). It is a tool for developers and for
``evgrade eval``; the pipeline never depends on it.
"""

from __future__ import annotations

from .claims import evaluate, evaluate_corpus, format_scores, load_gold

__all__ = ["evaluate", "evaluate_corpus", "format_scores", "load_gold"]
