"""Claim-map skeletons: an entry with empty keys for every claim no entry covers yet.

``evgrade map`` writes them. A new map gets a header; an existing map is never
rewritten, only appended to (docs/claim-map.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from .._atomic import write_atomic
from ..errors import ClaimMapError
from ..models import Claim
from .claimmap import FORMAT_VERSION, ClaimMap, MapEntry, _read_text, header_lines, parse_claim_map
from .mapmatch import article_matches, match_quote

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
            if article_matches(entry.article, article, folder):
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
        if existing.entries and not header_lines(text):
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
