"""Issue 9, item 3 (readers): inputs on which a reader took time quadratic in its length.

Each family is read (and split into sentences and claims) at n units and at 4n
units; both must give a consistent document whose counts follow from the input,
the larger one exactly four times the smaller where the input repeats. Before the
fix these inputs took, at the larger size used here (about 20-40 KB): markdown
``[@`` 10 s, ``[`` 16 s, ``@{`` 6 s; LaTeX ``\\cite{`` 2 s; HTML ``<a `` 20 s
(50 KB), ``<p>`` 9 s (50 KB); the issue measured 55 s for ``[@`` at 40 KB. Speed
itself is measured in benchmarks/bench_pathological.py (whole processes at 50,
100 and 200 KB), never here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from test_properties_readers import assert_consistent

from evgrade.claims.detect import extract_claims
from evgrade.claims.sentences import segment
from evgrade.read import read_bytes

N = 1500   # units at the smaller size; the larger is 4N
FEW = 250  # for inputs where every unit is a claim (claims cost far more than characters)


@dataclass(frozen=True)
class Family:
    format: str
    build: Callable[[int], str]                 # n -> the input
    expect: Callable[[int], dict[str, int]]     # n -> counts the document must have
    n: int = N


def repeat(unit: str, prefix: str = "", suffix: str = "") -> Callable[[int], str]:
    return lambda n: prefix + unit * n + suffix


def one_paragraph(citations: int = 0, claims: int = 0) -> Callable[[int], dict[str, int]]:
    return lambda n: {"blocks": 1, "citations": citations, "claims": claims}


FAMILIES: dict[str, Family] = {
    # markdown: a "[" that never closes was matched by scanning to the end of its block
    "md '[@'": Family("markdown", repeat("[@"), one_paragraph()),
    "md '['": Family("markdown", repeat("["), one_paragraph()),
    "md '!['": Family("markdown", repeat("!["), one_paragraph()),
    "md '[a]('": Family("markdown", repeat("[a]("), one_paragraph()),
    "md '[a]['": Family("markdown", repeat("[a]["), one_paragraph()),
    # every @key of the unclosed lists is an in-text citation
    "md '[see @a; @b;'": Family("markdown", repeat("[see @a; @b;"),
                                lambda n: {"blocks": 1, "citations": 2 * n, "claims": 1}),
    "md '@a ['": Family("markdown", repeat("@a ["), lambda n: {"blocks": 1, "citations": n, "claims": 1}),
    "md '@{'": Family("markdown", repeat("@{"), one_paragraph()),
    "md '@{-'": Family("markdown", repeat("@{-"), one_paragraph()),
    "md nested '[' ']'": Family("markdown", lambda n: "[" * n + "]" * n, one_paragraph()),
    "md '[x @ ' nested": Family("markdown", lambda n: "[x @ " * n + "]" * n, one_paragraph()),
    # raw TeX: the arguments of every \cite{ ran to the end of the block
    "md '\\cite{'": Family("markdown", repeat("\\cite{"), one_paragraph()),
    "md '\\textbf{'": Family("markdown", repeat("\\textbf{"), one_paragraph()),
    "md '`` `'": Family("markdown", repeat("`` ` "), one_paragraph()),
    "md 'awww.'": Family("markdown", repeat("awww."), one_paragraph()),
    # unclosed front matter: its "a: [" lines are one paragraph of brackets
    "md front matter 'a: ['": Family("markdown", repeat("a: [\n", prefix="---\n"), one_paragraph()),
    "md closed front matter 'a: ['": Family("markdown", repeat("a: [", prefix="---\n", suffix="\n---\nText.\n"),
                                           lambda n: {"blocks": 2, "citations": 0, "claims": 0}),
    # a comment or math block closed only at the very end, opened again and again
    "md '<!--' blocks": Family("markdown", repeat("<!--\n\n", suffix="-->x\n"),
                               lambda n: {"blocks": n + 1, "citations": 0, "claims": 0}),
    "md '$$' blocks": Family("markdown", repeat("$$\n\n", suffix="$$x\n"),
                             lambda n: {"blocks": n // 2 + 1, "citations": 0, "claims": 0}),
    # the closing sequence of a heading was searched for from every position of the line
    "md heading of spaces": Family("markdown", lambda n: "# a" + " " * (8 * n) + "b\n", one_paragraph()),
    "md heading of '{'": Family("markdown", lambda n: "# a " + "{" * (8 * n) + "\n", one_paragraph()),
    "md table line of spaces": Family("markdown", lambda n: "a|b\n" + " " * (8 * n) + "x\n",
                                      lambda n: {"blocks": 1, "citations": 0, "claims": 0}),
    # each ignore comment looked through every paragraph
    "md ignore comments": Family("markdown", repeat("<!-- evgrade: ignore -->\nKetamine helps most people.\n\n"),
                                 lambda n: {"blocks": 2 * n, "suppressions": n, "claims": n}, FEW),
    "md cited sentences": Family("markdown", repeat("Ketamine helped 7 of 10 people [@a]. "),
                                 lambda n: {"blocks": 1, "citations": n, "claims": n}, FEW),
    # LaTeX: every unclosed group ran to the end of the file
    "tex '\\cite{'": Family("latex", repeat("\\cite{"), lambda n: {"blocks": 1, "citations": 0, "claims": 0}),
    "tex '{'": Family("latex", repeat("{"), lambda n: {"blocks": 1, "citations": 0, "claims": 0}),
    "tex '\\emph['": Family("latex", repeat("\\emph["), one_paragraph()),
    "tex '\\label{'": Family("latex", repeat("\\label{"), lambda n: {"blocks": 1, "citations": 0, "claims": 0}),
    # each environment looked for a % from the start of its line, each line through every environment
    "tex environments on one line": Family("latex", repeat("\\begin{equation}x\\end{equation}"),
                                           lambda n: {"blocks": n, "citations": 0, "claims": 0}),
    "tex environments and comments": Family("latex", repeat("\\begin{verbatim}x\\end{verbatim}%\n"),
                                            lambda n: {"blocks": n, "citations": 0, "claims": 0}),
    "tex ignore comments": Family("latex", repeat("% evgrade: ignore\nKetamine helps most people.\n\n"),
                                  lambda n: {"blocks": 2 * n, "suppressions": n, "claims": n}, FEW),
    "tex cited sentences": Family("latex", repeat("Ketamine helped 7 of 10 people \\cite{a}. "),
                                  lambda n: {"blocks": 1, "citations": n, "claims": n}, FEW),
    # HTML: html.parser searched to the end for the end of every unclosed construct,
    # and every element and text looked through the stack of open elements
    "html '<b>'": Family("html", repeat("<b>"), lambda n: {"blocks": 0}),
    "html '<div>'": Family("html", repeat("<div>"), lambda n: {"blocks": 0}),
    "html '<p>'": Family("html", repeat("<p>a"), lambda n: {"blocks": 1, "claims": 0}),
    "html '<b></i>'": Family("html", repeat("<b></i>"), lambda n: {"blocks": 0}),
    "html '<!--'": Family("html", repeat("<!--"), lambda n: {"blocks": 0}),
    "html '<a '": Family("html", repeat("<a "), lambda n: {"blocks": 0}),
    "html \"<a b='\"": Family("html", repeat("<a b='"), lambda n: {"blocks": 0}),
    "html '</'": Family("html", repeat("</"), lambda n: {"blocks": 0}),
    "html '<?'": Family("html", repeat("<?"), lambda n: {"blocks": 0}),
    "html '<!'": Family("html", repeat("<!"), lambda n: {"blocks": 0}),
    "html '&#' then ';'": Family("html", repeat("&#", prefix="<p>", suffix=";"), lambda n: {"blocks": 1}),
    "html paragraphs": Family("html", repeat("<p>Ketamine helps most people.</p>\n"),
                              lambda n: {"blocks": n, "claims": n}, FEW),
    "html ignore comments": Family("html", repeat("<!-- evgrade: ignore --><p>Ketamine helps most people.</p>\n"),
                                   lambda n: {"blocks": n, "suppressions": n, "claims": n}, FEW),
    # text: furniture patterns with runs of white space that two quantifiers could share
    "text 'email' and spaces": Family("text", lambda n: "Contact\n\nemail" + " " * (8 * n) + "!\n",
                                      lambda n: {"blocks": 2, "claims": 0}),
    "text 'posted on' and spaces": Family("text", lambda n: "Title\n\nposted on" + " " * (8 * n) + "!\n",
                                          lambda n: {"blocks": 2, "claims": 0}),
}


def counts(doc, claims) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {"blocks": len(doc.blocks), "citations": len(doc.citations), "claims": len(claims),
            "suppressions": len(doc.suppressions)}


@pytest.mark.parametrize("name", FAMILIES)
def test_family_is_read_whole_at_two_sizes(name: str) -> None:
    family = FAMILIES[name]
    for n in (family.n, 4 * family.n):
        text = family.build(n)
        doc = segment(read_bytes(text.encode("utf-8"), path="family", format=family.format))
        claims = extract_claims(doc)
        assert doc.text == text
        assert_consistent(doc, claims)
        expected = family.expect(n)
        assert {k: v for k, v in counts(doc, claims).items() if k in expected} == expected
