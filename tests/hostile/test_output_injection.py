"""Issue 9, item 5: text from drafts and bibliographies must not act on the reader's tools.

Every test here failed before the fix (evgrade 0.1.0 at ecf5ffd). The inputs that failed
are named in each test: CSV cells such as ``+cmd|' /C calc'!A0`` were written as-is,
unquoted, so a spreadsheet runs them as a formula; terminal control sequences in a
claim (``\\x1b[2J`` clears the screen, ``\\x1b]0;...\\x07`` retitles the window) went
raw into the text, Markdown, CSV and LaTeX output.

One helper (``evgrade.report._safe``) neutralises text for every format; these tests
run each family through every text format the registry knows, so a new format is
covered the day it is registered.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from report_sample import build_report

from evgrade.models import Report
from evgrade.report import FORMATS, render

# JSON-based formats escape control characters by the JSON rules and must round-trip the
# data exactly; a binary format (pdf) is checked through its LaTeX source.
_JSON = {"json", "jsonl", "sarif"}
TEXT_FORMATS = [f for f in FORMATS.names() if f not in _JSON | {"pdf"}]

# C0 controls except tab and newline, DEL, C1 controls (\x9b is a one-byte CSI)
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _with_claim_text(report: Report, text: str, flag: str = "") -> Report:
    article = report.articles[0]
    gc = article.claims[0]
    odd = gc.model_copy(update={
        "claim": gc.claim.model_copy(update={"text": text, "cues": ()}),
        "flags": (flag,) if flag else gc.flags})
    claims = (odd,) + article.claims[1:]
    return report.model_copy(update={"articles": (article.model_copy(update={"claims": claims}),)
                                     + report.articles[1:]})


def _raw_controls(out: str, fmt: str) -> list[str]:
    if fmt == "csv":  # CRLF ends CSV records (RFC 4180); look inside the cells instead
        cells = [c for row in csv.reader(io.StringIO(out, newline="")) for c in row]
        return [m.group() for c in cells for m in _RAW_CONTROL.finditer(c)]
    return [m.group() for m in _RAW_CONTROL.finditer(out)]


# ------------------------------------------------------------ spreadsheet formulas

FORMULAS = ["=1+2", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+2", "\r=1+2"]


@pytest.mark.parametrize("payload", FORMULAS)
def test_csv_cells_that_start_a_formula_are_quoted_and_prefixed(payload: str) -> None:
    # before: '+cmd|' /C calc'!A0' was written bare; '=1+2' too (no comma, no quote to quote)
    report = _with_claim_text(build_report(), payload, flag=payload)
    out = render(report, "csv")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    for field in ("text", "flags"):
        cell = rows[0][field]
        assert cell.startswith("'"), (field, cell)
        assert cell[1] not in "\r"  # a CR is shown, not kept
    # the cell is quoted in the file, as the OWASP guidance asks
    line = out.split("\r\n")[1]
    assert "\"'" in line


def test_csv_leaves_ordinary_cells_alone() -> None:
    out = render(build_report(), "csv")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert not any(v.startswith("'") for row in rows for v in row.values())


# ------------------------------------------------------------ terminal sequences

CSI = "Plain words \x1b[2J\x1b[31mred\x1b[0m and more"            # clear screen, colours
OSC = "Title \x1b]0;owned\x07 and link \x1b]8;;https://x.invalid\x1b\\here\x1b]8;;\x1b\\"
C1 = "one-byte CSI \x9b2J and NEL \x85 here"
C0 = "NUL \x00 bell \x07 backspace \x08\x08 carriage\rreturn vertical\x0btab DEL \x7f"


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_csi_escapes_in_a_claim_are_shown_not_sent(fmt: str) -> None:
    # before: text, markdown, csv and latex wrote '\x1b[2J' raw
    out = render(_with_claim_text(build_report(), CSI, flag="flag \x1b[2J"), fmt)
    assert _raw_controls(out, fmt) == [], fmt


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_osc_sequences_in_a_claim_are_shown_not_sent(fmt: str) -> None:
    # before: window-title and hyperlink sequences went raw into text, markdown, csv, latex
    out = render(_with_claim_text(build_report(), OSC), fmt)
    assert _raw_controls(out, fmt) == [], fmt


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_c1_controls_are_shown_not_sent(fmt: str) -> None:
    # before: '\x9b' (a CSI in one byte for terminals that honour C1) was written raw
    out = render(_with_claim_text(build_report(), C1), fmt)
    assert _raw_controls(out, fmt) == [], fmt


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_other_c0_controls_are_shown_not_sent(fmt: str) -> None:
    # before: NUL, BEL, backspace and a bare CR (which lets text overwrite a line) went raw
    out = render(_with_claim_text(build_report(), C0), fmt)
    assert _raw_controls(out, fmt) == [], fmt


def test_controls_are_shown_as_hex_so_a_reader_sees_them() -> None:
    out = render(_with_claim_text(build_report(), CSI), "text", width=200)
    assert "\\x1b[2J" in out


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_controls_in_bibliography_fields_are_shown_not_sent(fmt: str) -> None:
    # the reference lists (added with the printable reports) print titles, authors and
    # venues from the .bib: the same helper covers them
    report = build_report()
    entry = report.entries["Murrough2013AJP"]
    ref = entry.reference.model_copy(update={"title": "Title \x1b]0;owned\x07 \x9b2J",
                                             "venue": "Venue \x1b[2J",
                                             "authors": ("Evil\x1b[31m, A.",)})
    entries = dict(report.entries, Murrough2013AJP=entry.model_copy(update={"reference": ref}))
    out = render(report.model_copy(update={"entries": entries}), fmt)
    assert _raw_controls(out, fmt) == [], fmt


def test_latex_commands_in_a_claim_are_text_not_commands() -> None:
    out = render(_with_claim_text(build_report(), r"\input{/etc/passwd} \write18{rm -rf ~}"),
                 "latex")
    assert r"\input{/etc/passwd}" not in out and r"\write18" not in out
    assert r"\textbackslash{}input\{/etc/passwd\}" in out
