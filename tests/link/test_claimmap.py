"""Claim maps: loading, quote matching, stale entries, errors, skeleton writing."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from evgrade import _atomic
from evgrade._text import LineIndex
from evgrade.errors import ClaimMapError
from evgrade.link.claimmap import ClaimMap, load_claim_map, normalize_quote, parse_claim_map
from evgrade.link.mapmatch import FUZZY_THRESHOLD, map_links, match_quote
from evgrade.link.skeleton import skeleton_text, toml_string, write_skeleton
from evgrade.models import Claim

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "articles"
WHY = ARTICLES / "why-does-ketamine-therapy-work.txt"
WHY_TEXT = WHY.read_text(encoding="utf-8")

# real sentences of why-does-ketamine-therapy-work.txt (note the curly apostrophe)
SENTENCES = [
    "Ketamine acts by interacting with glutamate, one of the brain\u2019s primary neurotransmitters.",
    "Glutamate is involved in regulating brain function, particularly in relation to mood and cognition.",
    "By binding to certain glutamate receptors, ketamine is believed to modulate the transmission of "
    "neural signals, leading to its antidepressant and anxiolytic effects.",
    "Ketamine therapy has shown promise in the treatment of various mental health conditions, including "
    "major depressive disorder, bipolar depression, and post-traumatic stress disorder (PTSD).",
    "Recent studies have explored the use of ketamine in pediatric populations, particularly in the "
    "treatment of treatment-resistant depression in adolescents.",
]


def make_claim(text: str, cid: str, *, article: Path | str = WHY, source: str = WHY_TEXT,
               kind: str = "efficacy") -> Claim:
    start = source.index(text) if text in source else 0
    span = LineIndex(source).span(start, start + len(text))
    return Claim(id=cid, article=str(article), sentence=0, span=span, text=text, kind=kind)  # type: ignore[arg-type]


CLAIMS = [make_claim(s, f"c{i}") for i, s in enumerate(SENTENCES)]


def map_for(tmp_path: Path, body: str, name: str = "claims.toml") -> ClaimMap:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return load_claim_map(path)


def links_of(claim_map: ClaimMap, claims=CLAIMS, **kw):
    return map_links(claims, claim_map, **kw)


# -------------------------------------------------------------------- load

def test_load_keeps_fields_unknown_fields_and_header_lines(tmp_path: Path) -> None:
    body = (
        "# evgrade claim map\n"
        "version = 1\n"
        "\n"
        "[[claims]]   # first\n"
        'article = "why-does-ketamine-therapy-work.txt"\n'
        'quote = "ketamine is believed to modulate the transmission of neural signals"\n'
        'keys = ["ZanosGould2018"]\n'
        'note = """a multi-line note\n'
        "[[claims]]\n"
        'that mentions a header"""\n'
        'reviewer = "someone"\n'
        "\n"
        "[[claims]]\n"
        "quote = 'Glutamate is involved in regulating brain function'\n"
        "keys = []\n"
        "[claims.meta]\n"
        "checked = 2024-01-02\n"
    )
    cm = map_for(tmp_path, body)
    assert [e.line for e in cm.entries] == [4, 13]
    first, second = cm.entries
    assert first.keys == ("ZanosGould2018",)
    assert first.note.startswith("a multi-line note\n[[claims]]")
    assert first.extra == {"reviewer": "someone"}
    assert second.article == "" and second.keys == ()
    assert "meta" in second.extra
    assert cm.path == str(tmp_path / "claims.toml")


def test_normalize_quote_folds_case_quotes_dashes_and_punctuation() -> None:
    assert normalize_quote("The brain\u2019s  \u201cprimary\u201d\tneuro\u2013transmitters!") == \
        "the brains primary neuro transmitters"
    assert normalize_quote("ﬁnds") == "finds"   # NFKC: the fi ligature


# ------------------------------------------------------------------ match

