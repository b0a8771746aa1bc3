"""Generated articles for the parallel and streaming tests and benchmarks/bench_scale.py.

Simple templates filled from a seeded random generator, never text from the bundled
articles: each article is a short Markdown file with claims of several kinds, some
citing keys of the bundled ``references.bib`` (real entries), some citing a key no
bibliography holds, some citing nothing.
"""

from __future__ import annotations

import random
from pathlib import Path

KEYS = ("Berman2000", "Zarate2006", "Murrough2013AJP", "Daly2018", "Popova2019", "Li2010",
        "Autry2011", "Zanos2016", "Glue2017", "Feder2014", "Short2018", "Krystal1994")
DRUGS = ("drug A", "compound B", "the study medicine", "treatment C", "therapy D")
OUTCOMES = ("symptom scores", "relapse rates", "sleep quality", "pain ratings", "daily function")
GROUPS = ("adults", "older patients", "adolescents", "veterans", "outpatients")
SENTENCES = (
    "A randomized controlled trial found that {drug} reduced {outcome} in {group} within {n} days{cite}.",
    "{pct}% of {group} improved after {n} weeks of {drug}{cite}.",
    "Studies show that {drug} may lower {outcome} in some {group}{cite}.",
    "Researchers reported that {drug} was safe for {group} at low doses{cite}.",
    "Some clinicians believe {drug} helps {group}, although the evidence is limited{cite}.",
    "{drug} is given in a clinic under supervision.",
    "A meta-analysis of {n} trials concluded that {drug} changed {outcome}{cite}.",
)


def article_text(i: int, rng: random.Random) -> str:
    lines = [f"# Generated article {i}", ""]
    for _paragraph in range(rng.randint(2, 4)):
        sentences = []
        for _ in range(rng.randint(2, 5)):
            roll = rng.random()
            cite = (f" [@{rng.choice(KEYS)}]" if roll < 0.5 else
                    f" [@Missing{i % 7}]" if roll < 0.6 else "")
            sentence = rng.choice(SENTENCES).format(
                drug=rng.choice(DRUGS), outcome=rng.choice(OUTCOMES), group=rng.choice(GROUPS),
                n=rng.randint(2, 40), pct=rng.randint(10, 90), cite=cite)
            sentences.append(sentence[0].upper() + sentence[1:])
        lines += [" ".join(sentences), ""]
    return "\n".join(lines)


def write_articles(folder: Path, count: int, *, seed: int = 16) -> list[Path]:
    """``count`` generated articles in ``folder`` (created), named so they sort in order."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    width = len(str(count))
    paths = []
    for i in range(count):
        path = folder / f"article-{i:0{width}d}.md"
        path.write_text(article_text(i, rng), encoding="utf-8")
        paths.append(path)
    return paths
