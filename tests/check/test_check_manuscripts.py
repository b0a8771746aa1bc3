"""``evgrade check`` on real public manuscripts (issue 10): exit codes like a linter's,
Manubot keys and pandoc-crossref references, and a shared library's uncited problems.

Every input is a real file from ../shared/fixtures (origin and licence in each folder's
SOURCE.txt, which also records the oracle: pandoc's own citation parse, or a ``\\cite``
scan for LaTeX). Where a test edits a copy (entries deleted from a bibliography), it says so.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from evgrade.cli import main
from evgrade.models import Report
from evgrade.pipeline import Options, exit_code, run

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
MANUSCRIPTS = SHARED / "manuscripts"
REPHETIO = MANUSCRIPTS / "rephetio-manubot"
TAKELAB = MANUSCRIPTS / "takelab-markdown-review"
CEFIDEROCOL = MANUSCRIPTS / "cefiderocol-quarto-sr"
LLM = MANUSCRIPTS / "llm-summarization-latex"
ZOTERO = SHARED / "bibtex" / "bbt-import" / "Unabbreviate on import #1436-3.bib"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EVGRADE_DEBUG", raising=False)


def cli(argv: list[str], cwd: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        code = main(argv)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def oracle(folder: Path, heading: str = "UNIQUE BIBLIOGRAPHIC KEYS") -> set[str]:
    """The keys SOURCE.txt lists under ``heading`` (recorded from pandoc or a \\cite scan)."""
    text = (folder / "SOURCE.txt").read_text(encoding="utf-8")
    block = text.split(heading, 1)[1].split("\n\n", 1)[0]
    return {line.strip() for line in block.splitlines()[1:] if line.strip()}


def cited_as_written(report: Report) -> set[str]:
    """Each citation link's key as the draft wrote it (a tag before it was looked up)."""
    return {l.reason.removeprefix("cited as ") if l.reason.startswith("cited as ") else l.key
            for a in report.articles for gc in a.claims for l in gc.links if l.via == "citation"}


# ------------------------------------------------------------ Manubot

@pytest.fixture(scope="module")
def rephetio() -> Report:
    return run([REPHETIO / "content" / "02.main-text.md"], Options())


def test_manubot_keys_need_no_bibliography(rephetio: Report) -> None:
    """No .bib at all, as in Manubot: 237 doi: keys and 4 tag: keys, none unknown."""
    assert rephetio.bibliographies == ()
    assert cited_as_written(rephetio) == oracle(REPHETIO)  # the 241 keys pandoc finds
    assert not [f for f in rephetio.findings if f.code == "EV101"]
    entry = rephetio.entries["doi:10.7554/eLife.16800"]
    assert entry.exists and entry.traceable and entry.identifiers == {"doi": "10.7554/eLife.16800"}
    assert entry.design is not None and entry.design.design == "unknown"
    assert any(f.code == "EV215" and f.key == "doi:10.7554/eLife.16800" for f in rephetio.findings)


def test_tag_keys_follow_the_manuscripts_citation_tags(rephetio: Report) -> None:
    tagged = {l.reason: l.key for a in rephetio.articles for gc in a.claims for l in gc.links
              if l.reason.startswith("cited as tag:")}
    assert tagged == {"cited as tag:dailey": "doi:10.1016/s0006-2952(96)00509-6",
                      "cited as tag:chen": "doi:10.1016/s0169-023x(97)00017-7",
                      "cited as tag:hilton": "doi:10.1016/S1059-1311(03)00082-7",
                      "cited as tag:placidi": "doi:10.1016/S1388-2457(00)00411-9"}
    assert rephetio.entries["doi:10.1016/s0169-023x(97)00017-7"].traceable