@pytest.mark.parametrize("quote", [
    SENTENCES[0],                                                          # the whole claim
    "one of the brain\u2019s primary neurotransmitters",                   # a part of it
    "one of the brain's primary neurotransmitters",                        # straight apostrophe
    "ONE OF THE BRAIN\u2019S   PRIMARY\nneurotransmitters",                # case and whitespace
    "interacting with glutamate one of the brains primary neurotransmitters",  # punctuation changed
])
def test_exact_matches(quote: str) -> None:
    matched = match_quote(quote, CLAIMS)
    assert [(c.id, s) for c, s in matched] == [("c0", None)]


def test_dash_variants_match() -> None:
    quote = "treatment of treatment\u2013resistant depression in adolescents"  # en dash
    assert [c.id for c, _ in match_quote(quote, CLAIMS)] == ["c4"]


def test_containment_respects_word_boundaries() -> None:
    text = "Intranasal esketamine was approved for treatment-resistant depression."
    claims = [make_claim(text, "es", source=text)]
    assert match_quote("ketamine was", claims) == []
    assert [c.id for c, _ in match_quote("esketamine was", claims)] == ["es"]


def test_fuzzy_match_records_its_score(tmp_path: Path) -> None:
    quote = "ketamine is beleived to modulate the transmision of neural signals"  # two typos
    (claim, score), = match_quote(quote, CLAIMS)
    assert claim.id == "c2"
    assert FUZZY_THRESHOLD / 100 <= score < 1
    cm = map_for(tmp_path, f'[[claims]]\nquote = "{quote}"\nkeys = ["ZanosGould2018"]\n')
    (link,), problems = links_of(cm)
    assert problems == []
    assert (link.claim_id, link.key, link.via, link.score) == ("c2", "ZanosGould2018", "map", score)
    assert "fuzzy quote match" in link.reason and "claims.toml:1" in link.reason


def test_short_quotes_never_match_fuzzily() -> None:
    assert match_quote("glutamte", CLAIMS) == []
    assert [c.id for c, _ in match_quote("glutamate", CLAIMS)] == ["c0", "c1", "c2"]


def test_unrelated_quote_does_not_match() -> None:
    assert match_quote("ketamine was first synthesised in 1962 by Calvin Stevens", CLAIMS) == []


def test_quote_in_several_claims_links_all_of_them(tmp_path: Path) -> None:
    cm = map_for(tmp_path, '[[claims]]\nquote = "glutamate"\nkeys = ["Autry2011"]\nnote = "mechanism"\n')
    links, problems = links_of(cm)
    assert problems == []
    assert [(l.claim_id, l.key) for l in links] == [("c0", "Autry2011"), ("c1", "Autry2011"),
                                                     ("c2", "Autry2011")]
    assert all(l.score is None and l.reason.endswith("; mechanism") for l in links)


# ------------------------------------------------------------ stale entries

def test_stale_entry_gives_ev304_with_the_map_line(tmp_path: Path) -> None:
    body = ("version = 1\n\n"
            "[[claims]]\n"
            'article = "why-does-ketamine-therapy-work.txt"\n'
            'quote = "one of the brain\'s primary neurotransmitters"\n'
            'keys = ["Li2010"]\n'
            "\n# this one was edited out of the article\n"
            "[[claims]]\n"
            'article = "why-does-ketamine-therapy-work.txt"\n'
            'quote = "ketamine cures every form of depression within minutes"\n'
            'keys = ["Berman2000"]\n')
    cm = map_for(tmp_path, body)
    links, problems = links_of(cm)
    assert [(l.claim_id, l.key) for l in links] == [("c0", "Li2010")]
    (f,) = problems
    assert (f.code, f.name, f.severity) == ("EV304", "stale-map-entry", "warning")
    assert f.path == str(tmp_path / "claims.toml") and f.line == 9
    assert "ketamine cures every form" in f.message and f.key == "Berman2000"


def test_entries_for_articles_not_read_are_neither_matched_nor_stale(tmp_path: Path) -> None:
    cm = map_for(tmp_path, '[[claims]]\narticle = "the-science-behind-ketamine-infusion-therapy.txt"\n'
                           'quote = "glutamate"\nkeys = ["Li2010"]\n')
    assert links_of(cm) == ([], [])
    # ...but an article that was read and yielded no claim still gets its entries checked
    links, problems = links_of(cm, articles=[str(WHY), str(ARTICLES / "the-science-behind-ketamine-infusion-therapy.txt")])
    assert links == [] and [f.code for f in problems] == ["EV304"]


