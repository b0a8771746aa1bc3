"""``evgrade refs``: every entry with its design, level, traceability and uses, on the bundled
references.bib and claim map, the real IRIDIA library, and CSL exports."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from resolve_support import ELIFE_DOI, PLOS_CORRECTED_DOI, BAD_DOI, options as resolve_options

from evgrade import pipeline
from evgrade.bib import load_bibliography
from evgrade.cli import main
from evgrade.errors import UsageError
from evgrade.grade.refs import RowFilter, judgement_fields
from evgrade.report.refs import REFS_FORMATS, render_refs

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "references.bib"
ARTICLES = ROOT / "articles"
SHARED = ROOT.parent / "shared"
IRIDIA = SHARED / "fixtures" / "bibtex" / "iridia"
IRIDIA_SET = [IRIDIA / n for n in ("abbrev.bib", "journals.bib", "authors.bib",
                                   "crossref.bib", "biblio.bib", "articles.bib")]
CSL = SHARED / "fixtures" / "csl"


def _refs(paths=(), **options):
    return pipeline.list_references(paths, pipeline.Options(bibliographies=(BIB,), **options),
                                    today="2026-01-01")


def test_every_entry_of_the_bundled_bibliography_is_a_row() -> None:
    refs = _refs()
    bib = load_bibliography([BIB])
    assert [r.key for r in refs.rows] == list(bib.entries) and refs.entries == len(bib)
    berman = next(r for r in refs.rows if r.key == "Berman2000")
    assert (berman.first_author, berman.authors, berman.year, berman.venue) == \
        ("Berman", 7, "2000", "Biological Psychiatry")
    assert berman.identifiers == {"doi": "10.1016/S0006-3223(99)00230-9", "pmid": "10686270"}
    assert (berman.design.design, berman.design.source, berman.level, berman.traceable) == \
        ("randomized-controlled-trial", "field", "trial", True)
    assert berman.location is not None and berman.location.path == str(BIB)
    assert not refs.usage_known and all(not r.cited for r in refs.rows)
    assert refs.resolved is False and all(r.retraction == "" for r in refs.rows)


def test_uses_come_from_the_articles_and_the_claim_map() -> None:
    with_articles = _refs([ARTICLES], claim_map=ARTICLES / "claims.toml")
    assert with_articles.usage_known and len(with_articles.documents) == 5
    berman = next(r for r in with_articles.rows if r.key == "Berman2000")
    assert berman.cited and {p.via for p in berman.cited} == {"map"}
    assert all(Path(p.path).parent == ARTICLES for p in berman.cited)
    # the map alone still says where each key is used: at its [[claims]] line
    map_only = _refs(claim_map=ARTICLES / "claims.toml")
    by_key = {r.key: r for r in map_only.rows}
    assert {p.path for p in by_key["Berman2000"].cited} == {str(ARTICLES / "claims.toml")}
    used = {r.key for r in with_articles.rows if r.cited}
    assert used == {r.key for r in map_only.rows if r.cited}
    assert {r.key for r in map_only.rows if not r.cited}  # some entries are mapped to no claim


def test_citations_in_a_draft_count_also_outside_claims(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("# Background\n\nKetamine is an anaesthetic [@Domino1965].\n\n"
                     "Seventy per cent of patients responded within a day [@Zarate2006; "
                     "@Nobody2020].\n", encoding="utf-8")
    refs = _refs([draft])
    by_key = {r.key: r for r in refs.rows}
    assert [(p.line, p.via) for p in by_key["Domino1965"].cited] == [(3, "citation")]
    assert [(p.line, p.via) for p in by_key["Zarate2006"].cited] == [(5, "citation")]
    (unknown,) = [f for f in refs.findings if f.code == "EV101"]
    assert unknown.key == "Nobody2020" and unknown.line == 5
    assert main(["refs", str(draft), "--bib", str(BIB)]) == 1  # a cited key the bib lacks: a finding
    assert main(["refs", str(draft), "--bib", str(BIB), "--strict-input"]) == 2


def test_a_manubot_identifier_key_needs_no_entry(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("Seventy per cent of patients responded within a day [@Zarate2006; "
                     "@doi:10.1000/not-in-the-bib].\n", encoding="utf-8")
    refs = _refs([draft])
    assert not [f for f in refs.findings if f.code == "EV101"]
    assert main(["refs", str(draft), "--bib", str(BIB)]) == 0


def test_filters_keep_rows_that_meet_every_condition() -> None:
    refs = _refs(claim_map=ARTICLES / "claims.toml")
    keep = pipeline.list_references((), pipeline.Options(bibliographies=(BIB,),
                                                         claim_map=ARTICLES / "claims.toml"),
                                    keep=RowFilter(levels=frozenset({"trial"}),
                                                   designs=frozenset({"meta-analysis"}),
                                                   cited=True))
    expected = [r.key for r in refs.rows if r.level == "trial" and r.design.design == "meta-analysis"
                and r.cited]
    assert [r.key for r in keep.rows] == expected and expected
    assert keep.entries == len(refs.rows)
    untraceable = pipeline.list_references((), pipeline.Options(bibliographies=(BIB,)),
                                           keep=RowFilter(untraceable=True))
    assert [r.key for r in untraceable.rows] == [r.key for r in refs.rows if not r.traceable]


@pytest.mark.parametrize("keep, message", [
    (RowFilter(levels=frozenset({"gold"})), "has no level 'gold'"),
    (RowFilter(designs=frozenset({"rct"})), "unknown design 'rct'"),
    (RowFilter(cited=True), "--cited needs"),
])
def test_bad_filters_are_usage_errors(keep: RowFilter, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        pipeline.list_references((), pipeline.Options(bibliographies=(BIB,)), keep=keep)


# ------------------------------------------------------------ formats

def test_every_format_shows_every_row() -> None:
    refs = _refs(claim_map=ARTICLES / "claims.toml")
    assert set(REFS_FORMATS.names()) >= {"text", "markdown", "csv", "json", "zotero-extra",
                                         "zotero-csv"}
    text = render_refs(refs, "text")
    assert all(r.key in text for r in refs.rows)
    assert text.splitlines()[-1].startswith(f"{len(refs.rows)} entries, rubric default:")
    markdown = render_refs(refs, "markdown")
    assert markdown.count("\n| ") == len(refs.rows) + 0 and "| key | author |" in markdown
    rows = list(csv.DictReader(io.StringIO(render_refs(refs, "csv"))))
    assert [r["key"] for r in rows] == [r.key for r in refs.rows]
    assert rows[0]["doi"] == refs.rows[0].identifiers["doi"]
    assert {r["design_source"] for r in rows} >= {"field"}
    data = json.loads(render_refs(refs, "json"))
    assert [r["key"] for r in data["rows"]] == [r.key for r in refs.rows]
    with pytest.raises(UsageError, match="unknown refs format"):
        render_refs(refs, "pdf")


def test_zotero_extra_lines_are_the_judgement_fields_with_tex_prefixes() -> None:
    refs = _refs()
    extra = render_refs(refs, "zotero-extra")
    blocks = extra.strip().split("\n\n")
    assert len(blocks) == len(refs.rows)
    head, *lines = blocks[0].splitlines()
    row = refs.rows[0]
    assert head.startswith(f"== {row.key}")
    expected = {k: v for k, v in judgement_fields(row).items() if v is not None}
    assert lines == [f"tex.{k}: {v}" for k, v in expected.items()] + \
        ["tex.evgrade-checked: 2026-01-01; rubric default"]
    table = list(csv.DictReader(io.StringIO(render_refs(refs, "zotero-csv"))))
    assert table[0]["citation-key"] == row.key and table[0]["extra"].splitlines() == lines


def test_text_from_the_bibliography_is_shown_not_obeyed(tmp_path: Path) -> None:
    bib = tmp_path / "evil.bib"
    bib.write_text("@misc{evil, title = {=HYPERLINK(\"http://x\")}, journal = {J\x1b[31mred},"
                   " author = {=cmd}}\n", encoding="utf-8")
    refs = pipeline.list_references((), pipeline.Options(bibliographies=(bib,)))
    assert "\x1b" not in render_refs(refs, "text") and "\\x1b" in render_refs(refs, "text")
    row = next(csv.DictReader(io.StringIO(render_refs(refs, "csv"))))
    assert row["title"].startswith("'=") and row["first_author"].startswith("'=")


# ------------------------------------------------------------ the command line

def test_cli_prints_the_list_and_writes_it_atomically(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no project here: no default claim map
    assert main(["refs", "--bib", str(BIB), "--map", str(ARTICLES / "claims.toml"),
                 "--design", "meta-analysis,systematic-review", "-f", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {r["design"] for r in rows} <= {"meta-analysis", "systematic-review"}
    out = tmp_path / "refs.md"
    assert main(["refs", "--bib", str(BIB), "-f", "markdown", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("| key |")
    assert main(["refs", "--bib", str(BIB), "--cited"]) == 2
    assert "--cited needs" in capsys.readouterr().err


def test_a_bare_refs_in_a_project_uses_its_bibliography_and_claim_map(tmp_path: Path,
                                                                      monkeypatch, capsys) -> None:
    shutil.copy(BIB, tmp_path / "references.bib")
    (tmp_path / "articles").mkdir()
    shutil.copy(ARTICLES / "claims.toml", tmp_path / "articles" / "claims.toml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["refs", "--untraceable"]) == 0
    out = capsys.readouterr().out
    assert "cited" in out.splitlines()[0] and "untraceable" in out.splitlines()[-1]


# ------------------------------------------------------------ real libraries and CSL

def test_refs_on_the_iridia_library_lists_every_entry() -> None:
    refs = pipeline.list_references((), pipeline.Options(bibliographies=tuple(IRIDIA_SET)))
    bib = load_bibliography(IRIDIA_SET)
    assert len(refs.rows) == len(bib) > 3000
    assert refs.findings == bib.findings
    # crossref children carry their proceedings' booktitle as venue
    assert sum(1 for r in refs.rows if r.venue) > 0.9 * len(refs.rows)
    assert len(render_refs(refs, "text").splitlines()) == len(refs.rows) + 3


def test_refs_reads_a_csl_export_like_its_bibtex_twin() -> None:
    name = "Setting the item type via the cheater syntax #587"
    csl = pipeline.list_references((), pipeline.Options(bibliographies=(CSL / f"{name}.csl.json",)))
    tex = pipeline.list_references((), pipeline.Options(bibliographies=(CSL / f"{name}.biblatex.bib",)))
    assert {r.key: (r.design, r.level) for r in csl.rows} == \
        {r.key: (r.design, r.level) for r in tex.rows}


# ------------------------------------------------------------ online

REFS_BIB = f"""@article{{elife, author = {{Sankar, Martial}}, title = {{Automated quantitative
  histology reveals vascular morphodynamics during Arabidopsis hypocotyl secondary growth}},
  journal = {{eLife}}, year = {{2014}}, doi = {{{ELIFE_DOI}}}}}