def test_crossref_labels_of_the_manubot_manuscript_are_not_citations(rephetio: Report) -> None:
    labels = oracle(REPHETIO, "CROSSREF LABELS")
    assert labels == {"fig:bupropion_nicotine", "fig:contribution", "fig:epilepsy", "fig:features",
                      "fig:hetionet", "fig:performance", "tbl:metaedges", "tbl:metanodes",
                      "tbl:metapaths", "tbl:resources"}
    assert not labels & set(rephetio.entries)
    assert not [f for f in rephetio.findings if any(label in f.message for label in labels)]


def test_check_of_the_manubot_main_text_exits_1_for_warnings_only(capsys) -> None:
    code, out, err = cli(["check", "content/02.main-text.md"], REPHETIO, capsys)
    assert code == 1 and err == ""
    assert " EV101 " not in out and " error" not in out.splitlines()[-1]


# ------------------------------------------------------- pandoc-crossref

def test_crossref_figure_references_are_no_missing_keys(capsys) -> None:
    """[@fig:fg1]..[@fig:fg4] in a pandoc review: before, 4 false EV101 errors."""
    draft = TAKELAB / "manuscript" / "manuscript.md"
    report = run([draft], Options(bibliographies=(TAKELAB / "manuscript" / "citations.bib",)))
    assert cited_as_written(report) == oracle(TAKELAB)  # the 317 bibliographic keys
    assert not [f for f in report.findings if f.code == "EV101"]
    labels = oracle(TAKELAB, "CROSSREF LABELS")
    assert labels == {"fig:fg1", "fig:fg2", "fig:fg3", "fig:fg4"}
    assert not labels & set(report.entries)


# ------------------------------------------- missing keys: exit 1, exactly those

def _without(bib: Path, keys: set[str], target: Path) -> None:
    """A copy of ``bib`` with the entries of ``keys`` deleted (each from its "@" to the next)."""
    text = bib.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^@", text)] + [len(text)]
    kept = []
    for begin, end in zip(starts, starts[1:]):
        m = re.match(r"@\w+\s*\{\s*([^,\s]+)\s*,", text[begin:end])
        if not (m and m.group(1) in keys):
            kept.append(text[begin:end])
    target.write_text(text[:starts[0]] + "".join(kept), encoding="utf-8")


