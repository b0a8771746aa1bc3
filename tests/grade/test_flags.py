"""Flags render findings: on the bundled example and with online verdicts (local server).

The rule (docs/findings.md, "Flags"): each flag renders one finding of its
claim, or an online verdict reported at a linked entry (EV401-EV403), and each
such finding has its flag; a flag about an entry names that entry, and a claim
marked traceable never reads "untraceable".
"""

from __future__ import annotations

import re
from pathlib import Path

from resolve_support import BAD_DOI, COMMONMETA, ELIFE_DOI, HABANERO, PLOS_CORRECTED_DOI, crossref_work, \
    options, serve_crossref

from evgrade.models import GradedClaim, Report
from evgrade.pipeline import Options, run

ROOT = Path(__file__).resolve().parents[2]

# claim flags that say something general / name keys / quote their finding's message
CLAIM_CODES = {"EV201", "EV202", "EV208", "EV209", "EV210", "EV212"}
KEYED_CODES = {"EV205", "EV206", "EV211"}
MESSAGE_CODES = {"EV203", "EV207", "EV213", "EV214"}
ENTRY_CODES = {"EV101", "EV102", "EV103", "EV215"}
ONLINE_CODES = {"EV401", "EV402", "EV403"}
# what a reader of the table sees -> the finding it stands for
FLAG_PATTERNS = [
    (re.compile(r"no citation"), "EV201"),
    (re.compile(r"below minimum: needs \S+"), "EV202"),
    (re.compile(r"names .+, cites (?:nothing|only untraceable entries)"), "EV203"),
    (re.compile(r"partial support only: (?P<keys>.+)"), "EV205"),
    (re.compile(r"contradicted by (?P<keys>.+)"), "EV206"),
    (re.compile(r"unsupported part: '.+' has no supporting entry"), "EV207"),
    (re.compile(r"animal/cell evidence only"), "EV208"),
    (re.compile(r"healthy-volunteer evidence only"), "EV209"),
    (re.compile(r"uncontrolled evidence only"), "EV210"),
    (re.compile(r"single small study: (?P<keys>\S+)"), "EV211"),
    (re.compile(r"stronger than its sources: '.+'"), "EV212"),
    (re.compile(r"\S+ not in any cited record"), "EV213"),
    (re.compile(r"(?:figure and population match|the (?:figure|population|topic) matches) .+, "
                r"not the named .+"), "EV214"),
    (re.compile(r"unknown key (?P<key>\S+)"), "EV101"),
    (re.compile(r"no identifier: (?P<key>\S+)"), "EV102"),
    (re.compile(r"invalid identifier: (?P<key>\S+)"), "EV103"),
    (re.compile(r"design unknown: (?P<key>\S+)"), "EV215"),
    (re.compile(r"not found online: (?P<key>\S+)"), "EV401"),
    (re.compile(r"resolves to another work: (?P<key>\S+)"), "EV402"),
    (re.compile(r"retracted: (?P<key>\S+)"), "EV403"),
]


def _flag_pairs(gc: GradedClaim) -> set[tuple[str, str]]:
    """(code, key) for entry and keyed flags, (code, "") or (code, text) for claim flags."""
    pairs = set()
    for flag in gc.flags:
        hits = [(code, m) for rx, code in FLAG_PATTERNS if (m := rx.fullmatch(flag))]
        assert len(hits) == 1, f"flag {flag!r} renders no known finding"
        code, m = hits[0]
        if code in KEYED_CODES:
            pairs |= {(code, key) for key in m.group("keys").split(", ")}
        else:
            pairs.add((code, m.groupdict().get("key") or (flag if code in MESSAGE_CODES else "")))
    return pairs


def _finding_pairs(report: Report, gc: GradedClaim) -> set[tuple[str, str]]:
    """The findings a flag must exist for: the claim's own, and online verdicts on its counted entries."""
    counted = {link.key for link in gc.links if link.via != "suggested"}
    pairs = set()
    for f in report.findings:
        if f.claim_id == gc.claim.id and f.code in CLAIM_CODES:
            pairs.add((f.code, ""))
        elif f.claim_id == gc.claim.id and f.code in MESSAGE_CODES:
            pairs.add((f.code, f.message.split(" (", 1)[0] if f.code == "EV213" else f.message))
        elif f.claim_id == gc.claim.id and f.code in KEYED_CODES | ENTRY_CODES:
            pairs.add((f.code, f.key))
        elif not f.claim_id and f.key in counted and f.code in ONLINE_CODES:
            resolution = report.entries[f.key].resolution
            # "not found" for one identifier matters only when no other one was verified
            if f.code != "EV401" or (resolution is not None and resolution.status == "not-found"):
                pairs.add((f.code, f.key))
    return pairs


