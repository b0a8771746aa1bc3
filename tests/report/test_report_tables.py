"""text and markdown renderings, the registry, and the docs' examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_sample import NMDA, OPTION, STAT_70, UNDERSTANDING, build_report, empty_report

from evgrade.errors import UsageError
from evgrade.report import FORMATS, render
from evgrade.report._grid import ELLIPSIS, wrap
from evgrade.report.markdown import md


@pytest.fixture(scope="module")
def report():
    return build_report()


# ---------------------------------------------------------------- wrapping

def test_wrap_breaks_at_spaces_and_after_hyphens_only():
    lines = wrap("Studies have shown that ketamine targets the N-methyl-D-aspartate receptor.", 14)
    assert all(len(line) <= 14 for line in lines)
    assert " ".join(lines).replace("- ", "-") == ("Studies have shown that ketamine targets the "
                                                  "N-methyl-D-aspartate receptor.")
    assert "N-methyl-D-" in lines and "aspartate" in lines


def test_a_word_longer_than_the_column_is_left_out_with_an_ellipsis():
    assert wrap("see Pneumonoultramicroscopicsilicovolcanoconiosis now", 12) == [
        f"see {ELLIPSIS} now"]


def test_newlines_start_lines():
    assert wrap("one\ntwo three", 20) == ["one", "two three"]


# ---------------------------------------------------------------------- text

def column_text(out: str, name: str) -> str:
    """The words down one column of every claim table in ``out``: what a reader reads."""
    words: list[str] = []
    lines = out.splitlines()
    span = None
    for i, line in enumerate(lines):
        head = next((h for h in reversed(lines[max(0, i - 3):i]) if h.startswith("line")), None)
        if line and set(line) <= {"-", " "} and head:
            runs = [(m.start(), m.end()) for m in re.finditer(r"-+", line)]
            span = next(((a, b) for a, b in runs if head[a:].startswith(name[:b - a])), None)
        elif span and line and not re.match(r"\d+ {2,}| ", line):
            span = None
        elif span:
            words += line[span[0]:span[1]].split()
    return " ".join(words)


def test_text_has_whole_claims_evidence_summary_and_total(report):
    out = render(report, "text", width=120)
    flat = " ".join(out.split())
    assert out.splitlines()[0].startswith("evgrade 0.1.0: rubric default")
    # the whole claim, wrapped, never shortened
    assert " ".join(STAT_70.split()) in column_text(out, "claim").replace("- ", "-")
    assert "Murrough 2013, RCT [Murrough2013AJP]" in column_text(out, "evidence")
    assert "Zheng 2018, open-label [Zheng2018]" in column_text(out, "suggested")
    assert ("4 claims: trial 1, review 0, anecdote 1, none 2; "
            "with a traceable citation: 2/4 (50%)") in flat
    assert "No claims found." in out
    assert "Summary across articles" in out
    assert flat.endswith("Total: 3 articles, 5 claims: trial 1, review 0, anecdote 1, none 3; "
                         "with a traceable citation: 2/5 (40%)")


def test_text_rows_show_the_line_and_the_heading_the_file(report):
    out = render(report, "text", width=200)
    assert OPTION in out and UNDERSTANDING in out
    row = next(line for line in out.splitlines() if line.startswith("19 "))
    assert "ketamine-as" not in row


def test_suggestions_are_in_their_own_column_never_with_counted_evidence(report):
    out = render(report, "text", width=200)
    header = next(line for line in out.splitlines() if line.startswith("line"))
    evidence_at, suggested_at = header.index("evidence"), header.index("suggested")
    for line in out.splitlines():
        if "[Zheng2018]" in line:
            assert line.index("Zheng") >= suggested_at
        if "[Murrough2013AJP]" in line:
            assert evidence_at <= line.index("Murrough") < suggested_at


def test_narrow_text_puts_the_evidence_under_the_claim(report):
    out = render(report, "text", width=60)
    assert max(len(line) for line in out.splitlines()) <= 60
    column = column_text(out, "claim and its evidence")
    assert "evidence: Murrough 2013, RCT [Murrough2013AJP]" in column
    assert "suggested (not counted): Zheng 2018, open-label [Zheng2018]" in column
    assert " ".join(STAT_70.split()) in column.replace("- ", "-")


def test_text_has_no_colour_unless_asked(report):
    assert "\033[" not in render(report, "text")
    coloured = render(report, "text", color=True, width=200)
    assert "\033[32mtrial\033[0m" in coloured and "\033[31mnone\033[0m" in coloured
    stripped = re.sub(r"\033\[\d+m(\w+)\033\[0m", r"\1", coloured)
    assert "\033[" not in stripped  # only grades are coloured
    assert stripped.replace("\033[0m", "") == render(report, "text", width=200)


def test_text_of_empty_report():
    out = render(empty_report(), "text")
    assert "Total: 0 articles, 0 claims" in out


# ------------------------------------------------------------------ markdown

def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_tables_are_github_tables(report):
    out = render(report, "markdown")
    tables = [block for block in out.split("\n\n") if block.startswith("|")]
    assert len(tables) == 3  # two articles with claims, and the summary across articles
    for table in tables:
        lines = table.splitlines()
        columns = _unescaped_pipes(lines[0]) - 1
        assert re.fullmatch(r"\|(-+\|){%d}" % columns, lines[1].replace(":", "-"))
        for line in lines:
            assert _unescaped_pipes(line) == columns + 1
    assert "## articles/why-does-ketamine-therapy-work.txt — Why Does Ketamine Therapy Work?" in out
    assert md(NMDA) in out  # the whole claim


def test_markdown_escapes_markup_in_cells(report):
    article = report.articles[0]
    gc = article.claims[0]
    piped = gc.model_copy(update={"flags": ("a | b *c* [d](e) <x>",)})
    r = report.model_copy(update={"articles": (article.model_copy(
        update={"claims": (piped,)}),)})
    out = render(r, "markdown")
    assert r"a \| b \*c\* \[d\](e) \<x\>" in out


def test_markdown_reference_list_links_dois(report):
    out = render(report, "markdown")
    assert "## References" in out
    assert "[10.1176/appi.ajp.2013.13030392](https://doi.org/10.1176/appi.ajp.2013.13030392)" in out


# ----------------------------------------------------------------- registry

def test_every_format_is_registered():
    assert FORMATS.names() == sorted(["text", "markdown", "latex", "html", "pdf", "worksheet",
                                      "worksheet-html", "csv", "json", "jsonl", "lint",
                                      "sarif", "github"])


def test_unknown_format_is_a_usage_error_naming_the_known_ones(report):
    with pytest.raises(UsageError) as info:
        render(report, "docx")
    message = str(info.value)
    assert "'docx'" in message
    for name in FORMATS.names():
        assert name in message


def test_options_a_format_does_not_take_are_ignored(report):
    assert render(report, "json", color=True, width=100) == render(report, "json")
    assert render(report, "TEXT") == render(report, "text")


# ---------------------------------------------------------------------- docs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "output.md"


def test_docs_cover_every_format():
    text = DOCS.read_text(encoding="utf-8")
    for name in FORMATS.names():
        assert f"\n### {name}\n" in text or f"\n## {name}\n" in text, name


def test_docs_examples_match_the_renderers(report):
    docs = DOCS.read_text(encoding="utf-8")
    rendered = "\n".join(render(report, fmt) for fmt in ("markdown", "lint", "github", "csv"))
    rendered += render(report, "text", width=100)
    samples = [
        "Studies have shown that ketamine primarily targets the N-methyl-D-aspartate",
        "| 31     | Studies have shown that ketamine primarily",
        f"{OPTION}:19:79: EV201 statistic without citation (cue: '70%')",
        "::warning file=articles/why-does-ketamine-therapy-work.txt,line=31,col=1,endLine=31,"
        "endColumn=106,title=EV201 claim-without-citation::mechanism claim without citation "
        "(cue: 'Studies have shown')",
        "articles/why-does-ketamine-therapy-work.txt,31,1,31,106,",
    ]
    for sample in samples:
        assert sample in docs, sample
        assert sample in rendered, sample
