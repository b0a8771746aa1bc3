"""The printable formats through real renderers: pdflatex, headless Chromium, pdftotext.

Each renderer runs once per session on the bundled example (module-scoped fixtures);
a test that needs a program skips, naming it, only when that program is missing
(.ci/run installs texlive-latex-extra, poppler-utils and chromium).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from evgrade import pipeline
from evgrade.models import Report
from evgrade.report import render
from evgrade.report.pdf import compile_latex

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)
PDFLATEX = shutil.which("pdflatex")
PDFTOTEXT = shutil.which("pdftotext")
OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\)")


def _needs(program: str | None, name: str) -> None:
    if program is None:
        pytest.skip(f"{name} is not installed (apt-get install "
                    f"{'texlive-latex-extra' if name == 'pdflatex' else 'poppler-utils' if name == 'pdftotext' else 'chromium'})")


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Report:
    import os

    old = Path.cwd()
    os.chdir(ROOT)
    try:
        inputs = pipeline.project_inputs()
        return pipeline.run(inputs, pipeline.Options.from_project(
            inputs=inputs, cache_root=str(tmp_path_factory.mktemp("cache"))))
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def latex_build(example, tmp_path_factory) -> tuple[Path, str]:
    """(pdf, log) of the bundled example's LaTeX, compiled as a user would."""
    _needs(PDFLATEX, "pdflatex")
    folder = tmp_path_factory.mktemp("latex")
    (folder / "report.tex").write_text(render(example, "latex"), encoding="utf-8")
    log = ""
    for _ in range(4):  # as many runs as longtable asks for
        done = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error",
                               "-no-shell-escape", "report.tex"], cwd=folder,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
        log = (folder / "report.log").read_text(encoding="latin-1")
        assert done.returncode == 0, log[-3000:]
        if "Rerun" not in log:
            break
    return folder / "report.pdf", log


@pytest.fixture(scope="module")
def html_pdf(example, tmp_path_factory) -> Path:
    _needs(CHROMIUM, "chromium")
    folder = tmp_path_factory.mktemp("html")
    page = folder / "report.html"
    page.write_text(render(example, "html"), encoding="utf-8")
    out = folder / "report.pdf"
    profile = folder / "profile"
    profile.mkdir()
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={profile}", f"--print-to-pdf={out}",
                    "--no-pdf-header-footer", page.as_uri()],
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=300, check=False)
    assert out.is_file() and out.stat().st_size > 1000, "chromium wrote no PDF"
    return out


def letters(text: str) -> str:
    """Lower-case letters and digits only, after joining words hyphenated at line ends."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"-\s*\n\s*", "", text)
    return "".join(c for c in text.lower() if c.isalnum())


def pdf_letters(pdf: Path) -> str:
    _needs(PDFTOTEXT, "pdftotext")
    # -raw: the order the renderer drew the text in. The default reading-order mode
    # merges neighbouring table cells that share a baseline, which interleaves a
    # claim's first line with its kind.
    done = subprocess.run([PDFTOTEXT, "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=120)
    return letters(done.stdout)


def _missing(report: Report, text: str) -> tuple[list[str], list[str]]:
    claims = [gc.claim.text for a in report.articles for gc in a.claims
              if letters(gc.claim.text) not in text]
    keys = {l.key for a in report.articles for gc in a.claims for l in gc.links}
    refs = []
    for key in sorted(keys):
        ref = report.entries[key].reference
        parts = [key] + ([ref.title] if ref and ref.title else [])
        parts += [report.entries[key].identifiers.get("doi", "")]
        refs += [f"{key}: {p}" for p in parts if p and letters(p) not in text]
    return claims, refs


def test_the_latex_compiles_without_overfull_boxes(latex_build):
    pdf, log = latex_build
    assert pdf.is_file()
    too_wide = [float(w) for w in OVERFULL.findall(log)]
    assert [w for w in too_wide if w > 1.0] == [], "overfull boxes over 1 pt"


def test_the_latex_pdf_has_every_claim_and_reference(example, latex_build):
    claims, refs = _missing(example, pdf_letters(latex_build[0]))
    assert claims == [] and refs == []


def test_the_printed_html_has_every_claim_and_reference(example, html_pdf):
    claims, refs = _missing(example, pdf_letters(html_pdf))
    assert claims == [] and refs == []


def test_the_printed_html_is_a4_with_landscape_article_pages(html_pdf):
    _needs(shutil.which("pdfinfo"), "pdftotext")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "2", str(html_pdf)], capture_output=True,
                          text=True, check=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    assert [(round(float(w)), round(float(h))) for w, h in sizes] == [(595, 842), (842, 595)]


def test_format_pdf_compiles_through_pdflatex(example):
    _needs(PDFLATEX, "pdflatex")
    small = example.model_copy(update={"articles": example.articles[:1]})
    data = render(small, "pdf")
    assert isinstance(data, bytes) and data.startswith(b"%PDF-")


def test_format_pdf_without_pdflatex_is_a_clear_usage_error(example, monkeypatch):
    from evgrade.errors import UsageError
    from evgrade.report import pdf

    monkeypatch.setattr(pdf, "pdflatex", lambda: None)
    with pytest.raises(UsageError, match="needs pdflatex.*texlive-latex-extra"):
        render(example, "pdf")


def test_a_failed_compile_names_the_latex_error(tmp_path):
    _needs(PDFLATEX, "pdflatex")
    from evgrade.errors import EvgradeError

    with pytest.raises(EvgradeError, match="pdflatex failed: Undefined control sequence"):
        compile_latex("\\documentclass{article}\\begin{document}\\nosuchmacro\\end{document}\n",
                      PDFLATEX)
