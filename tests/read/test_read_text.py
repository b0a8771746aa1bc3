"""The plain-text reader on the five real web articles bundled in articles/."""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.claims import segment
from evgrade.read import read_path, read_text

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


def by_line(name: str) -> dict[int, tuple[str, str]]:
    doc = read_path(ARTICLES / name)
    return {b.span.line: (b.kind, doc.text[b.span.start:b.span.end]) for b in doc.blocks}


def kind_at(blocks: dict[int, tuple[str, str]], line: int) -> str:
    return blocks[line][0]


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.stem)
def test_prose_keeps_offsets_and_blank_chrome(path: Path) -> None:
    doc = read_path(path)
    assert len(doc.prose) == len(doc.text)
    assert doc.prose.count("\n") == doc.text.count("\n")
    for b in doc.blocks:
        chunk = doc.prose[b.span.start:b.span.end]
        if b.kind == "chrome":
            assert not chunk.strip(), b
        elif b.kind == "prose":
            assert chunk == doc.text[b.span.start:b.span.end]
    # the read stage leaves sentences to the claims stage; every sentence comes
    # from a prose-bearing block
    assert doc.sentences == ()
    sentences = segment(doc).sentences
    assert sentences and all(s.block_kind in ("prose", "heading", "list-item") for s in sentences)


def test_magazine_page_furniture() -> None:
    name = "the-science-behind-ketamine-infusion-therapy.txt"
    doc = read_path(ARTICLES / name)
    blocks = by_line(name)
    assert doc.title == "The Science Behind Ketamine Infusion Therapy"
    assert kind_at(blocks, 1) == "chrome"      # "The Magazine World" (site name)
    assert kind_at(blocks, 2) == "chrome"      # "News" (section label)
    assert kind_at(blocks, 4) == "heading"
    assert kind_at(blocks, 6) == "heading"     # the title again, other capitalisation
    for line in (8, 10, 12, 14, 16, 18, 20, 22):
        assert kind_at(blocks, line) == "prose", line
    # publisher box: label, name | site, URL, phone, address, blurb
    for line in (24, 26, 27, 29, 30, 31):
        assert kind_at(blocks, line) == "chrome", blocks[line]
    # related posts: heading, three post titles and their "admin" bylines
    for line in (33, 35, 37, 39, 41, 43, 45):
        assert kind_at(blocks, line) == "chrome", blocks[line]
    reasons = {b.span.line: b.reason for b in doc.blocks}
    assert reasons[27] == "bare URL"
    assert reasons[29] == "phone number"
    assert reasons[30] == "street address"


def test_question_title_and_call_to_action() -> None:
    name = "why-does-ketamine-therapy-work.txt"
    doc = read_path(ARTICLES / name)
    blocks = by_line(name)
    assert doc.title == "Why Does Ketamine Therapy Work?"
    assert kind_at(blocks, 1) == "heading"
    assert kind_at(blocks, 3) == "chrome"      # title + " - <site> <city>"
    assert kind_at(blocks, 5) == "heading"
    for line in (9, 11, 15, 27, 29, 37, 43, 45, 53, 59, 61, 67, 73, 75, 83, 89):
        assert kind_at(blocks, line) == "heading", blocks[line]
    for line in (7, 13, 17, 19, 21, 23, 25, 31, 47, 63, 65, 91):
        assert kind_at(blocks, line) == "prose", blocks[line]
    assert kind_at(blocks, 93) == "chrome"     # "contact ... today to schedule a consultation"
    assert blocks[95] == ("chrome", "Email Us")
    assert blocks[96] == ("chrome", "Call Us")


def test_image_captions_and_link_list() -> None:
    name = "understanding-the-science-behind-ketamine-therapy.txt"
    doc = read_path(ARTICLES / name)
    blocks = by_line(name)
    assert doc.title == "Understanding the Science Behind Ketamine Therapy"
    assert kind_at(blocks, 1) == "heading"
    assert kind_at(blocks, 3) == "chrome" and kind_at(blocks, 5) == "chrome"
    for line in (9, 15, 21, 25):
        assert kind_at(blocks, line) == "heading"
    for line in (7, 11, 13, 17, 19, 23, 27, 30):
        assert kind_at(blocks, line) == "prose"
    for line in (32, 34, 36, 38, 40):
        assert kind_at(blocks, line) == "chrome", blocks[line]


