"""Manubot's ``citation-tags.tsv``: aliases that ``@tag:NAME`` citations stand for.

The file lives in a Manubot manuscript's ``content/`` folder, beside the Markdown
files that cite the tags. It is tab-separated with a header row naming (at least)
the columns ``tag`` and ``citation``; each row defines ``tag:<tag>`` as the key in
``citation``: an identifier key such as ``doi:10.1/x`` or a bibliography key.

    tag	citation
    deep-review	doi:10.1098/rsif.2017.0387

As in Manubot: a row without a tab is split at white space instead, the tag is
matched exactly as written, and a tag defined twice means its last row. A row
with a tag but no citation, or a header without those two columns, is an input
error naming the line (``InputError``). No file: no tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .._citekeys import TAG_PREFIX
from .._files import read_text
from ..errors import InputError

FILE_NAME = "citation-tags.tsv"
_COLUMNS = ("tag", "citation")


def _cells(line: str) -> list[str]:
    """Tab-separated cells (an empty cell stays in its column), or white-space-separated
    words for a row that holds no tab."""
    return [c.strip() for c in line.split("\t")] if "\t" in line else line.split()


def parse_citation_tags(text: str, path: str = FILE_NAME) -> dict[str, str]:
    """``{"tag:NAME": citation}`` from the text of a citation-tags.tsv."""
    rows = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not rows:
        return {}
    header_line, header = rows[0]
    names = [c.lower() for c in _cells(header)]
    if not all(c in names for c in _COLUMNS):
        raise InputError("the first line must name the columns 'tag' and 'citation' "
                         "(tab-separated)", path=path, line=header_line)
    at = {c: names.index(c) for c in _COLUMNS}
    tags: dict[str, str] = {}
    for n, line in rows[1:]:
        cells = _cells(line)
        tag, citation = (cells[at[c]] if at[c] < len(cells) else "" for c in _COLUMNS)
        if not tag or not citation:
            raise InputError("a row needs a tag and a citation, separated by a tab", path=path, line=n)
        tags[TAG_PREFIX + tag] = citation
    return tags


def load_citation_tags(path: str | Path) -> dict[str, str]:
    """The tags the file at ``path`` defines (none when it does not exist)."""
    p = Path(path)
    if not p.exists():
        return {}
    return parse_citation_tags(read_text(p, what="citation tags file"), str(p))


@dataclass(frozen=True)
class CitationTags:
    """The tags each article may use: those of the citation-tags.tsv in its folder."""

    by_folder: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def beside(cls, articles: Iterable[str]) -> CitationTags:
        """Load the citation-tags.tsv (if any) in the folder of each article."""
        found: dict[str, Mapping[str, str]] = {}
        for article in articles:
            folder = str(Path(article).parent)
            if folder not in found:
                found[folder] = load_citation_tags(Path(folder) / FILE_NAME)
        return cls({k: v for k, v in found.items() if v})

    def target(self, article: str, key: str) -> str:
        """What ``key`` stands for in ``article``: a tag's citation, else the key itself."""
        if not self.by_folder or not key.startswith(TAG_PREFIX):
            return key
        return self.by_folder.get(str(Path(article).parent), {}).get(key, key)

    def __bool__(self) -> bool:
        return bool(self.by_folder)


NO_TAGS = CitationTags()
