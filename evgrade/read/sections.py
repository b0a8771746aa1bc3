"""The parts of a manuscript, and which of them hold claims to check.

The Markdown and LaTeX readers label each block with the part of the paper it
belongs to (``Block.section``): the title block (authors, affiliations, e-mail
and ORCID lines), the abstract, the methods, the results, figure and table
captions, acknowledgements (with funding, author contributions and competing
interests) and data availability. Everything else is body text (``""``). The
label comes from the section heading a block is under (its name, whatever its
markup and numbering: "2. Materials and Methods", ``# **Results**``), from the
construct (``\\begin{abstract}``, ``\\caption{...}``, ``![caption](img.png)``) or,
for the title block, from the shape of a line before the first section.

What a part means for claims is a policy (docs/formats.md, "Manuscript
structure"), one of:

* ``check``: every sentence is a claim candidate, as in body text;
* ``own``: the paper's own work (what it did, what it found): a sentence there
  is a claim only when it cites something, so it is never an unsourced claim;
* ``skip``: no claims at all (citations there are still read and checked).

Plain text and HTML (web pages, which report on other people's studies) are not
labelled: a "Results" heading there is about someone else's results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .. import _patterns

# "title-block" is the paper's front matter: title page, authors, affiliations, correspondence,
# keywords and abbreviations
SECTIONS: tuple[str, ...] = ("title-block", "abstract", "methods", "results", "caption",
                             "acknowledgements", "data-availability")
POLICIES: tuple[str, ...] = ("check", "own", "skip")

DEFAULT_POLICY: dict[str, str] = {
    "title-block": "skip",
    "abstract": "own",        # an abstract summarises the paper itself and cites by convention nothing
    "methods": "own",
    "results": "own",
    "caption": "own",
    "acknowledgements": "skip",
    "data-availability": "skip",
}

_HEADING_NAMES: tuple[tuple[str, str], ...] = (
    ("title-block", r"authors?|author information|affiliations?|correspondence|contact information"
                    r"|title page|(?:full|running|short) title|key ?words|(?:list of )?abbreviations|glossary"),
    ("abstract", r"abstract|summary of the (?:paper|study)|structured abstract|graphical abstract"
                 r"|highlights|key points|research in context"),
    ("methods", r"(?:materials?\s+and\s+)?methods?(?:\s+and\s+materials?)?|methodology|study design"
                r"|patients and methods|participants and methods|statistical (?:analysis|analyses|methods)"
                r"|experimental (?:design|procedures?|section)"),
    ("results", r"results?(?:\s+and\s+discussion)?|findings"),
    ("caption", r"(?:tables?|figures?)(?:\s+(?:and|&)\s+(?:tables?|figures?))?"
                r"|(?:figure|table) (?:legends?|captions?)|legends? (?:of|to) figures"),
    ("acknowledgements", r"acknowledge?ments?|funding(?:\s+sources?|\s+statement)?|author contributions?"
                         r"|(?:declaration\s+of\s+)?(?:competing|conflicts?\s+of)\s+interests?"
                         r"|disclosures?|transparency declarations?|ethic(?:s|al approval)(?:\s+statement)?"),
    ("data-availability", r"(?:data|code|software)(?:\s+and\s+(?:code|materials|software))?\s+availability"
                          r"(?:\s+statement)?|availability of (?:data|code)(?:\s+and\s+materials)?"),
)
_NAMED = [(section, _patterns.compile(rf"^(?:{pattern})$", re.IGNORECASE)) for section, pattern in _HEADING_NAMES]
_NUMBERING = _patterns.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|[A-Z]\.)\s+")
_MARKUP = _patterns.compile(r"[*_`#{}\\]|\s*:\s*$")

# a line of the title block: an e-mail address, an ORCID, "Correspondence", an affiliation
_TITLE_LINE = _patterns.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\borcid\b|\bcorrespond(?:ence|ing)\b|^\s*(?:\^?\d+\^?|[*\u2020\u2021])?\s*"
    r"(?:affiliations?|(?:department|dept\.?|division|faculty|school|institute|centre|center|university"
    r"|hospital|laboratory|college) of\b)", re.IGNORECASE)


_TITLE_BLOCK_MAX = 400   # characters: an author list, an address; a longer block is running text


def section_of_heading(title: str) -> str | None:
    """The part a heading opens ("" for any other named section), from its name alone."""
    name = _NUMBERING.sub("", " ".join(_MARKUP.sub(" ", title).split()))
    for section, pattern in _NAMED:
        if pattern.match(name):
            return section
    return ""


def label(blocks: Iterable[tuple[str, int, str, str]]) -> list[str]:
    """The part of each block, in reading order: ``(kind, level, title, text)`` per block
    (``level`` and ``title`` for headings; ``text`` the block's source, for title lines).

    A heading naming a part opens it; a later heading of the same or a higher level
    (a smaller number) that names none closes it, a lower one (a subsection) stays in it.
    Before the first heading that is not the document's title and the first paragraph of
    running text (longer than 400 characters), a short block of the title block's shape
    (:func:`is_title_line`) is the title block.
    """
    out: list[str] = []
    current, level = "", 0
    headings, seen_section = 0, False
    for kind, lvl, title, text in blocks:
        if kind == "heading":
            named = section_of_heading(title)
            if named:
                current, level = named, lvl
            elif current and lvl <= level:
                current = ""
            headings += 1
            seen_section = seen_section or bool(named) or headings > 1 or lvl > 1
            out.append(current)
            continue
        if not current and not seen_section and len(text) <= _TITLE_BLOCK_MAX and is_title_line(text):
            out.append("title-block")
        else:
            out.append(current)
            seen_section = seen_section or (kind == "prose" and len(text) > _TITLE_BLOCK_MAX)
    return out


def is_title_line(text: str) -> bool:
    """A line that belongs to a title block (author addresses, e-mail and ORCID lines)."""
    return bool(_TITLE_LINE.search(text))


def policy(section: str, overrides: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> str:
    """The policy of a part: ``overrides`` (the config's ``sections``) over the defaults."""
    given = overrides if isinstance(overrides, Mapping) else dict(overrides)
    return given.get(section) or DEFAULT_POLICY.get(section, "check")


def check_overrides(values: Mapping[str, str]) -> None:
    """ValueError naming an unknown part or policy (for the config's ``sections`` table)."""
    unknown = [k for k in values if k not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s): {', '.join(map(repr, unknown))} "
                         f"(known: {', '.join(SECTIONS)})")
    bad = [f"{k} = {v!r}" for k, v in values.items() if v not in POLICIES]
    if bad:
        raise ValueError(f"{', '.join(bad)}: a policy is one of {', '.join(POLICIES)}")
