"""BibTeX field values (LaTeX) to plain Unicode text.

Accents and symbols go through latexcodec (shipped with pybtex), one command at
a time and memoised: decoding a whole field with it costs ~0.3 ms even for
plain text, which adds up to seconds on a library of thousands of entries.
What latexcodec leaves alone (font switches, \\emph, \\url, braces, math
dollars) is handled here.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from .. import _patterns


def _ulatex(text: str) -> str:
    """``text`` decoded with latexcodec, imported here: a run that decodes no LaTeX
    command (a warm cache) never loads it."""
    import latexcodec  # noqa: F401  (registers the "ulatex" codec)

    return codecs.decode(text, "ulatex")


# fields whose value is an address or a code, not prose: no accent decoding
VERBATIM_FIELDS = frozenset({
    "url", "doi", "eprint", "file", "pdf", "urlraw", "verba", "verbb", "verbc",
    "pmid", "pmcid", "isbn", "issn", "local-url", "bdsk-url-1", "bdsk-url-2",
    "bdsk-url-3", "bdsk-file-1", "bdsk-file-2", "bdsk-file-3",
})

# commands whose braced argument is the text to keep
_KEEP_ARG = (
    "emph|textit|textbf|textsc|texttt|textrm|textsf|textsl|textup|textmd|textnormal|"
    "mbox|hbox|url|nolinkurl|path|textsuperscript|textsubscript|uppercase|lowercase|"
    "MakeUppercase|MakeLowercase|MakeTextUppercase|MakeTextLowercase|enquote|mkbibquote|"
    "mkbibemph|mkbibitalic|mkbibbold|mkbibsuperscript|ensuremath|mathrm|mathit|mathbf|"
    "mathsf|mathtt|mathcal|text|bibstring|protect|NoCaseChange|"
    "underline|overline|sout|st|ul"
)
_KEEP_ARG_RE = _patterns.compile(r"\\(?:" + _KEEP_ARG + r")\*?\s*(?=\{)")
# \foreignlanguage{lang}{text}, \href{url}{text}: drop the first argument
_DROP_FIRST_RE = _patterns.compile(r"\\(?:href|foreignlanguage)\s*\{[^{}]*\}\s*(?=\{)")
# font switches and spacing commands that carry no text
_SWITCH_RE = _patterns.compile(
    r"\\(?:em|it|bf|sc|tt|rm|sf|sl|up|md|normalfont|upshape|itshape|bfseries|scshape|mdseries|"
    r"slshape|rmfamily|sffamily|ttfamily|relax|small|footnotesize|scriptsize|tiny|large|Large|"
    r"LARGE|huge|Huge|normalsize|noindent|newblock|par|null|nobreak|allowbreak|hfill|"
    r"selectlanguage\s*\{[^{}]*\})(?![A-Za-z])\s*")
# \noopsort{...} and friends only steer sorting
_DROP_GROUP_RE = _patterns.compile(r"\\(?:noopsort|SortNoop|sortnoop|nocite|label|index)\s*\{[^{}]*\}")
_SPACE_CMD_RE = _patterns.compile(r"\\(?:[\\,;:!\s]|(?:quad|qquad|enskip|enspace|thinspace|space)(?![A-Za-z]))")
_MATH_RE = _patterns.compile(r"(?<!\\)\$([^$]+)\$")
# one accent or symbol command with its argument: \'{e}, \v R, \ss, \"\i, \aa
_CMD_RE = _patterns.compile(
    r"\\(?:[A-Za-z]+(?:\s*\{[^{}]*\}|\s+[A-Za-z](?![A-Za-z])|\s*)"
    r"|[^A-Za-z\s](?:\s*\{[^{}]*\}|\s*\\[A-Za-z]+\s*|\s*[A-Za-z]|))")
_BRACED_DOTLESS = _patterns.compile(r"\{\\([ij])\}")
_NAMED = {"\\LaTeX": "LaTeX", "\\TeX": "TeX", "\\BibTeX": "BibTeX", "\\LaTeXe": "LaTeX2e"}

_WS = _patterns.compile(r"[\s\u00a0]+")
NOT_PLAIN = _patterns.compile(r"[\\{}$~\-`']")  # a value without these is text as it stands

# While braces and dollars are stripped, \{ \} \$ \% stand as placeholders: private-use
# characters, for each value the first four it does not contain, so no character of the
# input can be taken for one (docs/bibliography.md, "Size caps").
_ESCAPES = ("\\{", "\\}", "\\$", "\\%")
_POOL = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))
_PRIVATE = _patterns.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_FIRST_FREE = "".join(chr(r.start + i) for r in _POOL[:1] for i in range(len(_ESCAPES)))


def _placeholders(value: str) -> str | None:
    """Four private-use characters that ``value`` does not contain (None: not four are free)."""
    if _PRIVATE.search(value) is None:
        return _FIRST_FREE
    used = set(value)
    free = []
    for block in _POOL:
        for cp in block:
            if chr(cp) not in used:
                free.append(chr(cp))
                if len(free) == len(_ESCAPES):
                    return "".join(free)
    return None


_MATH_ALIASES = {"\\le": "\\leq", "\\ge": "\\geq", "\\ne": "\\neq"}


@lru_cache(maxsize=1024)
def _decode_math_symbol(cmd: str) -> str:
    try:
        out = _ulatex("$" + _MATH_ALIASES.get(cmd, cmd) + "$")
    except Exception:
        return ""
    return "" if "\\" in out else out.replace("$", "")


def _decode_math(math: str) -> str:
    # latexcodec only knows math symbols one at a time ("$\\omega$", not "$\\le\\omega$")
    out = re.sub(r"\\[A-Za-z]+\s*", lambda m: _decode_math_symbol(m.group(0).rstrip()), math)
    return re.sub(r"\\.", "", out)


@lru_cache(maxsize=4096)
def _decode_command(cmd: str) -> str:
    name = re.match(r"\\[A-Za-z]+", cmd)
    if name and name.group(0) in _NAMED:
        return _NAMED[name.group(0)]
    try:
        out = _ulatex(cmd)
    except Exception:  # latexcodec raises plain ValueErrors on odd input
        out = cmd
    if "\\" in out:
        # a command latexcodec does not know: keep its argument text only
        out = re.sub(r"\\[A-Za-z]+\s*|\\.", "", out)
    return out


def _ligatures(s: str) -> str:
    if "-" in s:
        s = s.replace("---", "\u2014").replace("--", "\u2013")
    if "`" in s or "''" in s:
        s = s.replace("``", "\u201c").replace("''", "\u201d").replace("?`", "\u00bf").replace("!`", "\u00a1")
    return s


def latex_to_text(value: str) -> str:
    """Unicode text of a BibTeX field value: accents decoded, braces and markup removed,
    whitespace folded."""
    if not NOT_PLAIN.search(value):
        return _WS.sub(" ", value).strip()
    s = value
    marks = ""
    if "\\" in s:
        # protect escaped characters before braces and dollars are stripped
        marks = _placeholders(s) or ""
        if not marks:  # a value holding ~137,000 private-use characters: keep it as written
            return _WS.sub(" ", value).strip()
        for escape, mark in zip(_ESCAPES, marks):
            s = s.replace(escape, mark)
        s = _DROP_GROUP_RE.sub("", s)
        s = _DROP_FIRST_RE.sub("", s)
        s = _KEEP_ARG_RE.sub("", s)
        s = _SWITCH_RE.sub("", s)
        s = _SPACE_CMD_RE.sub(" ", s)
        if "$" in s:
            s = _MATH_RE.sub(lambda m: _decode_math(m.group(1)), s)
        s = _BRACED_DOTLESS.sub(r"\\\1 ", s)
        s = _CMD_RE.sub(lambda m: _decode_command(m.group(0)), s)
    s = _ligatures(s)
    s = s.replace("{", "").replace("}", "").replace("$", "").replace("~", " ")
    for escape, mark in zip(_ESCAPES, marks):
        s = s.replace(mark, escape[1])
    return _WS.sub(" ", s).strip()


_URL_WRAPPER = _patterns.compile(r"^\\(?:url|nolinkurl|href)\s*\{([^{}]*)\}")
_ESCAPED = _patterns.compile(r"\\([_%&#$~{}])")


def verbatim_to_text(value: str) -> str:
    """URLs, DOIs and codes: unwrap \\url{...}, unescape \\_ \\% ..., drop braces, no accents."""
    s = value.strip()
    m = _URL_WRAPPER.match(s)
    if m:
        s = m.group(1)
    s = _ESCAPED.sub(r"\1", s)
    s = s.replace("{", "").replace("}", "")
    return _WS.sub(" ", s).strip()


def field_to_text(name: str, value: str) -> str:
    return verbatim_to_text(value) if name in VERBATIM_FIELDS else latex_to_text(value)
