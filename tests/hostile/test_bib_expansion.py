"""Issue 9, item 4: @string and `#` expansion is capped, and the work stays linear.

Before the cap, the 24-level doubling chain below (a file of about 600 bytes) loaded
as an entry with a 33,554,432-character title, and 30 levels ran past 30 s. Every
test here failed then: no finding was made and every value was kept whole.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import evgrade.bib.parse as bibparse
from evgrade.bib import load_bibliography

CODE = "EV306"


def doubling_chain(levels: int) -> str:
    """The file of the issue: a0 = "xx", then a(N+1) = aN # aN, and an entry using the last."""
    lines = ['@string{a0="xx"}']
    lines += [f"@string{{a{i + 1} = a{i} # a{i}}}" for i in range(levels)]
    lines.append(f"@article{{doubled, title = a{levels}, year = 2020}}")
    lines.append("@article{plain, title = {An ordinary entry}, year = 2021}")
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str, name: str = "hostile.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def budget(text: str) -> int:
    """What macros may add to one file's values (docs/bibliography.md)."""
    return bibparse.MAX_VALUE_CHARS + bibparse.EXPANSION_FACTOR * len(text)


def longest_value(bib) -> int:
    return max((len(v) for ref in bib.entries.values() for v in ref.fields.values()), default=0)


def test_the_doubling_chain_from_the_issue_is_cut_at_one_string(tmp_path: Path) -> None:
    text = doubling_chain(24)
    assert len(text.encode()) < 700
    bib = load_bibliography(write(tmp_path, text))
    assert longest_value(bib) <= bibparse.MAX_VALUE_CHARS
    # the rest of the file loads: both entries, the ordinary one whole
    assert set(bib.entries) == {"doubled", "plain"}
    assert bib.get("plain").title == "An ordinary entry"
    assert bib.get("doubled").year == "2020"
    assert "title" not in bib.get("doubled").fields
    # one finding, at the @string that went over; the ones built on it are empty, not reported
    found = [f for f in bib.findings if f.code == CODE]
    assert len(found) == 1
    name = re.search(r"@string '(a\d+)'", found[0].message).group(1)
    lines = text.splitlines()
    assert lines[found[0].line - 1].startswith(f"@string{{{name} =")
    assert found[0].path == str(tmp_path / "hostile.bib")


def test_thirty_levels_cost_no_more_than_twenty_four(tmp_path: Path) -> None:
    # once one @string is dropped the chain above it is empty: no level costs anything
    bib = load_bibliography(write(tmp_path, doubling_chain(30)))
    assert longest_value(bib) <= bibparse.MAX_VALUE_CHARS
    assert len([f for f in bib.findings if f.code == CODE]) == 1


def test_a_field_over_the_cap_is_dropped_and_the_entry_kept(tmp_path: Path) -> None:
    half = bibparse.MAX_VALUE_CHARS // 2 + 1
    text = (f'@string{{half = "{"x" * half}"}}\n'
            "@article{big,\n  author = {Smith, Ann},\n  title = half # half,\n  year = 2020,\n}\n"
            "@article{after, title = {Still here}}\n")
    bib = load_bibliography(write(tmp_path, text))
    big = bib.get("big")
    assert big is not None and "title" not in big.fields
    assert big.year == "2020" and big.authors == ("Smith, Ann",)
    assert bib.get("after").title == "Still here"
    [finding] = [f for f in bib.findings if f.code == CODE]
    assert finding.key == "big" and finding.line == 2
    assert "'title'" in finding.message and "'big'" in finding.message


def test_a_repeated_field_keeps_the_first_even_when_it_was_dropped(tmp_path: Path) -> None:
    half = bibparse.MAX_VALUE_CHARS // 2 + 1
    text = (f'@string{{half = "{"y" * half}"}}\n'
            "@article{twice, title = half # half, title = {Second title}}\n")
    bib = load_bibliography(write(tmp_path, text))
    assert "title" not in bib.get("twice").fields


def test_a_value_at_the_cap_is_kept_whole(tmp_path: Path) -> None:
    size = bibparse.MAX_VALUE_CHARS
    text = f"@article{{full, title = {{{'z' * size}}}}}\n"
    bib = load_bibliography(write(tmp_path, text))
    assert len(bib.get("full").title) == size
    assert not [f for f in bib.findings if f.code == CODE]


def test_many_entries_sharing_a_big_macro_stop_at_the_file_budget(tmp_path: Path) -> None:
    # each value is under the cap, but 200 copies of it would be 20 million characters
    macro = "w" * 100_000
    entries = "".join(f"@misc{{e{i}, title = big, year = 2000}}\n" for i in range(200))
    text = f'@string{{big = "{macro}"}}\n' + entries
    bib = load_bibliography(write(tmp_path, text))
    assert len(bib) == 200  # every entry loads
    titled = [k for k, ref in bib.entries.items() if "title" in ref.fields]
    dropped = [f.key for f in bib.findings if f.code == CODE]
    assert titled and dropped
    assert sorted(titled + dropped) == sorted(bib.entries)
    assert sum(len(bib.get(k).title) for k in titled) <= budget(text)
    # the budget runs out in file order: the first entries keep their title
    assert titled == [f"e{i}" for i in range(len(titled))]


def test_crossref_children_cannot_multiply_a_big_parent(tmp_path: Path) -> None:
    parent = "@book{parent, title = {" + "v" * 900_000 + "}, year = 1999}\n"
    children = "".join(f"@inbook{{c{i}, crossref = {{parent}}, pages = {i}}}\n" for i in range(60))
    text = parent + children
    bib = load_bibliography(write(tmp_path, text))
    assert len(bib) == 61
    inherited = sum(len(v) for k, ref in bib.entries.items() if k != "parent"
                    for name, v in ref.fields.items() if name != "pages")
    assert inherited <= budget(text)
    dropped = {f.key for f in bib.findings if f.code == CODE}
    assert dropped and all(bib.get(k).year == "1999" for k in dropped)  # the small fields still come


def test_findings_survive_the_cache(tmp_path: Path) -> None:
    path = write(tmp_path, doubling_chain(24))
    cold = load_bibliography(path, cache_dir=tmp_path / "cache")
    warm = load_bibliography(path, cache_dir=tmp_path / "cache")
    assert [f for f in cold.findings if f.code == CODE]
    assert warm.findings == cold.findings
    assert warm.entries == cold.entries


def test_macros_carried_to_the_next_file_stay_capped(tmp_path: Path) -> None:
    first = write(tmp_path, doubling_chain(24), "abbrev.bib")
    second = write(tmp_path, "@article{later, title = a24 # a23, year = 2022}\n", "refs.bib")
    bib = load_bibliography([first, second])
    assert bib.get("later").year == "2022"
    assert longest_value(bib) <= bibparse.MAX_VALUE_CHARS


@pytest.mark.parametrize("keys", [None, ["doubled"]])
def test_keys_subset_reports_the_string_too(tmp_path: Path, keys) -> None:
    bib = load_bibliography(write(tmp_path, doubling_chain(24)), keys=keys)
    assert [f for f in bib.findings if f.code == CODE]