def test_article_paths_are_relative_to_the_map_folder(tmp_path: Path) -> None:
    rel = os.path.relpath(WHY, tmp_path)
    good = map_for(tmp_path, f'[[claims]]\narticle = "{Path(rel).as_posix()}"\nquote = "glutamate"\nkeys = ["K"]\n')
    assert len(links_of(good)[0]) == 3
    wrong = map_for(tmp_path, '[[claims]]\narticle = "elsewhere/why-does-ketamine-therapy-work.txt"\n'
                              'quote = "glutamate"\nkeys = ["K"]\n')
    assert links_of(wrong) == ([], [])
    bare = map_for(tmp_path, '[[claims]]\narticle = "why-does-ketamine-therapy-work.txt"\n'
                             'quote = "glutamate"\nkeys = ["K"]\n')
    assert len(links_of(bare)[0]) == 3


# ----------------------------------------------------------------- errors

@pytest.mark.parametrize(("body", "line", "col", "fragment"), [
    ('[[claims]]\nquote = "unterminated\nkeys = []\n', 2, None, "invalid TOML"),
    ("[[claims]]\nquote = \nkeys = []\n", 2, 9, "invalid TOML"),
    ('version = 1\n\n[[claims]]\nkeys = ["A"]\n', 3, None, "has no 'quote'"),
    ('[[claims]]\nquote = "x y"\n\n[[claims]]\nquote = 42\n', 4, None, "'quote' must be a string"),
    ('[[claims]]\nquote = "some words"\nkeys = "Berman2000"\n', 1, None, "'keys' must be an array of strings"),
    ('[[claims]]\nquote = "some words"\nkeys = [1, 2]\n', 1, None, "'keys' must be an array of strings"),
    ('[[claims]]\nquote = "some words"\nkeys = ["two words"]\n', 1, None, "invalid bibliography key"),
    ('[[claims]]\nquote = "!!! ..."\n', 1, None, "'quote' is empty"),
    ('[[claims]]\nquote = "a b"\narticle = ["x.txt"]\n', 1, None, "'article' must be a string"),
    ('[claims]\nquote = "some words"\n', None, None, "write [[claims]], not [claims]"),
    ('claims = "nothing"\n', None, None, "must be an array of tables"),
    ('version = 2\n', None, None, "unsupported claim-map version 2"),
    ('version = "1"\n', None, None, "'version' must be an integer"),
    ('claims = [\n', None, None, "invalid TOML"),
])
def test_malformed_maps_raise_one_line_claimmaperror(tmp_path: Path, body: str, line: int | None,
                                                      col: int | None, fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ClaimMapError) as info:
        load_claim_map(path)
    exc = info.value
    assert fragment in exc.message
    assert exc.path == str(path)
    if line is not None:
        assert exc.line == line
    if col is not None:
        assert exc.col == col
    text = str(exc)
    assert "\n" not in text and text.startswith(str(path) + ":")


def test_unclosed_array_at_end_of_file_points_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('version = 1\nclaims = [\n', encoding="utf-8")
    with pytest.raises(ClaimMapError) as info:
        load_claim_map(path)
    assert info.value.line is not None and info.value.line >= 2


def test_non_utf8_and_missing_maps(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('version = 1\n[[claims]]\nquote = "caf\u00e9 ketamine"\n'.encode("latin-1"))
    with pytest.raises(ClaimMapError, match="claim map is not UTF-8") as info:
        load_claim_map(path)
    assert (info.value.line, info.value.col) == (3, 13)
    with pytest.raises(ClaimMapError, match="claim map not found"):
        load_claim_map(tmp_path / "absent.toml")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf[[claims]]\nquote = \"glutamate\"\nkeys = [\"K\"]\n")
    assert load_claim_map(path).entries[0].line == 1


# --------------------------------------------------------------- skeleton

