"""The cited-keys fast path (``load_bibliography(keys=...)``, and ``evgrade check`` through it)
reports the same findings and builds the same references for the keys it is asked for as a
full parse, on the real exports in ../shared/fixtures/bibtex (bbt-import: MIT; iridia: CC0,
its @string macros in separate files and crossref parents in crossref.bib; see each
SOURCE.txt) and on hand-made edge cases."""

from __future__ import annotations

import functools
import random
from collections.abc import Collection, Sequence
from pathlib import Path

import pytest

import evgrade.bib.parse as bibparse
import evgrade.bib.split as bibsplit
from evgrade import pipeline
from evgrade.bib.load import Bibliography, load_bibliography
from evgrade.models import Finding

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BBT = SHARED / "fixtures" / "bibtex" / "bbt-import"
IRIDIA = SHARED / "fixtures" / "bibtex" / "iridia"
IRIDIA_SET = tuple(IRIDIA / n for n in ("abbrev.bib", "journals.bib", "authors.bib",
                                        "crossref.bib", "biblio.bib", "articles.bib"))
# every export with a problem (broken, duplicate, undefined macro) or a crossref, and the
# largest ones; the others are all plain and load the same way
GROUPS = [(BBT / n,) for n in (
    "Unabbreviate on import #1436-3.bib", "EXPORT_Bulk performance test.bib",
    "Some bibtex entries quietly discarded on import from bib file #873.bib",
    "web_page and other mendeley idiocy.bib", "Unabbreviate on import #1436-2.bib",
    "Crossrefd incollection items are missing date on import #3514.bib",
    "Child items that use the crossref field do not have their parent fields imported #2373.bib",
    "Import fails to perform @String substitutions #154.bib",
    "Maintain the JabRef group and subgroup structure when importing a BibTeX db #97.bib",
)] + [IRIDIA_SET]


@functools.cache
def full(group: tuple[Path, ...]) -> Bibliography:
    return load_bibliography(group)


def folded(keys: Collection[str]) -> set[str]:
    return {k.casefold() for k in keys}


def about(found: Sequence[Finding], keys: Collection[str]) -> list[Finding]:
    wanted = folded(keys)
    return [f for f in found if f.key and f.key.casefold() in wanted]


def assert_same_for(keys: Collection[str], fast: Bibliography, whole: Bibliography) -> None:
    for key in keys:
        assert fast.entries.get(key) == whole.entries.get(key), key
    assert set(fast.entries) <= set(whole.entries)
    assert about(fast.findings, keys) == about(whole.findings, keys)
    assert all(f in whole.findings for f in fast.findings)  # nothing made up


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g[0].name[:50] if len(g) == 1 else "iridia")
def test_the_fast_path_matches_a_full_parse_on_real_libraries(group: tuple[Path, ...]) -> None:
    whole = full(group)
    keys = sorted(whole.entries)
    chosen = set(random.Random(16).sample(keys, min(len(keys), 60)))
    chosen |= {f.key for f in whole.findings if f.key}   # every key with a problem
    chosen |= {k for k, ref in whole.entries.items() if "crossref" in ref.fields}
    fast = load_bibliography(group, keys=chosen)
    assert_same_for(chosen, fast, whole)
    # the other entries' problems are not reported (apart from broken @strings, which any
    # entry may need)
    assert len(fast.findings) <= len(whole.findings)


def test_iridia_children_get_their_parents_and_the_macros_of_other_files() -> None:
    whole = full(IRIDIA_SET)
    children = [k for k, ref in whole.entries.items() if "crossref" in ref.fields][:40]
    fast = load_bibliography(IRIDIA_SET, keys=children)
    assert_same_for(children, fast, whole)
    parents = {whole.entries[k].fields["crossref"].casefold() for k in children}
    assert parents <= folded(fast.entries)
    # the parents' venues come through macros defined in abbrev.bib
    assert all(fast.entries[k].venue for k in children)


