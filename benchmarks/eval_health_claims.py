"""Recall of claim detection on real labelled health claims (../shared/fixtures/health-claims-dev).

Each positive sentence of the labelled sets (a causal, conditional or
correlational finding, as their annotators labelled it) is read on its own as a
plain-text document; it counts as found when evgrade makes a claim of it. The
same sentences are scored a second time lower-cased and without final
punctuation, as they appear in social posts and headlines. A text of one line is
judged as a sentence, not as a heading (docs/claims.md, section 9), so a headline
without a full stop counts too. Only recall is measured: these sets label claim
*strength*, so their "no relationship" or "not a claim" rows are sentences without
a stated relationship, most of them still checkable claims in the sense of
docs/claims.md, and are not used as negatives. Precision is measured on the
held-out sets (tests/heldout*, which label non-claims) instead.

    .venv/bin/python benchmarks/eval_health_claims.py [--shared ../shared] [--misses N]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from evgrade.claims import extract_claims
from evgrade.read import read_text

ROOT = Path(__file__).resolve().parents[1]


def causal_language(folder: Path) -> Iterator[str]:
    """Yu, Li & Wang 2019: 0 = no relationship; 1, 2, 3 = a stated relationship."""
    with open(folder / "junwang4__causal-language-use-in-science" / "pubmed_causal_language_use.csv",
              encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["label"] in {"1", "2", "3"}:
                yield row["sentence"]


def press_releases(folder: Path) -> Iterator[str]:
    """Yu, Wang, Guo & Li 2020: 0 = not a claim; 1, 2, 3 = a claim (headline or sentence)."""
    with open(folder / "junwang4__correlation-to-causation-exaggeration" / "annotated_eureka.csv",
              encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["label"] in {"1", "2", "3"}:
                yield row["sentence"]


def insciout(folder: Path) -> Iterator[str]:
    """Wright & Augenstein 2021: conclusion sentences with strength > 0 (press release and abstract)."""
    for name in ("insciout_train.jsonl", "insciout_test.jsonl"):
        path = folder / "copenlu__scientific-exaggeration-detection" / name
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for text, strength in ((row["press_release_conclusion"], row["press_release_strength"]),
                                   (row["abstract_conclusion"], row["abstract_strength"])):
                if int(strength) > 0 and text.strip():
                    yield text


SETS = {"causal-language (PubMed conclusions)": causal_language,
        "press releases (EurekAlert)": press_releases,
        "InSciOut conclusions": insciout}


def casual(text: str) -> str:
    """Lower case, final punctuation dropped: a claim as a post or headline writes it."""
    return text.strip().rstrip(".!;:").lower()


def is_claim(text: str) -> bool:
    doc = read_text(" ".join(text.split()), path="claim.txt", format="text")
    return bool(extract_claims(doc))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed sentences per set")
    args = ap.parse_args(argv)
    folder = args.shared / "fixtures" / "health-claims-dev"
    print(f"{'set':40} {'n':>6} {'as written':>11} {'casual':>8}")
    totals = [0, 0, 0]
    for name, load in SETS.items():
        sentences = list(dict.fromkeys(load(folder)))  # each distinct sentence once
        written = [s for s in sentences if is_claim(s)]
        lowered = [s for s in sentences if is_claim(casual(s))]
        n = len(sentences)
        totals = [totals[0] + n, totals[1] + len(written), totals[2] + len(lowered)]
        print(f"{name:40} {n:6d} {len(written) / n:11.3f} {len(lowered) / n:8.3f}")
        for s in [s for s in sentences if s not in set(written)][:args.misses]:
            print("   missed:", s)
    n, w, c = totals
    print(f"{'all':40} {n:6d} {w / n:11.3f} {c / n:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
