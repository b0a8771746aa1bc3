"""What online resolution changes in the report, end to end through the pipeline.

The local server replays the recorded Crossref, OpenAlex and PubMed bodies
(tests/data/api/, see SOURCE.txt there); nothing touches the network.
"""

from __future__ import annotations

from pathlib import Path

from resolve_support import ELIFE_DOI, HABANERO, PLOS_CORRECTED_DOI, crossref_work, options, serve_crossref
from test_resolve_online import ELIFE_TITLE

from evgrade.models import Report
from evgrade.pipeline import Options, run

BIB = f"""@article{{elife,
  author = {{Sankar, Martial and others}},
  title = {{{ELIFE_TITLE}}},
  journal = {{eLife}}, year = {{2014}}, doi = {{{ELIFE_DOI}}}
}}

@article{{fabricated,
  author = {{Smith, John}},
  title = {{Vitamin D supplementation prevents fractures in older women}},
  journal = {{Journal of Bone Health}}, year = {{2019}}, doi = {{{ELIFE_DOI}}},
  studydesign = {{randomized controlled trial}}
}}

@article{{corrected,
  author = {{Sadasivan, Shankar and others}},
  title = {{Methylphenidate exposure induces dopamine neuron loss and activation of microglia in the basal ganglia of mice}},
  journal = {{PLoS ONE}}, year = {{2012}}, doi = {{{PLOS_CORRECTED_DOI}}}
}}
"""

DRAFT = """---
bibliography: refs.bib
---

Automated histology showed that 40% of hypocotyls widened during secondary growth [@elife].

Vitamin D supplementation prevented 30% of fractures in older women [@fabricated].

Methylphenidate exposure caused a 20% loss of dopamine neurons in mice [@corrected].
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    return draft


def _claims(report: Report) -> dict[str, object]:
    return {gc.claim.citations[0].key: gc for a in report.articles for gc in a.claims}


def test_a_doi_naming_another_work_makes_the_citation_untraceable(resolve_api, resolve_clock, tmp_path):
    draft = _project(tmp_path)
    offline = run([draft], Options())
    assert _claims(offline)["fabricated"].traceable  # well-formed DOI: traceable offline

    report = run([draft], Options(resolve=options(resolve_api, tmp_path / "cache")))
    claims = _claims(report)
    assert claims["elife"].traceable
    assert not claims["fabricated"].traceable
    assert report.entries["fabricated"].resolution.status == "mismatch"
    [mismatch] = [f for f in report.findings if f.code == "EV402"]
    assert mismatch.key == "fabricated" and mismatch.path.endswith("refs.bib") and mismatch.line == 7
    # the correction is reported, and the corrected work still counts
    assert any(f.code == "EV404" and f.key == "corrected" for f in report.findings)
    assert claims["corrected"].traceable


def test_a_retracted_source_never_counts_as_evidence(httpserver, resolve_clock, tmp_path):
    # Built by editing a real record (the recorded PLOS ONE correction notice, its
    # type changed to "retraction"): no recorded body carries a real retraction.
    item = crossref_work(HABANERO / "test_works_with_one_id_0.json")
    item["updated-by"][0]["type"] = "retraction"
    item["updated-by"][0]["label"] = "Retraction"
    serve_crossref(httpserver, {PLOS_CORRECTED_DOI: item})
    draft = _project(tmp_path)
    opts = options(httpserver, tmp_path / "cache", sources=("crossref",))
    report = run([draft], Options(resolve=opts))
    claim = _claims(report)["corrected"]
    assert report.entries["corrected"].resolution.retracted
    assert not report.entries["corrected"].counts_as_evidence
    assert claim.grade == report.levels[-1] and not claim.traceable
    assert any(f.code == "EV403" and f.key == "corrected" for f in report.findings)
