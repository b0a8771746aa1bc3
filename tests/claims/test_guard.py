"""The pre-tests of evgrade.claims._guard never skip a text their pattern matches.

Run as a script, it rewrites evgrade/claims/_needles.py from the patterns' parse trees.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from evgrade._pretest import folds_onto_ascii
from evgrade.claims import _guard, _leads, attribution, cues, exclusions, kinds
from evgrade.claims._needles import NEEDLES
from evgrade.claims.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[2]
MODULES = (_leads, attribution, cues, exclusions, kinds)


def _guards() -> dict[str, _guard.Guarded]:
    out: dict[str, _guard.Guarded] = {}
    for module in MODULES:
        for name, value in vars(module).items():
            fields = value._asdict().items() if isinstance(value, tuple) and hasattr(value, "_asdict") else ()
            for label, item in [(name, value)] + [(f"{name}.{f}", v) for f, v in fields]:
                if isinstance(item, _guard.Guarded) and all(item is not g for g in out.values()):
                    out[f"{module.__name__}.{label}"] = item
    return out


def _texts() -> list[str]:
    """Every gold and held-out unit, every sentence evgrade finds in those texts, and the
    pieces of each between commas (the rules also search parts of a sentence)."""
    texts: list[str] = []
    for gold in sorted(ROOT.glob("tests/gold/*.jsonl")) + sorted(ROOT.glob("tests/heldout*/gold/*.jsonl")):
        texts += [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    for article in sorted(ROOT.glob("articles/*.txt")) + sorted(ROOT.glob("tests/heldout*/texts/*.txt")):
        text = article.read_text(encoding="utf-8")
        texts += [text[s:e] for s, e in split_sentences(text)]
    texts += [piece for t in list(texts) for piece in t.split(",")]
    return list(dict.fromkeys(texts))


def test_some_patterns_are_guarded() -> None:
    assert len(_guards()) >= 20


@pytest.mark.parametrize("name", sorted(_guards()))
def test_guard_never_skips_a_match(name: str) -> None:
    guard = _guards()[name]
    texts = _texts()
    missed = [t for t in texts if guard.pattern.search(t) and not guard.may_match(t)]
    assert missed == []
    # the guard is a pre-test, not a no-op: it rules out some of the texts
    assert any(not guard.may_match(t) for t in texts)


def test_guarded_methods_give_the_pattern_answers() -> None:
    texts = _texts()[:400]
    for guard in _guards().values():
        p = guard.pattern
        for t in texts:
            assert [m.span() for m in guard.finditer(t)] == [m.span() for m in p.finditer(t)]
            assert guard.sub(" ", t) == p.sub(" ", t)
            assert guard.split(t) == p.split(t)
            assert guard.findall(t) == p.findall(t)
            assert bool(guard.match(t)) == bool(p.match(t))


def test_table_matches_the_parse() -> None:
    """evgrade/claims/_needles.py is up to date (else: python tests/claims/test_guard.py)."""
    expected = {_guard.key(g.pattern): _guard.needles(g.pattern) for g in _guards().values()}
    assert NEEDLES == expected


@pytest.mark.parametrize(("pattern", "needs"), [
    (r"\bfoo\s+barley\b", ("barley",)),                 # the longest literal run wins...
    (r"\b(?:alpha|beta)\s+go", ("alpha", "beta")),      # ...or the branch whose shortest is longer
    (r"a(?:bc|de)f", ("abcf", "adef")),                 # a run goes on into the branches
    (r"x(?:yz)?w", ("x",)),                             # an optional part ends the run
    (r"(?:foo|\w+)bar", ("bar",)),                      # a branch without a literal rules nothing out
    (r"[ab]c", ("c",)),
    (r"\d+", None),
    (r"(?i:Journal)\s+of", ("journal",)),               # in lower case
])
def test_needles(pattern: str, needs: tuple[str, ...] | None) -> None:
    assert _guard.needles(re.compile(pattern)) == needs


def test_only_four_non_ascii_characters_fold_onto_ascii_letters() -> None:
    letter = re.compile(r"[a-z]", re.IGNORECASE)
    odd = [chr(c) for c in range(128, sys.maxunicode + 1) if letter.fullmatch(chr(c))]
    assert odd == ["\u0130", "\u0131", "\u017f", "\u212a"]
    assert all(folds_onto_ascii(c) for c in odd)
    guard = _guards()["evgrade.claims.attribution._VAGUE"]
    assert guard.may_match("\u212aSTUDIES SHOW")   # a Kelvin sign: searched, whatever the words


def test_clean_text_shortcut_gives_the_substitutions_answer() -> None:
    """clean_text skips its two substitutions when they cannot change the text."""
    from evgrade.claims.sentences import _SPACE, _SPACE_BEFORE_PUNCT, clean_text

    odd = ["a  b .", "a\tb", "x\u00a0.", "x \u2003;", "\x1cy .", " (a )", "a , b", "a\n\nb ]", "  .x", "caf\u00e9  ?"]
    for raw in [t for t in _texts() if "&" not in t] + odd:   # (an entity is decoded first)
        assert clean_text(raw) == _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACE.sub(" ", raw)).strip()


def _write_table() -> None:
    lines = ['"""Generated by tests/claims/test_guard.py (run it as a script): see :mod:`._guard`."""', "",
             "NEEDLES: dict[str, tuple[str, ...]] = {"]
    for name, g in sorted(_guards().items()):
        needs = _guard.needles(g.pattern)
        lines.append(f"    # {name}")
        rows = [""]
        for n in needs or ():
            item = json.dumps(n) + ","
            if rows[-1] and len(rows[-1]) + 1 + len(item) > 100:
                rows.append("")
            rows[-1] = f"{rows[-1]} {item}".lstrip()
        lines += [f"    {json.dumps(_guard.key(g.pattern))}: ("] + [f"        {r}" for r in rows] + ["    ),"]
    lines.append("}")
    (ROOT / "evgrade" / "claims" / "_needles.py").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _write_table()