def test_only_the_wanted_blocks_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    group = (BBT / "Unabbreviate on import #1436-3.bib",)
    wanted = sorted(full(group).entries)[::150]
    calls: list[str | None] = []
    real = bibparse.parse_entry_block
    monkeypatch.setattr(bibparse, "parse_entry_block",
                        lambda block, *rest: calls.append(block.key) or real(block, *rest))
    load_bibliography(group, keys=wanted)
    # and the blocks of every key defined twice (16 keys that differ in case only, here)
    twice = {k.casefold() for k in full(group).entries} & {f.key.casefold() for f in full(group).findings
                                                           if f.name == "duplicate-entry"}
    assert len(twice) == 16
    assert sorted(k for k in calls if k is not None and k.casefold() not in twice) == sorted(
        k for k in wanted if k.casefold() not in twice)
    assert {k.casefold() for k in calls if k is not None} == {k.casefold() for k in wanted} | twice


# ------------------------------------------------------------------ hand-made edge cases

def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_child_whose_parent_is_later_in_another_file(tmp_path: Path) -> None:
    child = write(tmp_path, "child.bib", """
@string{parent = "proc2020"}
@inproceedings{talk, title = {A talk}, author = {Speaker, Sam}, crossref = {Proc2020}}
@inproceedings{viamacro, title = {Another talk}, crossref = parent}
@inproceedings{braced, title = {A third talk}, crossref = {{Proc2020}}}
""")
    parent = write(tmp_path, "parent.bib", """
@proceedings{proc2020, title = {Proceedings 2020}, crossref = {series}, year = 2020}
@book{series, title = {The Series}, publisher = {Hand-made Press}}
@book{unrelated, title = {Not asked for}, publisher = }
""")
    whole = load_bibliography([child, parent])
    for keys in (["talk"], ["viamacro"], ["braced"], ["TALK", "braced"]):
        fast = load_bibliography([child, parent], keys=keys)
        assert_same_for(keys, fast, whole)
        assert set(fast.entries) - set(keys) - {"talk"} == {"proc2020", "series"}
    fast = load_bibliography([child, parent], keys=["talk"])
    assert fast.entries["talk"].fields["publisher"] == "Hand-made Press"  # two levels up
    assert fast.entries["talk"].year == "2020"
    assert not fast.findings and whole.findings  # the broken 'unrelated' is not asked for


def test_a_duplicate_of_a_cited_key_is_reported(tmp_path: Path) -> None:
    one = write(tmp_path, "one.bib", "@article{smith2020, title = {First}}\n"
                                     "@article{other, title = {Other}}\n")
    two = write(tmp_path, "two.bib", "@article{Smith2020, title = {Second, other case}}\n"
                                     "@article{smith2020, title = {Third}}\n"
                                     "@article{other, title = {Other again}}\n")
    whole = load_bibliography([one, two])
    fast = load_bibliography([one, two], keys=["smith2020"])
    assert_same_for(["smith2020"], fast, whole)
    assert [f.name for f in fast.findings] == ["duplicate-entry"] * 3  # and 'other' is twice too
    assert fast.entries["smith2020"].title == "First"
    assert fast.findings == whole.findings


BROKEN_NEXT_DOOR = """@article{cited,
  title = {Cited, and fine},
  author = {Doe, Jane},
}
@article{neighbour,
  title = {A value that never closes,
  year = {2020},
}
@article{cited2,
  title = {Fine as well},
}
@article{lostkey = {x}, title = {The key is followed by '=': no key can be read}}
@article{, title = {No key at all}}
@article{after, title = {After the broken ones}}
"""


@pytest.mark.parametrize("keys, reported", [
    (["cited"], []),
    (["cited2", "after"], []),
    (["neighbour"], ["neighbour"]),
    (["lostkey"], [""]),            # a keyless block whose first line names the key
    (["cited", "LostKey"], [""]),
    (["nope"], []),                 # it could not be 'nope'
])
def test_a_broken_block_next_to_a_cited_one(tmp_path: Path, keys: list[str],
                                             reported: list[str]) -> None:
    path = write(tmp_path, "refs.bib", BROKEN_NEXT_DOOR)
    whole = load_bibliography([path])
    assert sorted(f.key for f in whole.findings) == ["", "", "neighbour"]
    fast = load_bibliography([path], keys=keys)
    assert_same_for(keys, fast, whole)
    assert [f.key for f in fast.findings] == reported
    assert all(f.name == "broken-entry" for f in fast.findings)
    assert set(fast.entries) == {k for k in keys if k in whole.entries}