NASTY = [
    'a "quoted" word',
    "back\\slash and C:\\path\\to",
    "tab\there",
    "line\nbreak and \r carriage",
    "nul \x00 bell \x07 escape \x1b del \x7f",
    "non-ASCII: caf\u00e9, \u03b2-arrestin, 5\u2009mg, \u4e2d\u6587, \U0001F9E0",
    "triple \"\"\" quotes and ''' apostrophes",
    "\u2028line separator\u2029",
]


@pytest.mark.parametrize("text", NASTY)
def test_toml_string_round_trips(text: str) -> None:
    assert tomllib.loads(f"q = {toml_string(text)}\n")["q"] == text


def test_toml_string_keeps_non_ascii_as_utf8() -> None:
    assert toml_string("caf\u00e9 \U0001F9E0") == '"caf\u00e9 \U0001F9E0"'


def test_skeleton_round_trip_matches_every_claim(tmp_path: Path) -> None:
    target = tmp_path / "maps" / "claims.toml"
    target.parent.mkdir()
    assert write_skeleton(target, {str(WHY): CLAIMS}) == len(CLAIMS)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# evgrade claim map")
    assert "# efficacy claim, line 13:1\n" in text
    assert f'article = "../{os.path.relpath(WHY, tmp_path)}"' in text.replace(os.sep, "/")
    cm = load_claim_map(target)
    assert len(cm.entries) == len(CLAIMS) and all(e.keys == () for e in cm.entries)
    for entry, claim in zip(cm.entries, CLAIMS):
        assert [c.id for c, s in match_quote(entry.quote, CLAIMS)] == [claim.id]
    assert links_of(cm) == ([], [])   # nothing linked yet, nothing stale


def test_skeleton_escapes_any_claim_text(tmp_path: Path) -> None:
    source = " ".join(NASTY)
    claims = [make_claim(t, f"n{i}", article=tmp_path / "odd.txt", source=source)
              for i, t in enumerate(NASTY)]
    target = tmp_path / "claims.toml"
    assert write_skeleton(target, {str(tmp_path / "odd.txt"): claims}) == len(NASTY)
    assert "\u4e2d\u6587".encode() in target.read_bytes()
    cm = load_claim_map(target)
    assert [e.quote for e in cm.entries] == NASTY
    assert [e.article for e in cm.entries] == ["odd.txt"] * len(NASTY)


def test_skeleton_appends_without_touching_existing_bytes(tmp_path: Path) -> None:
    target = tmp_path / "claims.toml"
    rel = Path(os.path.relpath(WHY, tmp_path)).as_posix()
    original = (
        "# hand-written map; keep this comment\n"
        "version = 1\n"
        "owner = 'editorial team'   # an unknown top-level field\n"
        "\n"
        "[[claims]]\n"
        f'article = "{rel}"\n'
        "quote   =   'one of the brain\u2019s primary neurotransmitters'  # odd spacing kept\n"
        'keys = ["Li2010"]\n'
        'reviewed_by = "editor"\n'
        "\n"
        "[[claims]]\n"
        f'article = "{rel}"\n'
        'quote = "a sentence that is no longer in the article at all"\n'
        'keys = ["Berman2000"]'            # no final newline
    ).encode("utf-8")
    target.write_bytes(original)
    added = write_skeleton(target, {str(WHY): CLAIMS})
    assert added == len(CLAIMS) - 1
    data = target.read_bytes()
    assert data.startswith(original)
    cm = load_claim_map(target)
    assert len(cm.entries) == 2 + added
    assert cm.entries[0].extra == {"reviewed_by": "editor"}
    assert cm.entries[1].quote == "a sentence that is no longer in the article at all"
    assert {e.quote for e in cm.entries[2:]} == set(SENTENCES[1:])
    # idempotent: a second run adds nothing and leaves the file alone
    assert write_skeleton(target, {str(WHY): CLAIMS}, existing=cm) == 0
    assert target.read_bytes() == data


