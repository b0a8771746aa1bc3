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
