"""Text for pdflatex: the specials escaped, and every character it cannot typeset replaced.

pdflatex with ``inputenc`` (utf8), T1 fonts and ``textcomp`` sets ASCII, Latin-1,
Latin Extended-A and the common punctuation (curly quotes, dashes, ellipsis, bullet).
Greek letters and a few symbols become math; any other character (CJK, emoji,
combining marks...) would stop the run with "Unicode character not set up", so it
is written as its code point, ``[U+4E2D]``, which a reader can still look up.
"""

from __future__ import annotations

import unicodedata

from .. import _patterns

_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': r"\textquotedbl{}",
    "…": r"\ldots{}", "\u00a0": "~", "\u2009": r"\,", "\u202f": r"\,", "\u2011": "-",
    "\u2212": "\\ensuremath{-}", "\u2264": "\\ensuremath{\\leq}", "\u2265": "\\ensuremath{\\geq}",
    "\u2248": "\\ensuremath{\\approx}", "\u2192": "\\ensuremath{\\rightarrow}",
    "\u2190": "\\ensuremath{\\leftarrow}", "\u221e": "\\ensuremath{\\infty}",
    "\u2260": "\\ensuremath{\\neq}", "\u223c": "\\ensuremath{\\sim}",
    "\u2032": "\\ensuremath{'}", "\u00b5": "\\ensuremath{\\mu}",
    "`": r"\textasciigrave{}",
    # "--" and "---" would become dashes; a line may still break after each hyphen
    "-": "-{}",
}
_GREEK = {chr(0x3B1 + i): name for i, name in enumerate(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho "
    "varsigma sigma tau upsilon phi chi psi omega".split())}
_GREEK.update({"Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
               "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega"})
_PUNCTUATION = set("‘’‚“”„–—•†‡‰‹›€™°±×÷§¶©®")
_PLAIN = _patterns.compile(r"[A-Za-z0-9 .,;:!?'()\[\]*+=/@\n\t]+")


def _settable(c: str) -> bool:
    code = ord(c)
    return (0xA1 <= code <= 0x17F and code != 0x149) or c in _PUNCTUATION


def _char(c: str) -> str:
    if c in _SPECIALS:
        return _SPECIALS[c]
    if c in _GREEK:
        name = _GREEK[c]
        return c if name == "o" else f"\\ensuremath{{\\{name}}}"
    if " " <= c <= "~" or _settable(c):
        return c
    if unicodedata.category(c).startswith("Z"):
        return " "
    return f"[U+{ord(c):04X}]"


def tex(text: str) -> str:
    """``text`` as pdflatex input: specials escaped, unsupported characters written out."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    pos = 0
    for m in _PLAIN.finditer(text):
        out.extend(_char(c) for c in text[pos:m.start()])
        out.append(m.group())
        pos = m.end()
    out.extend(_char(c) for c in text[pos:])
    return "".join(out)


__all__ = ["tex"]
