"""The HTML reader keeps offsets into the original page."""

from __future__ import annotations

from evgrade.read import read_text

PAGE = """<!DOCTYPE html>
<html><head><title>Ketamine &amp; Mood</title><style>p{color:red}</style></head>
<body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<h1>Ketamine and Mood</h1>
<!-- evgrade: ignore EV201 -->
<p>Ketamine is <em>discussed</em> here.</p>
<ul><li>Item one text.</li><li><p>Item two.</p></li></ul>
<table><tr><td>Cell text.</td></tr></table>
<pre><code>x = 1</code></pre>
<script>var a = "<p>no</p>";</script>
<footer>Call us</footer>
</body></html>
"""


def test_blocks_prose_and_title() -> None:
    doc = read_text(PAGE, path="page.html", format="html")
    assert doc.title == "Ketamine & Mood"
    kinds = [(b.span.line, b.kind) for b in doc.blocks]
    assert kinds == [(4, "chrome"), (5, "heading"), (7, "prose"), (8, "list-item"), (8, "prose"),
                     (9, "prose"), (10, "code"), (12, "chrome")]
    assert len(doc.prose) == len(doc.text)
    assert " ".join(doc.prose.split()) == ("Ketamine and Mood Ketamine is discussed here. "
                                           "Item one text. Item two. Cell text.")
    start = doc.text.index("Ketamine is")
    assert doc.prose[start:start + 11] == "Ketamine is"
    (sup,) = doc.suppressions
    assert sup.codes == ("EV201",) and sup.span.line == 7


def test_a_bogus_marked_section_is_skipped_like_a_browser_does() -> None:
    # "<![" that opens neither CDATA nor a conditional comment made html.parser raise
    # AssertionError (evgrade exited 3); a browser reads it as a bogus comment up to ">"
    src = ("<p>Before <![ bogus ]> after, on line one.</p>\n"
           "<p>Second <![x\ny]> paragraph here.</p>\n<p>Third.</p>")
    doc = read_text(src, path="page.html", format="html")
    assert [(b.kind, b.span.line, b.span.col) for b in doc.blocks] == [
        ("prose", 1, 1), ("prose", 2, 1), ("prose", 4, 1)]
    assert doc.prose.split() == ["Before", "after,", "on", "line", "one.", "Second", "paragraph",
                                 "here.", "Third."]
    assert len(doc.prose) == len(src)
    assert doc.prose[src.index("after"):].startswith("after, on line one.")
    unclosed = read_text("<p>Text.</p><![x", path="page.html", format="html")
    assert unclosed.prose.split() == ["Text."]
