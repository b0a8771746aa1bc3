"""text / markdown / latex / html renderings of a hand-built Report."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_sample import FASTER, NMDA, OPTION, STAT_70, UNDERSTANDING, build_report, empty_report

from evgrade.errors import UsageError
from evgrade.models import Claim, Cue
from evgrade.report import FORMATS, render
from evgrade.report._common import ELLIPSIS, display_path, shorten, shorten_claim
from evgrade.report.table import HEADERS, latex_escape


@pytest.fixture(scope="module")
def report():
    return build_report()


# ---------------------------------------------------------------- shortening

def _claim(text: str, *cues: tuple[str, str]) -> Claim:
    sample = build_report().articles[0].claims[0].claim
    return sample.model_copy(update={
        "text": text, "cues": tuple(Cue(kind=k, text=t, offset=text.index(t)) for k, t in cues)})


def test_short_claims_are_unchanged():
    assert shorten(NMDA, 200) == NMDA


def test_long_claim_cut_at_word_boundary_with_ellipsis():
    out = shorten(STAT_70, 60)
    assert len(out) <= 60 and out.endswith(ELLIPSIS)
    assert STAT_70.startswith(out[:-1])
    assert STAT_70[len(out) - 1] == " "  # the cut fell between words


def test_percent_cue_kept_visible_when_it_fits():
    out = shorten_claim(_claim(STAT_70, ("percent", "70%")), 80)
    assert "70%" in out and len(out) <= 80


def test_cue_beyond_the_cut_is_brought_into_view():
    out = shorten_claim(_claim(FASTER, ("comparison", "much faster")), 50)
    assert "much faster" in out
    assert out.startswith(ELLIPSIS) and len(out) <= 50


def test_whitespace_folded():
    assert shorten("70%  of\n patients", 80) == "70% of patients"


def test_display_path_is_relative_with_forward_slashes(tmp_path):
    assert display_path(str(tmp_path / "a" / "b.txt"), base=tmp_path) == "a/b.txt"
    assert display_path("./articles//x.txt") == "articles/x.txt"
    assert display_path("") == ""


# ---------------------------------------------------------------------- text

def test_text_has_table_summary_and_total(report):
    out = render(report, "text")
    assert out.splitlines()[0].startswith("evgrade 0.1.0: rubric default")
    header = next(line for line in out.splitlines() if line.startswith("where"))
    assert header.split() == list(HEADERS)
    assert "ketamine-as-a-treatment-option-for-depression-and-anxiety.txt:19" in out
    assert "Zheng2018? (suggested)" in out and "Murrough2013AJP (map)" in out
    assert "no citation; named source untraceable" in out
    assert ("4 claims: trial 1, review 0, anecdote 1, none 2; "
            "with a traceable citation: 2/4 (50%)") in out
    assert "No claims found." in out  # the article without claims
    assert out.rstrip().splitlines()[-1] == ("Total: 3 articles, 5 claims: trial 1, review 0, "
                                             "anecdote 1, none 3; with a traceable citation: "
                                             "2/5 (40%)")


def test_text_has_no_colour_unless_asked(report):
    assert "\033[" not in render(report, "text")
    coloured = render(report, "text", color=True)
    assert "\033[32mtrial\033[0m" in coloured and "\033[31mnone\033[0m" in coloured
    # only grades are coloured
    stripped = re.sub(r"\033\[\d+m(\w+)\033\[0m", r"\1", coloured)
    assert "\033[" not in stripped


def test_text_width_narrows_the_claim_column(report):
    wide = render(report, "text", claim_width=80)
    narrow = render(report, "text", claim_width=30)
    assert max(map(len, narrow.splitlines())) < max(map(len, wide.splitlines()))
    assert "70%" in narrow  # the cue survives the narrower column


def test_text_of_empty_report():
    out = render(empty_report(), "text")
    assert "Total: 0 articles, 0 claims" in out


# ------------------------------------------------------------------ markdown

def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_tables_are_github_tables(report):
    out = render(report, "markdown")
    tables = [block for block in out.split("\n\n") if block.startswith("|")]
    assert len(tables) == 2
    for table in tables:
        lines = table.splitlines()
        assert re.fullmatch(r"\|(-+\|){%d}" % len(HEADERS), lines[1].replace(":", "-"))
        assert [c.strip() for c in lines[0].strip("|").split("|")] == list(HEADERS)
        for line in lines:
            assert _unescaped_pipes(line) == len(HEADERS) + 1
    assert "## articles/why-does-ketamine-therapy-work.txt — Why Does Ketamine Therapy Work?" in out


def test_markdown_escapes_pipes_in_cells(report):
    article = report.articles[0]
    gc = article.claims[0]
    piped = gc.model_copy(update={"flags": ("a | b",)})
    r = report.model_copy(update={"articles": (article.model_copy(
        update={"claims": (piped,)}),)})
    row = next(line for line in render(r, "markdown").splitlines() if "a \\| b" in line)
    assert _unescaped_pipes(row) == len(HEADERS) + 1


# --------------------------------------------------------------------- latex

def test_latex_escapes_every_special_character():
    assert latex_escape("70% & _ # $ { } ~ ^ \\") == (
        r"70\% \& \_ \# \$ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{}")


def test_latex_table_escapes_claim_text(report):
    article = report.articles[0]
    gc = article.claims[2]  # the 70% claim
    text = "Response & remission: 70% of 97 patients (n_total ~ 97) in trial #1 cost $5 {approx}"
    odd = gc.model_copy(update={"claim": gc.claim.model_copy(update={"text": text, "cues": ()})})
    r = report.model_copy(update={"articles": (article.model_copy(update={"claims": (odd,)}),)})
    out = render(r, "latex", claim_width=200)
    row = next(line for line in out.splitlines() if "Response" in line)
    assert r"Response \& remission: 70\% of 97" in row
    assert r"n\_total" in row and r"\#1" in row and r"\$5" in row
    assert r"\textasciitilde{}" in row and r"\{approx" in row
    # nothing unescaped left in the cells: strip escapes and look for bare specials
    cells = re.sub(r"\\(textasciitilde|textbackslash|ldots)\{\}|\\[&%$#_{}]", "", row)
    cells = cells.rstrip("\\ ").replace(" & ", " | ")
    assert not re.search(r"[&%$#_{}~^]", cells)


def test_latex_structure(report):
    out = render(report, "latex", standalone=True)
    assert out.count(r"\begin{tabular}") == out.count(r"\end{tabular}") == 2
    assert out.count(r"\toprule") == 2 and r"\usepackage{booktabs}" in out
    assert r"p{0.35\linewidth}" in out
    assert ELLIPSIS not in out and r"\ldots{}" in out
    assert "(50\\%)" in out
    assert out.rstrip().endswith(r"\end{document}")
    assert out.count("{") == out.count("}") + out.count(r"\{") - out.count(r"\}")


# ---------------------------------------------------------------------- html

class _Collector(HTMLParser):
    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.cells: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self._cls = ""
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "td":
            self._cls = dict(attrs).get("class") or ""
            self._text = []

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
            return
        self.stack.pop()
        if tag == "td" and self._text is not None:
            self.cells.append((self._cls, "".join(self._text)))
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def test_html_is_a_standalone_balanced_page(report):
    out = render(report, "html")
    assert out.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    p = _Collector()
    p.feed(out)
    p.close()
    assert p.errors == [] and p.stack == []
    assert p.tags.count("table") == 2 and "style" in p.tags and "title" in p.tags
    grades = [(cls, text) for cls, text in p.cells if cls.startswith("grade ")]
    assert ("grade grade-trial rank-best", "trial") in grades
    assert ("grade grade-none rank-worst", "none") in grades
    assert len(grades) == 5


def test_html_escapes_content(report):
    article = report.articles[0]
    gc = article.claims[2]
    text = 'In <b>bold</b> & "quoted": 70% of patients'
    odd = gc.model_copy(update={"claim": gc.claim.model_copy(update={"text": text})})
    r = report.model_copy(update={"articles": (article.model_copy(update={"claims": (odd,)}),)})
    out = render(r, "html")
    assert "<b>" not in out
    assert "In &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;: 70% of patients" in out
    p = _Collector()
    p.feed(out)
    assert (("claim", text)) in p.cells


# ----------------------------------------------------------------- registry

def test_every_format_is_registered():
    assert FORMATS.names() == sorted(["text", "markdown", "latex", "html", "csv", "json",
                                      "lint", "sarif", "github"])


def test_unknown_format_is_a_usage_error_naming_the_known_ones(report):
    with pytest.raises(UsageError) as info:
        render(report, "docx")
    message = str(info.value)
    assert "'docx'" in message
    for name in ("csv", "github", "html", "json", "latex", "lint", "markdown", "sarif", "text"):
        assert name in message


def test_options_a_format_does_not_take_are_ignored(report):
    assert render(report, "json", color=True, width=100) == render(report, "json")
    assert render(report, "TEXT") == render(report, "text")


def test_article_paths_shown_relative(report):
    out = render(report, "text")
    assert OPTION in out and UNDERSTANDING in out


# ---------------------------------------------------------------------- docs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "output.md"


def test_docs_cover_every_format():
    text = DOCS.read_text(encoding="utf-8")
    for name in FORMATS.names():
        assert f"\n### {name}\n" in text or f"\n## {name}\n" in text, name


def test_docs_examples_match_the_renderers(report):
    docs = DOCS.read_text(encoding="utf-8")
    rendered = "\n".join(render(report, fmt) for fmt in ("text", "markdown", "lint", "github",
                                                         "csv", "latex"))
    samples = [
        f"why-does-ketamine-therapy-work.txt:31  {shorten_claim(report.articles[1].claims[0].claim)}",
        "| why-does-ketamine-therapy-work.txt:31 | Studies have shown that ketamine primarily",
        f"{OPTION}:19:79: EV201 statistic without citation (cue: '70%')",
        "::warning file=articles/why-does-ketamine-therapy-work.txt,line=31,col=1,endLine=31,"
        "endColumn=106,title=EV201 claim-without-citation::mechanism claim without citation "
        "(cue: 'Studies have shown')",
        "articles/why-does-ketamine-therapy-work.txt,31,1,31,106,",
        r"\begin{tabular}{lp{0.35\linewidth}lllllp{0.15\linewidth}}",
    ]
    for sample in samples:
        assert sample in docs, sample
        assert sample in rendered, sample
