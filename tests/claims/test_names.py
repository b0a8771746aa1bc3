"""evgrade.claims._names: capitalised names found in one pass give what the regex gave.

The reference is the name pattern attribution finding used to embed in its
regular expressions (a capitalised word, then any number of "spaces,
connectors, capitalised word"), run on inputs short enough for its retries.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from evgrade.claims._names import Names

_CAP = r"(?:[A-Z][\w'&.-]*|[A-Z]{2,}|&)"
_CONNECT = r"(?:of|the|and|for|in|on|de|der|du|la|&)"
NAME = re.compile(rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP})*")
AFTER = re.compile(r"\s*(?:\([A-Z]{2,}\)\s*)?(?:,\s*)?(?i:says?|reports?|found)\b")
INSIDE = re.compile(r"(?=(?i:says?|reports?|found)\b)")
NAME_THEN_AFTER = re.compile(rf"(?P<name>{NAME.pattern}){AFTER.pattern}")

WORDS = st.sampled_from(["Smith", "SMITH", "A", "AB", "of", "the", "and", "de", "der", "&", "&&", "&A", "x", "42",
                         "St.", "O'Brien", "R&D", "says", "SAYS", "Reports", "found", "(WHO)", ",", "é", "Ünï",
                         "XSAYS", "ACMEreports"])
SEPARATORS = st.sampled_from([" ", " ", "  ", "", "\n", "\t", ", ", ". "])
SENTENCES = st.lists(st.tuples(WORDS, SEPARATORS), max_size=12).map(lambda ws: "".join(w + s for w, s in ws))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(SENTENCES, st.integers(min_value=0, max_value=40))
def test_longest_name(text: str, at: int) -> None:
    at = min(at, len(text))
    m = NAME.match(text, at)
    assert Names(text).end(at) == (m.end() if m else None)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(SENTENCES, st.integers(min_value=0, max_value=40))
def test_longest_name_that_something_follows(text: str, at: int) -> None:
    at = min(at, len(text))
    m = NAME_THEN_AFTER.match(text, at)
    assert Names(text).last_end(at, AFTER, INSIDE) == (m.end("name") if m else None)
