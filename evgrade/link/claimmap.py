"""Claim maps: TOML files that link claims of uncited articles to bibliography keys.

A map entry names a claim by QUOTING it, not by id or offset, so the map
survives small edits of the article. The format, the matching rules and the
thresholds are documented in docs/claim-map.md; keep the two in step.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from .. import _findings as findings
from .._atomic import write_atomic
from ..errors import ClaimMapError
from ..models import Claim, Finding, Link

FORMAT_VERSION = 1
# A quote that is not contained in any claim still matches a claim when
# rapidfuzz's partial_ratio (best-aligned substring, 0..100) reaches this.
FUZZY_THRESHOLD = 90.0
# Shorter quotes only match exactly: partial_ratio of a few words against a
# long sentence finds a near-copy somewhere far too easily.
FUZZY_MIN_LENGTH = 20

_KNOWN_FIELDS = frozenset({"article", "quote", "keys", "note"})


class MapEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    quote: str
    article: str = ""          # "" = any article given to map_links
    keys: tuple[str, ...] = ()
    note: str = ""
    line: int | None = None    # line of the entry's [[claims]] header in the map file
    extra: dict[str, Any] = Field(default_factory=dict)  # fields evgrade does not know, kept


class ClaimMap(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = ""
    version: int = FORMAT_VERSION
    entries: tuple[MapEntry, ...] = ()

    @property
    def folder(self) -> Path:
        return Path(self.path).parent if self.path else Path(".")


# ----------------------------------------------------------------- normalise

# Apostrophes are deleted, not spaced ("brain's" = "brains"); other quotes
# and punctuation become spaces.
_FOLD = str.maketrans({
    "'": None, "\u2018": None, "\u2019": None, "\u201a": None, "\u201b": None, "\u2032": None,
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u00ad": None,  # soft hyphen: invisible, drop it
})
_NOT_WORD = re.compile(r"[\W_]+")


def normalize_quote(text: str) -> str:
    """The form quotes and claims are compared in: words only, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _NOT_WORD.sub(" ", text).strip()


# -------------------------------------------------------------------- load

_HEADER = re.compile(r"[ \t]*\[\[[ \t]*(?:claims|\"claims\"|'claims')[ \t]*\]\]")
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")


def _header_lines(text: str) -> list[int]:
    """1-based lines of the ``[[claims]]`` headers, skipping multi-line strings.

    tomllib keeps no positions, so the map's text is scanned: a line that
    opens with ``[[claims]]`` outside a string is a header.
    """
    lines: list[int] = []
    in_ml: str | None = None          # '"""' or "'''" while inside a multi-line string
    for number, line in enumerate(text.splitlines(), start=1):
        i = 0
        if in_ml is None and _HEADER.match(line):
            lines.append(number)
        while i < len(line):
            if in_ml is not None:
                end = line.find(in_ml, i)
                while in_ml == '"""' and end > 0 and _escaped(line, end):
                    end = line.find(in_ml, end + 1)
                if end < 0:
                    break
                i = end + 3
                in_ml = None
                continue
            ch = line[i]
            if ch == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                in_ml = line[i:i + 3]
                i += 3
                continue
            if ch in "\"'":
                j = i + 1
                while j < len(line) and not (line[j] == ch and (ch == "'" or not _escaped(line, j))):
                    j += 1
                i = j + 1
                continue
            i += 1
    return lines


