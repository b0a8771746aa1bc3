"""ISO 4 journal abbreviations from pyiso4, with the word list cut down to the titles at hand.

pyiso4's ``Abbreviate.create()`` turns every one of the 56,000 lines of the List of Title
Word Abbreviations (LTWA) it ships into a pattern and files it in a prefix tree: about
1.1 s, most of a ``score`` of the five bundled articles. Yet the abbreviator looks up a
title word by word in the title's normalised form (``Pattern.normalize``: unidecode,
lower case), and a pattern that does not end with a dash is used for a word only when
its key (the pattern without its trailing dash) begins the text from that word on. So a
pattern whose key is not found in some normalised title can never be used for those
titles, and :func:`abbreviator` builds pyiso4's ``Abbreviate`` from the other lines only:

- a line whose word starts with four ASCII letters is kept only when those letters, in
  lower case, occur in a normalised title (normalising leaves ASCII as it is); a word
  that starts with an ASCII letter and has no annotation in parentheses is kept only
  when each of its runs of ASCII letters, in lower case, occurs in one (its key holds
  them); a line that passes, and every other line, is made a ``Pattern`` and kept when
  its key occurs in a normalised title;
- every line whose word starts with a dash (a word ending, 213 of them) is kept, so the
  tree of word endings is the one pyiso4 builds;
- the lines kept are filed in the order of the file, as ``create`` files them: when two
  patterns fit equally well, pyiso4 takes the one filed first.

The abbreviator then gives what pyiso4's full one gives for those titles (checked on
every journal title of the fixture bibliographies: tests/report/test_iso4.py). Anything
pyiso4 does not offer as expected (another version) falls back to ``Abbreviate.create()``,
and a word list that cannot be read at all to titles in full.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from typing import Any

from .. import _patterns

Abbreviator = Callable[..., str]

_SPAN = 4   # letters of a word read before it is made a pattern
_LETTERS = _patterns.compile(r"[A-Za-z]+")


def abbreviator(titles: Collection[str]) -> Abbreviator | None:
    """pyiso4's abbreviator for ``titles`` (called as ``abbreviator(title, remove_part=True)``);
    None when pyiso4 is not installed or cannot read its word list."""
    try:
        from pyiso4.ltwa import Abbreviate, Pattern
        from pyiso4.prefix_tree import PrefixTree
    except ImportError:  # pragma: no cover - a dependency; titles then stay in full
        return None
    try:
        files = inspect.signature(Abbreviate.create).parameters
        ltwa, stopwords = files["ltwa_file"].default, files["stopwords"].default
        normalised = "\n".join(Pattern.normalize(t) for t in titles)
        grams = {normalised[i:i + _SPAN] for i in range(len(normalised) - _SPAN + 1)}
        prefixes, suffixes = PrefixTree(), PrefixTree()
        for pattern in _patterns(ltwa, Pattern, normalised, grams):
            if pattern.start_with_dash:
                suffixes.insert(pattern.to_key()[::-1], pattern)
            else:
                prefixes.insert(pattern.to_key(), pattern)
        with open(stopwords, encoding="utf-8") as fh:
            words = [w.strip() for w in fh.readlines()]
        return Abbreviate(prefixes, suffixes, words)
    except Exception:  # noqa: BLE001 - not the pyiso4 this was written for: its own way
        pass
    try:
        return Abbreviate.create()
    except Exception:  # noqa: BLE001 - its word list cannot be read: the titles stay in full
        return None


def _patterns(ltwa: Any, pattern_class: Any, normalised: str, grams: set[str]) -> list[Any]:
    """The LTWA lines that may serve these titles, as pyiso4 patterns, in file order."""
    kept = []
    with open(ltwa, encoding="utf-8") as fh:
        lines = fh.readlines()[1:]   # the first line names the columns
    for line in lines:
        if line == "\n":
            continue
        head = line[:_SPAN]
        if head.isascii() and head.isalpha() and head.lower() not in grams:
            continue   # most lines: never made a pattern
        word = line.split("\t", 1)[0].strip()
        if word[:1].isascii() and word[:1].isalpha() and "(" not in word and any(
                run.lower() not in normalised for run in _LETTERS.findall(word)):
            continue   # its key holds these letters as they are, and no title holds them
        pattern = pattern_class.from_line(line)
        if pattern.start_with_dash or pattern.to_key() in normalised:
            kept.append(pattern)
    return kept


__all__ = ["Abbreviator", "abbreviator"]