def test_the_fast_path_through_the_cache_gives_the_same(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    group = IRIDIA_SET
    whole = full(group)
    keys = sorted(whole.entries)[::97]
    cache = tmp_path / "cache"
    cold = load_bibliography(group, keys=keys, cache_dir=cache)
    more = keys + sorted(whole.entries)[1::301]
    partly = load_bibliography(group, keys=more, cache_dir=cache)  # some rows parsed now
    assert_same_for(keys, cold, whole)
    assert_same_for(more, partly, whole)

    def no_split(*args: object) -> None:
        raise AssertionError("a warm run must not split the files")
    monkeypatch.setattr(bibsplit, "split_blocks", no_split)
    warm = load_bibliography(group, keys=more, cache_dir=cache)
    assert warm == partly
    monkeypatch.undo()
    # a full load of files the cache holds only in part parses them whole, and is then warm
    assert load_bibliography(group, cache_dir=cache) == whole
    monkeypatch.setattr(bibsplit, "split_blocks", no_split)
    assert load_bibliography(group, cache_dir=cache) == whole
    assert load_bibliography(group, keys=keys, cache_dir=cache) == cold


# ------------------------------------------------------------------ the pipeline

DRAFT = """---
title: A draft
---

Ketamine improved symptoms within a day in a small trial [@Berman2000].

A later crossover trial reported a rapid response [@Zarate2006; @nosuchkey].
"""


def spy(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = pipeline.load_bibliography

    def load(paths, *, keys=None, cache_dir=None):
        calls.append(None if keys is None else sorted(keys))
        return real(paths, keys=keys, cache_dir=cache_dir)
    monkeypatch.setattr(pipeline, "load_bibliography", load)
    return calls


def grade(tmp_path: Path, text: str, **options: object):
    draft = write(tmp_path, "draft.md", text)
    bib = SHARED / "reference-facts" / "ketamine-verified.bib"
    return pipeline.run([draft], pipeline.Options(bibliographies=(bib,), **options))


def test_check_loads_only_the_cited_keys_and_grades_the_same(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    whole = grade(tmp_path, DRAFT, unused=True)   # every entry loaded
    calls = spy(monkeypatch)
    fast = grade(tmp_path, DRAFT)
    assert calls == [["Berman2000", "Zarate2006", "nosuchkey"]]
    assert fast.articles == whole.articles
    assert set(fast.entries) == {"Berman2000", "Zarate2006", "nosuchkey"}
    assert all(fast.entries[k] == whole.entries[k] for k in fast.entries)
    assert all(f in whole.findings for f in fast.findings)
    assert [f.name for f in fast.findings if f.key == "nosuchkey"] == ["unknown-citation-key"]


@pytest.mark.parametrize("text, why", [
    (DRAFT.replace("in a small trial", "in a trial published in The Lancet"), "names a source"),
    (DRAFT.replace("@nosuchkey", "@doi:10.1176/appi.ajp.2013.13030392"), "identifier key"),
])
def test_every_entry_is_loaded_when_the_run_needs_them(tmp_path: Path, text: str, why: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    whole = grade(tmp_path, text, unused=True)
    calls = spy(monkeypatch)
    report = grade(tmp_path, text)
    assert calls[-1] is None, why
    assert report.articles == whole.articles
    calls.clear()
    report = grade(tmp_path, text, suggest=False)
    assert (calls[-1] is None) == (why == "identifier key")
    if why == "identifier key":  # the DOI is Murrough2013AJP's, found among every entry
        assert "Murrough2013AJP" in report.entries