def _escaped(line: str, i: int) -> bool:
    n = 0
    while i - n - 1 >= 0 and line[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _decode_error(exc: tomllib.TOMLDecodeError, text: str, path: str) -> ClaimMapError:
    msg = str(exc)
    m = _TOML_POS.search(msg)
    if m:
        return ClaimMapError(f"invalid TOML: {msg[:m.start()]}", path=path,
                             line=int(m.group(1)), col=int(m.group(2)))
    m = _TOML_END.search(msg)
    if m:
        lines = text.splitlines() or [""]
        return ClaimMapError(f"invalid TOML: {msg[:m.start()]} at end of file", path=path,
                             line=len(lines), col=len(lines[-1]) + 1)
    return ClaimMapError(f"invalid TOML: {msg}", path=path)


def parse_claim_map(text: str, *, path: str = "") -> ClaimMap:
    """Validate the text of a claim map; errors are ClaimMapError with a line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _decode_error(exc, text, path) from None

    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ClaimMapError("'version' must be an integer", path=path)
    if version != FORMAT_VERSION:
        raise ClaimMapError(f"unsupported claim-map version {version} "
                            f"(this evgrade reads version {FORMAT_VERSION})", path=path)
    raw = data.get("claims", [])
    if isinstance(raw, dict):
        raise ClaimMapError("'claims' must be an array of tables: write [[claims]], not [claims]",
                            path=path)
    if not isinstance(raw, list):
        raise ClaimMapError("'claims' must be an array of tables ([[claims]])", path=path)
    headers = _header_lines(text)
    if len(headers) != len(raw):
        # inline `claims = [...]`: all entries share the line of the key
        m = re.search(r"(?m)^[ \t]*claims[ \t]*=", text)
        at = text.count("\n", 0, m.start()) + 1 if m else None
        headers = [at] * len(raw)  # type: ignore[list-item]

    entries = [_entry(item, line, path) for item, line in zip(raw, headers)]
    return ClaimMap(path=path, version=version, entries=tuple(entries))


def _entry(item: object, line: int | None, path: str) -> MapEntry:
    def fail(message: str) -> ClaimMapError:
        return ClaimMapError(message, path=path, line=line)

    if not isinstance(item, dict):
        raise fail("each [[claims]] entry must be a table")
    quote = item.get("quote")
    if quote is None:
        raise fail("claim-map entry has no 'quote'")
    if not isinstance(quote, str):
        raise fail(f"'quote' must be a string, not {_toml_type(quote)}")
    if not normalize_quote(quote):
        raise fail("'quote' is empty (it must contain words of the claim)")
    article = item.get("article", "")
    if not isinstance(article, str):
        raise fail(f"'article' must be a string, not {_toml_type(article)}")
    keys = item.get("keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise fail('\'keys\' must be an array of strings, e.g. keys = ["Smith2020"]')
    for k in keys:
        if not k.strip() or any(c.isspace() for c in k):
            raise fail(f"invalid bibliography key {k!r} in 'keys'")
    note = item.get("note", "")
    if not isinstance(note, str):
        raise fail(f"'note' must be a string, not {_toml_type(note)}")
    extra = {k: v for k, v in item.items() if k not in _KNOWN_FIELDS}
    return MapEntry(quote=quote, article=article, keys=tuple(keys), note=note,
                    line=line, extra=extra)


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ClaimMapError("claim map not found", path=str(path)) from None
    except OSError as exc:
        raise ClaimMapError(f"cannot read claim map: {exc.strerror or exc}", path=str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ClaimMapError("claim map is not valid UTF-8", path=str(path),
                            line=line, col=col) from None


def load_claim_map(path: str | os.PathLike[str]) -> ClaimMap:
    p = Path(path)
    return parse_claim_map(_read_text(p), path=str(path))


# ------------------------------------------------------------------ match

def _article_matches(entry_article: str, claim_article: str, folder: Path) -> bool:
    if not entry_article:
        return True
    entry_path = Path(entry_article)
    if "/" not in entry_article and "\\" not in entry_article:
        # a bare file name names any article with that name
        return Path(claim_article).name == entry_path.name
    candidate = entry_path if entry_path.is_absolute() else folder / entry_path
    return os.path.normpath(os.path.abspath(candidate)) == \
        os.path.normpath(os.path.abspath(claim_article))


def match_quote(quote: str, claims: Sequence[Claim],
                normalized: Mapping[str, str] | None = None) -> list[tuple[Claim, float | None]]:
    """Claims a quote names: every claim containing it, else the best fuzzy one.

    Exact matches carry score None; a fuzzy match carries its score in [0, 1].
    """
    q = normalize_quote(quote)
    if not q:
        return []
    norm = normalized or {}

    def text_of(c: Claim) -> str:
        return norm.get(c.id) or normalize_quote(c.text)

    padded = f" {q} "
    exact: list[tuple[Claim, float | None]] = [
        (c, None) for c in claims if padded in f" {text_of(c)} "]
    if exact or len(q) < FUZZY_MIN_LENGTH:
        return exact
    best: tuple[Claim, float] | None = None
    for c in claims:
        t = text_of(c)
        # a quote longer than the claim (a sentence the extractor now splits)
        # is compared whole, so a short claim cannot hide inside it
        scorer = fuzz.partial_ratio if len(q) <= len(t) else fuzz.ratio
        score = scorer(q, t, score_cutoff=FUZZY_THRESHOLD)
        if score and (best is None or score > best[1]):
            best = (c, score)
    return [(best[0], round(best[1] / 100, 3))] if best else []


def map_links(claims: Sequence[Claim], claim_map: ClaimMap, *, map_path: str = "",
              articles: Iterable[str] | None = None) -> tuple[list[Link], list[Finding]]:
    """Links (via="map") from a claim map, and EV304 for entries that match nothing.

    ``articles`` are the documents that were read (default: those of ``claims``);
    entries for other articles are neither matched nor reported stale, so one
    map can serve a whole folder while evgrade grades a single article.
    """
    shown = map_path or claim_map.path
    folder = Path(claim_map.path).parent if claim_map.path else (
        Path(map_path).parent if map_path else Path("."))
    read = list(dict.fromkeys(articles if articles is not None else (c.article for c in claims)))
    by_article: dict[str, list[Claim]] = {}
    for c in claims:
        by_article.setdefault(c.article, []).append(c)
    normalized = {c.id: normalize_quote(c.text) for c in claims}
    # entries x claims would resolve paths millions of times; entries name few articles
    pools: dict[str, list[Claim] | None] = {}
    links: list[Link] = []
    problems: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for entry in claim_map.entries:
        if entry.article not in pools:
            if any(_article_matches(entry.article, a, folder) for a in read):
                pools[entry.article] = [c for a, cs in by_article.items()
                                        if _article_matches(entry.article, a, folder) for c in cs]
            else:
                pools[entry.article] = None
        pool = pools[entry.article]
        if pool is None:
            continue
        matched = match_quote(entry.quote, pool, normalized)
        if not matched:
            where = entry.article or "any article"
            problems.append(findings.make(
                "EV304", f"claim-map quote matches no claim in {where}: \"{_short(entry.quote)}\"",
                path=shown, line=entry.line, key=",".join(entry.keys)))
            continue
        for claim, score in matched:
            for key in entry.keys:
                if (claim.id, key) in seen:
                    continue
                seen.add((claim.id, key))
                reason = f"claim map {Path(shown).name or 'map'}"
                if entry.line is not None:
                    reason += f":{entry.line}"
                if score is not None:
                    reason += f" (fuzzy quote match {score:.2f})"
                if entry.note:
                    reason += f"; {entry.note}"
                links.append(Link(claim_id=claim.id, key=key, via="map", score=score,
                                  reason=reason))
    return links, problems


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


# --------------------------------------------------------------- skeleton

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n",
            "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """A TOML basic string for any text; non-ASCII stays as UTF-8."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\uFFFD")  # a lone surrogate cannot be written as UTF-8 or TOML
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _entry_text(claim: Claim, article: str) -> str:
    return (f"[[claims]]\n"
            f"# {claim.kind} claim, line {claim.span.line}:{claim.span.col}\n"
            f"article = {toml_string(article)}\n"
            f"quote = {toml_string(claim.text)}\n"
            f"keys = []\n")