@pytest.mark.parametrize("folder,drafts,bib", [
    (CEFIDEROCOL, ["Main_SR.qmd"], "bibliography.bib"),
    (LLM, ["manuscript/Sections/introduction.tex", "manuscript/Sections/discussion.tex"],
     "manuscript/refs.bib"),
], ids=["quarto", "latex"])
def test_entries_deleted_from_the_bibliography_are_exactly_the_missing_keys(
        folder: Path, drafts: list[str], bib: str, tmp_path: Path, capsys) -> None:
    work = tmp_path / folder.name
    shutil.copytree(folder, work)
    cited = sorted(oracle(folder))
    deleted = {cited[0], cited[len(cited) // 2], cited[-1]}
    _without(folder / bib, deleted, work / bib)
    code, out, err = cli(["check", *drafts, "--bib", bib, "-f", "json"], work, capsys)
    report = Report.model_validate_json(out)
    missing = {f.key for f in report.findings if f.code == "EV101"}
    assert missing == deleted
    assert code == 1  # findings, not "evgrade could not run"
    # beside a machine format, each citation of them is one lint line on stderr
    lines = err.splitlines()
    assert lines and all(" EV101 claim cites unknown key '" in line for line in lines)
    assert {re.search(r"key '([^']+)'", line).group(1) for line in lines} == deleted
    assert cli(["check", *drafts, "--bib", bib, "--strict-input"], work, capsys)[0] == 2
    # the untouched bibliography: no key missing
    code, out, _ = cli(["check", *drafts, "--bib", str(folder / bib), "-f", "json"], work, capsys)
    assert not [f for f in Report.model_validate_json(out).findings if f.code == "EV101"]


# --------------------------------------- a shared library's uncited problems

ZOTERO_DRAFT = "The measurements follow an earlier description of the method [@abbasi_2013].\n"


@pytest.fixture(scope="module")
def zotero_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One parsed-bibliography cache for the tests of the 3 MB export (parsed once)."""
    return str(tmp_path_factory.mktemp("zotero-cache"))


def test_uncited_duplicates_of_a_large_export_fail_no_check(tmp_path: Path, zotero_cache: str,
                                                            capsys) -> None:
    """16 case-only duplicate keys in a 7,166-entry Zotero export: before, exit 1 (warnings)."""
    (tmp_path / "draft.md").write_text(ZOTERO_DRAFT, encoding="utf-8")
    zotero = ["--bib", str(ZOTERO), "--cache-dir", zotero_cache]
    code, out, _ = cli(["check", "draft.md", *zotero, "-f", "json"], tmp_path, capsys)
    report = Report.model_validate_json(out)
    duplicates = [f for f in report.findings if f.code == "EV302"]
    assert len(duplicates) == 16 and {f.severity for f in duplicates} == {"info"}
    assert any("key 'Zhou_2006' is defined again" in f.message and "(as 'zhou_2006'; BibTeX keys "
               "ignore case)" in f.message for f in duplicates)
    assert report.entries["abbasi_2013"].traceable
    assert code == 0 and exit_code(report, "info") == 1  # shown, counted only at --fail-on info
    code, out, _ = cli(["check", "draft.md", *zotero], tmp_path, capsys)
    assert code == 0 and out.strip() == "No problems found. 16 info findings not shown."


def test_a_cited_duplicate_of_that_export_keeps_its_warning(tmp_path: Path, zotero_cache: str,
                                                            capsys) -> None:
    (tmp_path / "draft.md").write_text(ZOTERO_DRAFT.replace("abbasi_2013", "zhou_2006"), encoding="utf-8")
    zotero = ["--bib", str(ZOTERO), "--cache-dir", zotero_cache]
    code, out, _ = cli(["check", "draft.md", *zotero, "-f", "json"], tmp_path, capsys)
    report = Report.model_validate_json(out)
    by_key = {f.key: f.severity for f in report.findings if f.code == "EV302"}
    assert by_key["Zhou_2006"] == "warning"  # cited (keys compared without regard to case)
    assert [key for key, severity in by_key.items() if severity != "info"] == ["Zhou_2006"]
    assert code == 1


# ------------------------------------------------ LaTeX: every \cite-family command

def test_the_natbib_thesis_cites_all_its_keys(capsys) -> None:
    """Before: discacciati_body_2011 (cited only with \\citetalias) was not seen at all."""
    folder = MANUSCRIPTS / "prostate-cancer-thesis-natbib"
    code, out, _ = cli(["check", "background.pca.tex", "discussion.pca.tex", "--bib", "kappa.bib",
                        "-f", "json"], folder, capsys)
    report = Report.model_validate_json(out)
    assert cited_as_written(report) == oracle(folder)   # each one inside a claim
    assert len(oracle(folder)) == 120
    assert not [f for f in report.findings if f.code == "EV101"]
    assert any(l.key == "discacciati_body_2011" for a in report.articles for gc in a.claims
               for l in gc.links)


def test_a_run_in_paragraph_heading_no_longer_hides_a_missing_key(tmp_path: Path, capsys) -> None:
    """The issue's minimal case: before, no claim, no citation, and the check passed."""
    (tmp_path / "draft.tex").write_text(
        "\\paragraph{Evidence.} A randomized trial found 30\\% less fatigue \\citep{Jones2021}.\n",
        encoding="utf-8")
    (tmp_path / "refs.bib").write_text("@article{Other2020, title={Other}, year={2020}}\n",
                                       encoding="utf-8")
    code, out, _ = cli(["check", "draft.tex", "--bib", "refs.bib"], tmp_path, capsys)
    assert code == 1
    assert "draft.tex:1:" in out and "EV101 claim cites unknown key 'Jones2021'" in out
