"""The grade stage: what each linked entry is worth, and each claim's grade.

Takes the links, the bibliography's entries, optional online resolutions and a
rubric (:mod:`.rubric`, loaded from ``rubrics/*.toml``). Decides each entry's
study design (:mod:`.designs`), its rubric level and traceability, then grades
each claim and summarises each article (:mod:`.grades`); a claim's table
flags are renderings of its findings (:mod:`.flags`). It never reads
documents and never formats output; everything it decides carries its reason.
"""

from __future__ import annotations

from .._registry import lazy_names

__all__ = ["Rubric", "assess_entry", "choose_design", "detect_design", "grade_claim",
           "list_rubrics", "load_rubric", "summarize"]

# each name's module, imported on first use: `evgrade rubrics` needs the rubric loader,
# not the design and grading rules (importing those made it take 0.57 s instead of 0.38 s)
_WHERE = {"choose_design": "designs", "detect_design": "designs", "assess_entry": "grades",
          "grade_claim": "grades", "summarize": "grades", "Rubric": "rubric",
          "list_rubrics": "rubric", "load_rubric": "rubric"}
__getattr__ = lazy_names(__name__, _WHERE)
