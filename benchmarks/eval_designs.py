"""Study design from the record alone, measured against PubMed's indexers (issue 13).

    .venv/bin/python benchmarks/eval_designs.py [--split dev|heldout|all] [--mesh] [--errors N]

Reads the real PubMed records in ../shared/fixtures (pubmed-dev/ and the efetch
answers in api/), turns each into the BibTeX entry a reference manager would
export (publication types left out: they are the gold), runs
evgrade.grade.designs.detect_design on it and prints accuracy per gold class,
recall and precision for case reports, RCTs, SR/MA and editorials/letters, and a
confusion matrix. The mapping from PubMed types to gold classes and the split are
in evgrade/evaluate/designs.py; docs/designs.md records the numbers.

The held-out split is for the final measurement only: tune on dev.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--mesh", action="store_true",
                        help="give the entries their MeSH headings as keywords")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="list the first N wrong calls (dev only, unless --split says)")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared/ folder")
    args = parser.parse_args(argv)

    from evgrade.evaluate._design_scores import format_errors, format_summary, score, summarize
    from evgrade.evaluate.designs import corpus_files, read_records
    from evgrade.grade.designs import detect_design
    from evgrade.models import DesignCall

    files = corpus_files(args.shared)
    if not files:
        print(f"no PubMed XML under {args.shared / 'fixtures'}", file=sys.stderr)
        return 2
    records = read_records(files, mesh=args.mesh)
    excluded = Counter(r.split for r in records if r.gold is None)
    chosen = [r for r in records if args.split == "all" or r.split == args.split]
    scored = score(chosen, detect_design)
    print(f"{len(files)} files, {len(records)} distinct PMIDs; split {args.split}: "
          f"{len(chosen)} records, {len(chosen) - len(scored)} notices not scored "
          f"(errata; {dict(excluded)} overall); MeSH keywords: {'yes' if args.mesh else 'no'}")
    print(format_summary(summarize(scored), f"\ndetect_design on the {args.split} split"))
    floor = summarize(score(chosen, lambda ref: DesignCall(design="unknown", source="default")))
    print(f"\nbaseline, every call 'unknown': accuracy {floor.accuracy:.3f} "
          f"({floor.right}/{floor.n})")
    if args.errors:
        print("\nwrong calls")
        print(format_errors(scored, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