def test_skeleton_keeps_crlf_line_endings(tmp_path: Path) -> None:
    target = tmp_path / "claims.toml"
    target.write_bytes(b"version = 1\r\n")
    assert write_skeleton(target, {str(WHY): CLAIMS[:2]}) == 2
    data = target.read_bytes()
    assert data.startswith(b"version = 1\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert len(load_claim_map(target).entries) == 2


def test_skeleton_refuses_to_append_to_an_inline_array(tmp_path: Path) -> None:
    target = tmp_path / "claims.toml"
    body = 'claims = [{quote = "glutamate", keys = ["K"]}]\n'
    target.write_text(body, encoding="utf-8")
    with pytest.raises(ClaimMapError, match="inline array"):
        write_skeleton(target, {str(WHY): CLAIMS})
    assert target.read_text(encoding="utf-8") == body


def test_skeleton_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "claims.toml"
    target.write_text("version = 1\n", encoding="utf-8")
    calls: list[tuple[str, str]] = []

    def failing_replace(src: str, dst: os.PathLike[str]) -> None:
        calls.append((str(src), str(dst)))
        raise OSError("disk full")

    monkeypatch.setattr(_atomic.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_skeleton(target, {str(WHY): CLAIMS})
    (src, dst), = calls
    assert Path(src).parent == tmp_path and dst == str(target)   # temp file beside the target
    assert target.read_text(encoding="utf-8") == "version = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.toml"]   # temp file removed


def test_skeleton_text_is_a_valid_map() -> None:
    text = skeleton_text({str(WHY): CLAIMS}, folder=ARTICLES)
    cm = parse_claim_map(text)
    assert [e.article for e in cm.entries] == [WHY.name] * len(CLAIMS)
    assert [e.quote for e in cm.entries] == SENTENCES


def test_skeleton_for_the_real_articles_round_trips(tmp_path: Path) -> None:
    read = pytest.importorskip("evgrade.read")
    claims_mod = pytest.importorskip("evgrade.claims.detect")
    by_article = {}
    for path in sorted(ARTICLES.glob("*.txt")):
        doc = read.read_path(path)
        by_article[doc.path] = claims_mod.extract_claims(doc)
    all_claims = [c for cs in by_article.values() for c in cs]
    target = tmp_path / "claims.toml"
    added = write_skeleton(target, by_article)
    assert 0 < added <= len(all_claims)
    cm = load_claim_map(target)
    covered = {c.id for e in cm.entries
               for c, _ in match_quote(e.quote, [x for x in all_claims if Path(x.article).name == e.article.split("/")[-1]])}
    assert covered == {c.id for c in all_claims}
    assert map_links(all_claims, cm)[1] == []
    assert write_skeleton(target, by_article, existing=cm) == 0


def test_atomic_write_keeps_the_mode_of_an_existing_map(tmp_path: Path) -> None:
    target = tmp_path / "claims.toml"
    target.write_text("version = 1\n", encoding="utf-8")
    target.chmod(0o640)
    assert write_skeleton(target, {str(WHY): CLAIMS[:1]}) == 1
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "new.toml"
    write_skeleton(fresh, {str(WHY): CLAIMS[:1]})
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask   # not mkstemp's 0600


# ----------------------------------------------------- support, links and parts (issue 12)

SUPPORT_MAP = '''version = 1

[[claims]]
quote = "Ketamine acts by interacting with glutamate"
keys = ["ZanosGould2018"]

[[claims]]
quote = "Ketamine therapy has shown promise in the treatment of various mental health conditions"
keys = ["McGirr2015"]
support = "partial"
note = "depression only"
links = [{ key = "Zheng2018", support = "contradicts", note = "made-up for the test", checked = true }]

[[claims.parts]]
text = "post-traumatic stress disorder"
keys = ["Feder2014"]

[[claims.parts]]
text = "bipolar depression"
required = false
[[claims.parts.links]]
key = "Zheng2018"
support = "partial"

[[claims.parts]]
text = "major depressive disorder"

[[claims]]
quote = "Glutamate is involved in regulating brain function"
keys = []
'''


def test_support_links_and_parts_are_read_and_old_entries_mean_full_support(tmp_path: Path) -> None:
    cm = map_for(tmp_path, SUPPORT_MAP)
    old, compound, empty = cm.entries
    assert [(l.key, l.support) for l in old.links] == [("ZanosGould2018", "full")]
    assert [(l.key, l.support, l.note) for l in compound.links] == [
        ("McGirr2015", "partial", "depression only"), ("Zheng2018", "contradicts", "made-up for the test")]
    assert compound.links[1].extra == {"checked": True}
    assert [(p.text, p.required, [(l.key, l.support) for l in p.links]) for p in compound.parts] == [
        ("post-traumatic stress disorder", True, [("Feder2014", "full")]),
        ("bipolar depression", False, [("Zheng2018", "partial")]),
        ("major depressive disorder", True, []),
    ]
    assert compound.all_keys == ("McGirr2015", "Zheng2018", "Feder2014")
    assert [e.line for e in cm.entries] == [3, 7, 28]  # nested [[claims.parts]] are not entries
    assert empty.links == () and empty.parts == ()


def test_map_links_carry_support_note_part_and_the_required_parts(tmp_path: Path) -> None:
    links, problems = links_of(map_for(tmp_path, SUPPORT_MAP))
    assert problems == []
    c3 = [(l.key, l.support, l.part) for l in links if l.claim_id == "c3"]
    assert c3 == [("McGirr2015", "partial", ""), ("Zheng2018", "contradicts", ""),
                  ("Feder2014", "full", "post-traumatic stress disorder"),
                  ("Zheng2018", "partial", "bipolar depression")]
    feder = next(l for l in links if l.key == "Feder2014")
    assert feder.parts == ("post-traumatic stress disorder", "major depressive disorder")
    mcgirr = next(l for l in links if l.key == "McGirr2015")
    assert mcgirr.note == "depression only"
    assert "partial support; depression only" in mcgirr.reason
    assert "part 'post-traumatic stress disorder'" in feder.reason
    plain = next(l for l in links if l.key == "ZanosGould2018")
    assert (plain.support, plain.part, plain.parts) == ("full", "", ())


@pytest.mark.parametrize("body,message", [
    ('[[claims]]\nquote = "ketamine"\nsupport = "weak"\n',
     "claims.toml:1: 'support' must be one of full, partial, contradicts, not 'weak'"),
    ('[[claims]]\nquote = "ketamine"\nlinks = ["A"]\n',
     "claims.toml:1: 'links' must be an array of tables ([[claims.links]] or links = [{...}])"),
    ('[[claims]]\nquote = "ketamine"\n[[claims.links]]\nsupport = "full"\n',
     "claims.toml:1: links[0]: a link needs a 'key' string"),
    ('[[claims]]\nquote = "ketamine"\n[[claims.parts]]\nkeys = ["A"]\n',
     "claims.toml:1: parts[0]: a part needs a 'text' string naming it"),
    ('[[claims]]\nquote = "ketamine"\n[[claims.parts]]\ntext = "x"\nrequired = "yes"\n',
     "claims.toml:1: parts[0]: 'required' must be true or false, not str"),
    ('[[claims]]\nquote = "ketamine"\n[[claims.parts]]\ntext = "x"\n[[claims.parts.links]]\n'
     'key = "A"\nsupport = 1\n',
     "claims.toml:1: parts[0]: links[0]: 'support' must be one of full, partial, contradicts, not a number"),
    ('[[claims]]\nquote = "ketamine"\n[[claims.parts]]\ntext = "x"\nkeys = ["two words"]\n',
     "claims.toml:1: parts[0]: invalid bibliography key 'two words' in 'keys'"),
])
def test_bad_support_fields_name_their_place(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ClaimMapError) as err:
        map_for(tmp_path, body)
    assert str(err.value).endswith(message)


def test_skeleton_appends_after_a_map_with_parts(tmp_path: Path) -> None:
    path = tmp_path / "claims.toml"
    path.write_text(SUPPORT_MAP, encoding="utf-8")
    before = path.read_bytes()
    added = write_skeleton(path, {str(WHY): CLAIMS})
    assert added == len(CLAIMS) - 3  # the three quoted claims are covered, parts and all
    assert path.read_bytes().startswith(before)
    cm = load_claim_map(path)
    assert len(cm.entries[1].parts) == 3 and len(cm.entries) == 3 + added
