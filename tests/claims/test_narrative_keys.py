"""A narrative citation whose key the prose keeps opens its sentence, whatever the key's case.

The splitter starts a sentence only at a capital, a digit or an opening quote; a
lower-case key after a full stop ("... before. smith2020 showed ...") merged two sentences.
The readers say where such keys start (`_citekeys.visible_key_start`), and the splitter
accepts a sentence start there. A lower-case word that is not a citation still continues
the sentence.
"""

from __future__ import annotations

from evgrade.claims.detect import extract_claims
from evgrade.read import read_text


def texts(source: str, path: str, fmt: str) -> list[str]:
    return [c.text for c in extract_claims(read_text(source, path=path, format=fmt))]


def test_a_lower_case_pandoc_key_opens_a_sentence() -> None:
    found = texts("Sleep loss raised blood pressure in 40% of adults [@Lee2019]. "
                  "@smith2020 showed that naps lowered it by 5 mmHg.\n", "d.md", "markdown")
    assert any(t.startswith("smith2020 showed that naps lowered it") for t in found), found
    assert not any("adults. smith2020" in t for t in found)


def test_a_lower_case_latex_key_opens_a_sentence() -> None:
    found = texts("Sleep loss raised blood pressure in 40\\% of adults \\citep{lee2019}. "
                  "\\citet{smith2020} showed that naps lowered it by 5 mmHg.\n", "d.tex", "latex")
    assert any(t.startswith("smith2020 showed that naps lowered it") for t in found), found


def test_a_lower_case_word_that_is_no_citation_continues_the_sentence() -> None:
    found = texts("Naps lowered blood pressure by 5 mmHg in the trial of 2019 vs. placebo "
                  "in 120 adults [@Lee2019].\n", "d.md", "markdown")
    assert len(found) == 1 and "vs. placebo" in found[0]