def _check_flags(report: Report) -> list[GradedClaim]:
    claims = [gc for a in report.articles for gc in a.claims]
    for gc in claims:
        flagged = _flag_pairs(gc)
        assert flagged == _finding_pairs(report, gc), gc.claim.text
        linked = {link.key for link in gc.links}
        assert {key for code, key in flagged if code in ENTRY_CODES | KEYED_CODES} <= linked
        if gc.traceable:
            assert not any("untraceable" in flag for flag in gc.flags), gc.flags
            # a traceability flag on a traceable claim is about another entry than the one tracing it
            for code, key in flagged:
                if code in (ENTRY_CODES - {"EV215"}) | ONLINE_CODES:
                    others = linked - {key}
                    assert any(report.entries[k].traceable for k in others if k in report.entries)
    return claims


def test_every_flag_of_the_bundled_example_renders_one_of_its_findings() -> None:
    report = run([ROOT / "articles"], Options(bibliographies=(ROOT / "references.bib",),
                                              claim_map=ROOT / "articles" / "claims.toml"))
    claims = _check_flags(report)
    assert sum(1 for gc in claims if gc.flags) >= 80
    # the row the issue quoted: traceable through ZanosGould2018, Krystal1994 has no identifier
    row = next(gc for gc in claims if gc.traceable and "no identifier: Krystal1994" in gc.flags)
    assert report.entries["ZanosGould2018"].traceable and {l.key for l in row.links} >= {
        "Krystal1994", "ZanosGould2018"}


ELIFE = crossref_work(COMMONMETA / "test-crossref_reader__test_doi_with_data_citation_1.json")
BIB = f"""@article{{elife,
  author = {{Sankar, Martial and others}},
  title = {{{ELIFE["title"][0]}}},
  journal = {{eLife}}, year = {{2014}}, doi = {{{ELIFE_DOI}}}
}}

@article{{fabricated,
  author = {{Smith, John}},
  title = {{Vitamin D supplementation prevents fractures in older women}},
  journal = {{Journal of Bone Health}}, year = {{2019}}, doi = {{{ELIFE_DOI}}},
  studydesign = {{randomized controlled trial}}
}}

@article{{retracted,
  author = {{Sadasivan, Shankar and others}},
  title = {{Methylphenidate exposure induces dopamine neuron loss and activation of microglia in the basal ganglia of mice}},
  journal = {{PLoS ONE}}, year = {{2012}}, doi = {{{PLOS_CORRECTED_DOI}}}
}}

@article{{gone,
  author = {{Doe, Jane}},
  title = {{A study that was never published}},
  journal = {{Journal of Nothing}}, year = {{2020}}, doi = {{{BAD_DOI}}}
}}
"""

DRAFT = """---
bibliography: refs.bib
---

Automated histology showed that 40% of hypocotyls widened during secondary growth [@elife].

Vitamin D supplementation prevented 30% of fractures in older women [@fabricated].

Methylphenidate exposure caused a 20% loss of dopamine neurons in mice [@retracted].

An unpublished study found that 10% of readers stopped reading [@gone].

Secondary growth widened 40% of hypocotyls in two studies [@elife; @fabricated].
"""


def test_online_verdicts_are_flagged_like_the_findings_at_the_entry(httpserver, resolve_clock,
                                                                    tmp_path: Path) -> None:
    # Built by editing a real record (the recorded PLOS ONE correction notice, its
    # type changed to "retraction"): no recorded body carries a real retraction.
    plos = crossref_work(HABANERO / "test_works_with_one_id_0.json")
    plos["updated-by"][0]["type"] = "retraction"
    plos["updated-by"][0]["label"] = "Retraction"
    serve_crossref(httpserver, {ELIFE_DOI: ELIFE, PLOS_CORRECTED_DOI: plos})
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    opts = options(httpserver, tmp_path / "cache", sources=("crossref",))
    report = run([draft], Options(resolve=opts))
    claims = _check_flags(report)
    flags = {tuple(sorted(link.key for link in gc.links)): gc for gc in claims}
    assert "resolves to another work: fabricated" in flags[("fabricated",)].flags
    assert "retracted: retracted" in flags[("retracted",)].flags
    assert "not found online: gone" in flags[("gone",)].flags
    both = flags[("elife", "fabricated")]
    assert both.traceable and "resolves to another work: fabricated" in both.flags
    codes = {(f.code, f.key) for f in report.findings if not f.claim_id}
    assert {("EV401", "gone"), ("EV402", "fabricated"), ("EV403", "retracted")} <= codes
