"""The bundled example is honest: verified identifiers only, a clean claim map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evgrade.bib.load import load_bibliography
from evgrade.cli import main
from evgrade.link.claimmap import load_claim_map
from evgrade.pipeline import Options, project_inputs, run
from evgrade.report import render

ROOT = Path(__file__).resolve().parents[1]
VERIFIED = ROOT.parent / "shared" / "reference-facts" / "ketamine-verified.bib"
SEEDS = ROOT.parent / "shared" / "seeds"


def test_every_identifier_in_references_bib_is_a_verified_one() -> None:
    ours = load_bibliography([ROOT / "references.bib"])
    verified = load_bibliography([VERIFIED])
    assert not ours.findings
    for key, ref in ours.entries.items():
        if key in verified.entries:
            v = verified.entries[key]
            assert (ref.doi, ref.pmid, ref.pmcid, ref.title, ref.year) == (v.doi, v.pmid, v.pmcid, v.title, v.year)
        else:  # the publishers' own pages: no identifier at all
            assert ref.entry_type == "online" and not (ref.doi or ref.pmid or ref.pmcid or ref.isbn), key
    assert set(verified.entries) <= set(ours.entries)


def test_bundled_articles_are_the_seeds_unchanged() -> None:
    seeds = {p.read_bytes() for p in SEEDS.glob("*.txt")}
    articles = {p.read_bytes() for p in (ROOT / "articles").glob("*.txt")}
    assert articles == seeds and len(articles) == 5


def test_claim_map_links_only_known_keys_and_every_quote_matches() -> None:
    bib = load_bibliography([ROOT / "references.bib"])
    claim_map = load_claim_map(ROOT / "articles" / "claims.toml")
    assert {k for e in claim_map.entries for k in e.keys} <= set(bib.entries)
    report = run([ROOT / "articles"], Options(bibliographies=(ROOT / "references.bib",),
                                              claim_map=ROOT / "articles" / "claims.toml"))
    codes = {f.code for f in report.findings}
    assert not codes & {"EV101", "EV302", "EV303", "EV304"}
    mapped = sum(1 for a in report.articles for gc in a.claims if any(l.via == "map" for l in gc.links))
    assert mapped == len(claim_map.entries)


def test_articles_readme_names_every_article() -> None:
    text = (ROOT / "articles" / "README.md").read_text(encoding="utf-8")
    for path in (ROOT / "articles").glob("*.txt"):
        assert f"`{path.name}`" in text
    assert re.search(r"ShaMynds", text) and re.search(r"Propel Therapeutics", text)


def test_the_library_call_gives_what_evgrade_score_gives(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(ROOT)
    assert main(["score", "--format", "json"]) == 0
    printed = capsys.readouterr().out
    report = run(project_inputs(), Options.from_project())
    assert render(report, "json") == printed
    # the project policy is what made the difference: map, bibliography and all
    assert report.bibliographies == ("references.bib",)
    assert any(l.via == "map" for a in report.articles for gc in a.claims for l in gc.links)
