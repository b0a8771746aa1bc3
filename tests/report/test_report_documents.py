"""latex, html and worksheet content; evidence labels; the terminal table of the example."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_sample import STAT_70, build_report

from evgrade import pipeline
from evgrade.models import Certainty
from evgrade.report import render
from evgrade.report._evidence import evidence_label, vancouver_name
from evgrade.report._pico import question
from evgrade.report._tex import tex
from evgrade.report.latex import latex_escape

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    return build_report()


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        inputs = pipeline.project_inputs()
        return pipeline.run(inputs, pipeline.Options.from_project(
            inputs=inputs, cache_root=str(tmp_path_factory.mktemp("cache"))))
    finally:
        os.chdir(old)


# ------------------------------------------------------------ evidence labels

def test_evidence_label_names_author_year_venue_design(example):
    bare = {k: e.model_copy(update={"facts": None}) for k, e in example.entries.items()}
    assert evidence_label(bare["Murrough2013BP"], "Murrough2013BP") == (
        "Murrough 2013, Biol Psychiatry, open-label")
    assert evidence_label(bare["Zheng2018"], "Zheng2018") == "Zheng 2018, J Psychiatr Res, open-label"


def test_evidence_label_prints_n_from_the_entry_facts(example):
    # references.bib records the verified sample size of Murrough2013BP (n = 24)
    assert example.entries["Murrough2013BP"].facts.sample_size == 24
    assert evidence_label(example.entries["Murrough2013BP"], "Murrough2013BP") == (
        "Murrough 2013, Biol Psychiatry, open-label, n=24")


def test_low_confidence_designs_are_marked(example):
    e = example.entries["Zheng2018"]

    unsure = e.model_copy(update={"design": e.design.model_copy(update={"confidence": 0.3})})
    assert unsure.design.low_confidence
    assert "open-label (low confidence)" in evidence_label(unsure, "Zheng2018")


def test_a_certainty_column_appears_when_claims_carry_one(report):
    article = report.articles[0]
    gc = article.claims[2]
    certain = gc.model_copy(update={"certainty": Certainty(level="very low", reasons=("no citation",))})
    r = report.model_copy(update={"articles": (article.model_copy(
        update={"claims": (certain,) + article.claims[1:]}),)})
    for fmt in ("text", "markdown", "latex", "html"):
        out = render(r, fmt, width=200)
        assert "certainty" in out and "very low" in out, fmt
    assert "certainty" not in render(report, "markdown")


def test_vancouver_names():
    assert vancouver_name("Murrough, James W.") == "Murrough JW"
    assert vancouver_name("Zarate, C. A., Jr.") == "Zarate CA Jr"
    assert vancouver_name("Landeros-Weisenberger, Angeli") == "Landeros-Weisenberger A"


# ---------------------------------------------------------------------- latex

def test_latex_escapes_every_special_character():
    assert latex_escape("70% & _ # $ { } ~ ^ \\") == (
        r"70\% \& \_ \# \$ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{}")


def test_latex_writes_out_what_pdflatex_cannot_set():
    assert tex("α ≥ 5 中") == r"\ensuremath{\alpha} \ensuremath{\geq} 5 [U+4E2D]"
    assert tex("a--b") == "a-{}-{}b"


def test_latex_is_a_document_with_longtables_chart_and_references(report):
    out = render(report, "latex")
    assert out.startswith(r"\documentclass") and out.rstrip().endswith(r"\end{document}")
    assert out.count(r"\begin{longtable}") == 2 and out.count(r"\endhead") == 2
    assert r"\begin{tikzpicture}" in out and r"\section*{References}" in out
    assert r"\href{https://doi.org/10.1176/appi.ajp.2013.13030392}" in out
    assert "landscape" in out and "a4paper" in out
    assert "letterpaper" in render(report, "latex", paper="letter")


def test_latex_fragment_has_no_preamble(report):
    out = render(report, "latex", fragment=True)
    assert r"\documentclass" not in out and r"\begin{document}" not in out
    assert r"\begin{longtable}" in out


def test_latex_table_escapes_claim_text(report):
    article = report.articles[0]
    gc = article.claims[2]
    text = "Response & remission: 70% of 97 patients (n_total ~ 97) in trial #1 cost $5 {approx}"
    odd = gc.model_copy(update={"claim": gc.claim.model_copy(update={"text": text, "cues": ()})})
    r = report.model_copy(update={"articles": (article.model_copy(update={"claims": (odd,)}),)})
    row = next(line for line in render(r, "latex").splitlines() if "Response" in line)
    assert r"Response \& remission: 70\% of 97" in row
    assert r"n\_total" in row and r"\#1" in row and r"\$5" in row and r"\{approx\}" in row


# ---------------------------------------------------------------------- html

class _Collector(HTMLParser):
    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
            return
        self.stack.pop()


def test_html_is_self_contained_balanced_and_printable(report):
    out = render(report, "html")
    p = _Collector()
    p.feed(out)
    p.close()
    assert p.errors == [] and p.stack == []
    assert "script" not in p.tags and "link" not in p.tags  # nothing external
    assert "svg" in p.tags and p.tags.count("table") == 3
    assert "@page { size: A4; margin: 12mm; }" in out and "break-before: page" in out
    assert "https://doi.org/10.1176/appi.ajp.2013.13030392" in p.hrefs
    assert "#ref-murrough2013ajp" in p.hrefs
    assert 'class="grade grade-trial rank-best"' in out
    assert "size: letter" in render(report, "html", paper="letter")


def test_html_escapes_content(report):
    article = report.articles[0]
    gc = article.claims[2]
    text = 'In <b>bold</b> & "quoted": 70% of patients'
    odd = gc.model_copy(update={"claim": gc.claim.model_copy(update={"text": text})})
    r = report.model_copy(update={"articles": (article.model_copy(update={"claims": (odd,)}),)})
    out = render(r, "html")
    assert "<b>" not in out
    assert "In &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;: 70% of patients" in out


# ------------------------------------------------------------------ worksheet

def test_pico_from_a_claim_about_patients():
    q = question(STAT_70)
    assert q.population == "patients with treatment-resistant depression"
    assert q.intervention == "ketamine treatment"
    assert q.outcome == "significant improvement"
    assert q.comparison == ""


def test_pico_finds_comparisons_and_animals():
    q = question("In mice, drug X reduced immobility compared with saline injections.")
    assert q.population == "mice (animals)" and q.comparison == "saline injections"


@pytest.mark.parametrize("fmt", ["worksheet", "worksheet-html"])
def test_worksheet_has_question_evidence_appraisal_verdict(report, fmt):
    out = render(report, fmt)
    for part in ("Question (PICO)", "Evidence found", "Appraisal (the club", "Bottom line",
                 "Validity", "Importance", "Applicability"):
        assert part in out, part
    assert "patients with treatment-resistant depression" in out
    key = r"\[Zheng2018\]" if fmt == "worksheet" else "[Zheng2018]"
    assert f"Zheng 2018, J Psychiatr Res, open-label {key}" in out
    assert "suggested, not counted" in out
    assert out.count("Club") >= 5


# ------------------------------------------------------- the example, in a terminal

def _words(report) -> set[str]:
    """Every word the table may print: from claims, labels, flags, headings, counts."""
    wide, compact = render(report, "text", width=100_000), render(report, "text", width=60)
    return set(wide.split()) | set(compact.split())


def _pieces(word: str) -> set[str]:
    parts = re.split(r"(?<=[-/])", word)
    return {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}


@pytest.mark.parametrize("width", [80, 120, 200])
def test_terminal_table_fits_and_never_cuts_a_word(example, width):
    out = render(example, "text", width=width)
    assert max(len(line) for line in out.splitlines()) <= width
    allowed = set().union(*(_pieces(w) for w in _words(example)))
    cut = [w for w in out.split() if w not in allowed and w != "…"]
    assert cut == []
    flat = re.sub(r"-\s+", "-", " ".join(out.split()))
    assert "Total: 5 articles, 152 claims" in flat