_NEW_HEADER = (
    "# evgrade claim map: links claims of articles to bibliography keys by quoting them.\n"
    "# Put the keys of the supporting entries in keys = [...]; see docs/claim-map.md.\n"
    f"version = {FORMAT_VERSION}\n"
)


def _article_label(article: str, folder: Path) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(article), os.path.abspath(folder))
    except ValueError:  # another drive on Windows
        return Path(article).as_posix()
    return Path(rel).as_posix()


def _new_blocks(claims_by_article: Mapping[str, Sequence[Claim]], folder: Path,
                entries: Sequence[MapEntry]) -> list[str]:
    """Entry texts for the claims no entry covers yet, in article and claim order."""
    blocks: list[str] = []
    for article, claims in claims_by_article.items():
        label = _article_label(article, folder)
        covered: set[str] = set()
        for entry in entries:
            if _article_matches(entry.article, article, folder):
                covered.update(c.id for c, _ in match_quote(entry.quote, claims))
        for claim in claims:
            if claim.id in covered:
                continue
            blocks.append(_entry_text(claim, label))
            # identical sentences later in the article are covered by this quote
            covered.update(c.id for c, _ in match_quote(claim.text, claims))
    return blocks


def skeleton_text(claims_by_article: Mapping[str, Sequence[Claim]], *,
                  folder: str | os.PathLike[str] = ".") -> str:
    """A new claim map listing every claim; article paths relative to ``folder``."""
    blocks = _new_blocks(claims_by_article, Path(folder), ())
    return _NEW_HEADER + ("\n" if blocks else "") + "\n".join(blocks)


def write_skeleton(map_path: str | os.PathLike[str],
                   claims_by_article: Mapping[str, Sequence[Claim]], *,
                   existing: ClaimMap | None = None) -> int:
    """Add an entry (keys = []) for every claim no map entry covers yet; return how many.

    A new map gets a header; an existing one is never rewritten: its bytes are
    kept as they are and the new entries are appended. The file is replaced
    atomically, and only after the result has been checked to parse.
    """
    target = Path(map_path)
    original = b""
    if target.exists():
        text = _read_text(target)
        original = target.read_bytes()
        if existing is None:
            existing = parse_claim_map(text, path=str(map_path))
        if existing.entries and not _header_lines(text):
            raise ClaimMapError("cannot append to a claim map written as an inline array; "
                                "rewrite it with [[claims]] tables", path=str(map_path))
    blocks = _new_blocks(claims_by_article, target.parent, existing.entries if existing else ())
    if original and not blocks:
        return 0
    if original:
        newline = "\r\n" if b"\r\n" in original else "\n"
        sep = b"" if original.endswith(b"\n") else newline.encode()
        body = "\n".join(blocks).replace("\n", newline)
        data = original + sep + newline.encode() + body.encode("utf-8")
    else:
        data = (_NEW_HEADER + ("\n" if blocks else "") + "\n".join(blocks)).encode("utf-8")
    try:
        parse_claim_map(data.decode("utf-8-sig"), path=str(map_path))
    except ClaimMapError as exc:
        raise ClaimMapError(f"cannot append to the claim map without breaking it ({exc.message})",
                            path=str(map_path), line=exc.line, col=exc.col) from None
    write_atomic(target, data)
    return len(blocks)