@article{{plos, author = {{Sadasivan, Shankar}}, title = {{Methylphenidate exposure induces
  dopamine neuron loss and activation of microglia in the basal ganglia of mice}},
  journal = {{PLoS ONE}}, year = {{2012}}, doi = {{{PLOS_CORRECTED_DOI}}}}}
@article{{gone, author = {{Doe, Jane}}, title = {{A study that was never published}},
  journal = {{Journal of Nothing}}, year = {{2020}}, doi = {{{BAD_DOI}}}}}
"""


def test_resolve_gives_each_entry_its_retraction_status(resolve_api, resolve_clock,
                                                         tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(REFS_BIB, encoding="utf-8")
    opts = resolve_options(resolve_api, tmp_path, sources=("crossref",))
    refs = pipeline.list_references((), pipeline.Options(bibliographies=(bib,), resolve=opts))
    status = {r.key: (r.resolution, r.retraction) for r in refs.rows}
    assert status["plos"][1] == "corrected"
    assert status["gone"] == ("not-found", "unknown")
    assert refs.resolved and "retraction" in render_refs(refs, "text").splitlines()[0]
    fields = judgement_fields(next(r for r in refs.rows if r.key == "plos"))
    assert fields["evgrade-retraction"] == "corrected"


def test_cli_resolve_fills_in_the_retraction_status_and_annotate_writes_it(
        resolve_api, resolve_clock, tmp_path: Path, monkeypatch, capsys) -> None:
    from resolve_support import point_sources_at

    (tmp_path / "refs.bib").write_text(REFS_BIB, encoding="utf-8")
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("EVGRADE_MAILTO", "tests@example.org")
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    point_sources_at(resolve_api, monkeypatch)
    assert main(["refs", "--bib", "refs.bib", "--resolve", "-f", "json"]) == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["plos"]["retraction"] == "corrected" and rows["gone"]["retraction"] == "unknown"
    assert main(["annotate", "--bib", "refs.bib", "--resolve", "--offline", "--write"]) == 0
    text = (tmp_path / "refs.bib").read_text(encoding="utf-8")
    assert text.count("evgrade-retraction = {corrected}") == 1
    sent = len(resolve_api.log)
    # the same run again, from the cache: nothing changes and nothing is asked
    assert main(["annotate", "--bib", "refs.bib", "--resolve", "--offline", "--write"]) == 0
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8") == text
    assert len(resolve_api.log) == sent
    # without --resolve the designs are the entry's own again, but the retraction status
    # (which only a lookup can tell) stays as recorded
    assert main(["annotate", "--bib", "refs.bib", "--write"]) == 0
    plain = (tmp_path / "refs.bib").read_text(encoding="utf-8")
    assert plain.count("evgrade-retraction = {corrected}") == 1
    assert len(resolve_api.log) == sent
    assert main(["refs", "--bib", "refs.bib", "--offline"]) == 2  # --offline needs --resolve
