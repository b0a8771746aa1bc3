"""evgrade.read._html_tokens: the same tokens as html.parser, in linear time.

The tokenizer follows the rules of the standard library's html.parser as it is
in Python 3.11 to 3.13.0 (later releases changed how comments, <script> and
<title> are read); where the running Python's parser has those rules, both must
give the same tokens on generated pages, broken ones included.
"""

from __future__ import annotations

import html.parser
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evgrade._text import LineIndex
from evgrade.read._html_tokens import Tokenizer

SAME_RULES = (getattr(html.parser, "commentclose", re.compile("")).pattern == r"--\s*>"
              and not hasattr(html.parser.HTMLParser, "RCDATA_CONTENT_ELEMENTS"))


class Recorder(html.parser.HTMLParser):
    """html.parser's events as tokens (convert_charrefs off, as the reader used it)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.index = LineIndex(text)
        self.tokens: list[tuple[str, int, str]] = []

    def _add(self, kind: str, data: str) -> None:
        line, col = self.getpos()
        self.tokens.append((kind, self.index.offset(line, col + 1), data))

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self._add("start", tag)

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self._add("startend", tag)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        self._add("end", tag)

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self._add("text", data)

    def handle_entityref(self, name):  # type: ignore[no-untyped-def]
        self._add("text", f"&{name};")

    def handle_charref(self, name):  # type: ignore[no-untyped-def]
        self._add("text", f"&#{name};")

    def handle_comment(self, data):  # type: ignore[no-untyped-def]
        self._add("comment", data)

    def parse_marked_section(self, i, report=1):  # type: ignore[no-untyped-def]
        # as the reader did: a "<![" html.parser cannot read runs to the next ">"
        where = self.getpos()
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            self.lineno, self.offset = where
            close = self.rawdata.find(">", i + 3)
            return len(self.rawdata) if close == -1 else close + 1


def parsed(text: str) -> list[tuple[str, int, str]]:
    recorder = Recorder(text)
    recorder.feed(text)
    recorder.close()
    return recorder.tokens


PIECES = ["<", ">", "</", "<!--", "-->", "-- >", "<!", "<?", "<![", "<![CDATA[", "]]>", "]>", "<![if ", "<!doctype",
          "<!DOCTYPE html>", "<a", "<a ", "<b>", "</b>", "<p>", "</p>", "<br/>", "<br />", "<img src='x'>",
          '<a href="x">', "<a x=", "=", "==", "'", '"', "/", "/>", "<script>", "</script>", "<style>",
          "</style >", "&", "&amp;", "&amp", "&#", "&#12;", "&#x1f", "&#xg", ";", "x", "A.", " ", "\n", "\t",
          "\r\n", "é", "\x00", "<div class=a>", "</div>", "<x y z>", "<a b='c' d=e f>", "<title>", "</title>",
          "</ h1>", "</>", "<1"]
PAGES = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
CHARS = st.text(alphabet="<>/!-?[]&#;=' \"\nabAB1\t\x00", max_size=30)


@pytest.mark.skipif(not SAME_RULES, reason="this Python's html.parser reads pages by newer rules")
@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.one_of(PAGES, CHARS))
def test_same_tokens_as_html_parser(page: str) -> None:
    assert [tuple(t) for t in Tokenizer(page).tokens()] == parsed(page)


def test_an_unclosed_construct_becomes_text_up_to_the_next_gt() -> None:
    page = "<p>one <a href='x two</p> three"   # the quote never closes: the tag cannot end
    assert ("text", 7, "<a href='x two</p>") in [tuple(t) for t in Tokenizer(page).tokens()]