def test_article_without_title() -> None:
    name = "ketamine-as-a-treatment-option-for-depression-and-anxiety.txt"
    doc = read_path(ARTICLES / name)
    blocks = by_line(name)
    assert doc.title == ""  # it opens with "Introduction", a section name
    for line in (1, 5, 15, 23):
        assert kind_at(blocks, line) == "heading"
    for line in (3, 7, 9, 11, 13, 17, 19, 21, 25, 27, 29):
        assert kind_at(blocks, line) == "prose"
    assert not any(b.kind == "chrome" for b in doc.blocks)


def test_breakthrough_article() -> None:
    name = "the-science-behind-ketamine-therapy-a-breakthrough-in-mental-health-treatment.txt"
    doc = read_path(ARTICLES / name)
    blocks = by_line(name)
    assert doc.title.startswith("The Science Behind Ketamine Therapy: A Breakthrough")
    for line in (1, 3, 7, 11, 17, 23):
        assert kind_at(blocks, line) == "heading"
    for line in (5, 9, 13, 15, 19, 21, 25):
        assert kind_at(blocks, line) == "prose"


def test_general_rules_on_other_shapes() -> None:
    """Rules are shapes, not these five files: a made-up page with the same furniture kinds."""
    from evgrade.read import read_text
    src = ("Daily Health Blog\n\nSleep and Memory\n\nSleep and Memory | Daily Health Blog\n\n"
           "Researchers have long studied sleep. Several reviews discuss memory consolidation during sleep.\n\n"
           "Explore this external resource\n\nClick here\n\n(555) 123-4567\n\nhello@example.com\n\n"
           "By Jane Roe\n\n\u00a9 2024 Daily Health Blog. All rights reserved.\n\n"
           "You may also like\n\nTen Tips for Better Naps\n\nWhy Coffee Matters\n")
    doc = read_text(src, path="blog.txt")
    kinds = {doc.text[b.span.start:b.span.end]: b.kind for b in doc.blocks}
    assert doc.title == "Daily Health Blog"
    assert kinds["Sleep and Memory | Daily Health Blog"] == "chrome"
    assert kinds["Explore this external resource"] == "chrome"
    assert kinds["Click here"] == "chrome"
    assert kinds["(555) 123-4567"] == "chrome"
    assert kinds["hello@example.com"] == "chrome"
    assert kinds["By Jane Roe"] == "chrome"
    assert kinds["\u00a9 2024 Daily Health Blog. All rights reserved."] == "chrome"
    assert kinds["Ten Tips for Better Naps"] == "chrome"
    assert kinds["Researchers have long studied sleep. Several reviews discuss memory "
                 "consolidation during sleep."] == "prose"


def test_wrapped_paragraph_and_list() -> None:
    from evgrade.read import read_text
    src = ("Notes\n\n"
           "This paragraph was written in a plain text editor and wrapped at a fixed\n"
           "width, so one paragraph spans several lines of roughly the same length\n"
           "and ends here.\n\n"
           "Key points\n\n- first point about dosing\n- second point about safety\n")
    doc = read_text(src)
    kinds = [(b.kind, b.span.line, b.span.end_line) for b in doc.blocks]
    assert kinds == [("heading", 1, 1), ("prose", 3, 5), ("heading", 7, 7),
                     ("list-item", 9, 9), ("list-item", 10, 10)]
    item = doc.blocks[3]
    assert doc.prose[item.span.start:item.span.end].strip() == "first point about dosing"


def test_ragged_hard_wrapped_paragraph_is_one_block() -> None:
    # wrapped by an editor at about 90 columns: "people" would have fitted on the
    # first line, which once made every line its own block (one of them "chrome")
    text = ("Does fasting help?\n\n"
            "Studies have shown that people who follow an IF plan lose about as much weight as\n"
            "people who simply cut calories every day. In other words, it probably isn't magic; it may\n"
            "just make eating less easier for some people. A 2020 trial found no difference between\n"
            "the 16:8 group and the control group after twelve weeks.\n")
    doc = read_text(text, path="faq.txt")
    assert [(b.kind, b.span.line, b.span.end_line) for b in doc.blocks] == [
        ("heading", 1, 1), ("prose", 3, 6)]
    sentences = segment(doc).sentences
    assert sentences[1].text.startswith("Studies have shown that people")
    assert sentences[1].text.endswith("cut calories every day.")
