"""The grade stage: what each linked entry is worth, and each claim's grade.

Takes the links, the bibliography's entries, optional online resolutions and a
rubric (:mod:`.rubric`, loaded from ``rubrics/*.toml``). Decides each entry's
study design (:mod:`.designs`), its rubric level and traceability, then grades
each claim and summarises each article (:mod:`.grades`); a claim's table
flags are renderings of its findings (:mod:`.flags`). It never reads
documents and never formats output; everything it decides carries its reason.
"""

from __future__ import annotations

from .designs import choose_design, detect_design
from .grades import assess_entry, grade_claim, summarize
from .rubric import Rubric, list_rubrics, load_rubric

__all__ = ["Rubric", "assess_entry", "choose_design", "detect_design", "grade_claim",
           "list_rubrics", "load_rubric", "summarize"]
