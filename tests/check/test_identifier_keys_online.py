"""A Manubot identifier key with no bibliography entry is looked up like any entry with
``--resolve`` (issue 10). The local server replays recorded Crossref, OpenAlex and PubMed
bodies (tests/data/api/, see SOURCE.txt there); nothing touches the network.
"""

from __future__ import annotations

from pathlib import Path

from resolve_support import BAD_DOI, ELIFE_DOI, REVIEW_PMID, options

from evgrade.pipeline import Options, run

DRAFT = f"""Automated histology measured how hypocotyls widen during growth [@doi:{ELIFE_DOI}].

An older review described the same treatment [@pmid:{REVIEW_PMID}].

A third source is cited by a DOI that does not exist [@doi:{BAD_DOI}].
"""


def test_identifier_keys_are_resolved_online(resolve_api, resolve_clock, tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    offline = run([draft], Options())
    assert all(offline.entries[k].traceable for k in offline.entries)  # valid syntax: traceable
    assert not [f for f in offline.findings if f.code == "EV101"]

    report = run([draft], Options(resolve=options(resolve_api, tmp_path)))
    elife = report.entries[f"doi:{ELIFE_DOI}"]
    assert elife.resolution is not None and elife.resolution.status == "verified"
    review = report.entries[f"pmid:{REVIEW_PMID}"]
    assert review.resolution is not None and review.resolution.status == "verified"
    assert review.design is not None and review.design.source != "default"  # PubMed's type decides
    bad = report.entries[f"doi:{BAD_DOI}"]
    assert bad.resolution is not None and bad.resolution.status == "not-found" and not bad.traceable
    [gone] = [f for f in report.findings if f.code == "EV401"]
    assert gone.key == f"doi:{BAD_DOI}"
    assert (gone.path, gone.line) == (str(draft), 5)  # where the draft cites it
