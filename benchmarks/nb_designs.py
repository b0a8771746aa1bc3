"""A learned baseline for study design: multinomial naive Bayes on the dev split.

    .venv/bin/python benchmarks/nb_designs.py [--split dev|heldout]

Would a small learned model beat evgrade's rules? This trains one on the words of
title and abstract (unigrams and bigrams, add-one smoothing, plus a "no abstract"
token) with the gold classes of evgrade/evaluate/designs.py. On ``--split dev`` it
reports 5-fold cross-validation within dev; on ``--split heldout`` it trains on all
of dev and scores held-out. Nothing here ships with evgrade: it is the comparison
docs/designs.md reports.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
_WORD = re.compile(r"[a-z]+")


def tokens(rec) -> list[str]:  # type: ignore[no-untyped-def]
    words = _WORD.findall(f"{rec.reference.title} {rec.reference.abstract}".lower())
    out = words + [f"{a}_{b}" for a, b in zip(words, words[1:])]
    return out + ([] if rec.has_abstract else ["__no_abstract__"])


class NaiveBayes:
    def __init__(self, train) -> None:  # type: ignore[no-untyped-def]
        self.docs: Counter[str] = Counter()
        self.words: dict[str, Counter[str]] = defaultdict(Counter)
        for rec in train:
            self.docs[rec.gold] += 1
            self.words[rec.gold].update(tokens(rec))
        self.vocab = {w for c in self.words.values() for w in c}
        self.totals = {g: sum(c.values()) for g, c in self.words.items()}

    def predict(self, rec) -> str:  # type: ignore[no-untyped-def]
        seen = [t for t in tokens(rec) if t in self.vocab]
        v = len(self.vocab)

        def logp(g: str) -> float:
            return math.log(self.docs[g]) + sum(
                math.log((self.words[g][t] + 1) / (self.totals[g] + v)) for t in seen)
        return max(self.docs, key=logp)


def report(pairs: list[tuple[str, str]], title: str) -> str:
    right = Counter(g for g, p in pairs if g == p)
    n = Counter(g for g, _ in pairs)
    lines = [f"{title}: accuracy {sum(right.values()) / len(pairs):.3f} "
             f"({sum(right.values())}/{len(pairs)})"]
    lines += [f"  {g:8} {right[g]}/{n[g]}" for g in sorted(n, key=lambda g: -n[g])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    args = parser.parse_args(argv)
    from evgrade.evaluate.designs import corpus_files, read_records

    recs = [r for r in read_records(corpus_files(SHARED)) if r.gold is not None]
    dev = [r for r in recs if r.split == "dev"]
    if args.split == "heldout":
        model = NaiveBayes(dev)
        pairs = [(r.gold, model.predict(r)) for r in recs if r.split == "heldout"]
        print(report(pairs, "naive Bayes trained on dev, scored on held-out"))
        return 0
    order = list(range(len(dev)))
    random.Random(0).shuffle(order)
    pairs = []
    for k in range(5):
        test = set(order[k::5])
        model = NaiveBayes([dev[i] for i in order if i not in test])
        pairs += [(dev[i].gold, model.predict(dev[i])) for i in sorted(test)]
    print(report(pairs, "naive Bayes, 5-fold cross-validation within dev"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
