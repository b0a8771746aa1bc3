"""Issue 9, item 8 (bibliography part): no input character collides with the LaTeX
decoder's internal placeholders, and control characters in a field stay data.

Before the fix the decoder protected ``\\{ \\} \\$ \\%`` by swapping them for the
characters U+0000-U+0003 and swapping back at the end, so a NUL in a field that also
held a backslash came out as ``{`` and a U+0002 as ``$``: ``"A\\x00B \\emph{C}"`` gave
``"A{B C"``. These tests failed then.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.bib import load_bibliography
from evgrade.bib.latex import latex_to_text

# the characters the old decoder used, and private-use ones a new scheme might pick
SUSPECTS = ["\x00", "\x01", "\x02", "\x03", "\x04", "\x07", "\x7f",
            "\ue000", "\ue001", "\ue002", "\ue003", "\uf8ff", "\U000f0000", "\U0010fffd"]


@pytest.mark.parametrize("char", SUSPECTS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_suspect_character_stays_itself_next_to_escapes(char: str) -> None:
    value = f"A{char}B \\emph{{C}} \\{{set\\}} costs \\$5 or 5\\%"
    assert latex_to_text(value) == f"A{char}B C {{set}} costs $5 or 5%"


@pytest.mark.parametrize("char", SUSPECTS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_suspect_character_stays_itself_without_escapes(char: str) -> None:
    assert latex_to_text(f"\\'e{char}") == f"é{char}"
    assert latex_to_text(f"{char}\\textbf{{x}}{char}") == f"{char}x{char}"


def test_every_old_placeholder_at_once() -> None:
    value = "\x00\x01\x02\x03 \\{\\}\\$\\% \\'a"
    assert latex_to_text(value) == "\x00\x01\x02\x03 {}$% á"


def test_a_value_holding_every_private_use_character_is_kept_as_written() -> None:
    # no free placeholder exists: nothing may collide, so the value is kept (whitespace folded)
    pua = "".join(map(chr, range(0xE000, 0xF900)))
    planes = "".join(map(chr, [*range(0xF0000, 0xFFFFE), *range(0x100000, 0x10FFFE)]))
    value = pua + planes + " \\{x\\}"
    assert latex_to_text(value) == value


def test_control_characters_in_a_bib_file_are_kept_as_data(tmp_path: Path) -> None:
    path = tmp_path / "ctl.bib"
    path.write_bytes(b"@article{k,\n  title = {Zero\x00here \\emph{and} two\x02there},\n"
                     b"  note = {bell\x07 and escape\x1b[2J},\n  year = 2020,\n}\n")
    bib = load_bibliography(path)
    ref = bib.get("k")
    assert ref.title == "Zero\x00here and two\x02there"
    assert ref.note == "bell\x07 and escape\x1b[2J"
    assert not bib.findings
