"""The PubMed records of ../shared/fixtures as entries with gold designs, read once per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from evgrade.evaluate.designs import PubmedRecord, corpus_files, read_records

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@cache
def records() -> tuple[PubmedRecord, ...]:
    """Every distinct PMID of pubmed-dev/ and the recorded efetch answers (~1 s to parse)."""
    return tuple(read_records(corpus_files(SHARED)))


@cache
def by_pmid() -> dict[str, PubmedRecord]:
    return {r.pmid: r for r in records()}


def split(name: str) -> list[PubmedRecord]:
    return [r for r in records() if r.split == name]
