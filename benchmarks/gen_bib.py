"""Generate a large .bib file from the real exports in ../shared/fixtures/bibtex/.

    .venv/bin/python benchmarks/gen_bib.py [--entries 100000] [--out FILE]

The file is made of the fixture files themselves (bbt-import: 99 real-world exports
attached to Better BibTeX bug reports, MIT; iridia: the IRIDIA library, CC0; see each
folder's SOURCE.txt), repeated until it holds ``--entries`` entries. Every entry's key
gets a suffix ``-N`` (a running number), so no two entries share a key, and each
``crossref`` is pointed at the renamed parent of the same copy. @string, @preamble and
@comment blocks, and the text between blocks, are written once (the first copy), so
every macro is defined before the entries that use them. A block whose key cannot be
read (a broken entry) is kept as it is, as in the original; a block that never closes
is left out, because in one long file it would swallow the files after it (pybtex then
reads a fraction of the entries, and takes minutes to do it). Nothing else changes: the
fields, the other broken blocks, the LaTeX and the layout are the exports' own.

The file is written to ``--out`` (default: a new temporary folder) and its path printed;
it is not meant to be committed (about 60 MB).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evgrade.bib.split import split_blocks  # noqa: E402

FIXTURES = ROOT.parent / "shared" / "fixtures" / "bibtex"
# the IRIDIA macro files first, as the library's own documents load them
IRIDIA = ("abbrev.bib", "journals.bib", "authors.bib", "crossref.bib", "biblio.bib", "articles.bib")
_HEAD = re.compile(r"@[^{(]*[{(]\s*")
_CROSSREF = re.compile(r"""(?i)((?<![\w-])crossref\s*=\s*[{"]\s*)([^\s,"{}]+)""")


def sources() -> list[Path]:
    return sorted((FIXTURES / "bbt-import").glob("*.bib")) + [FIXTURES / "iridia" / n for n in IRIDIA]


def _copy(text: str, first: bool, counter: Iterator[int]) -> Iterator[tuple[str, bool]]:
    """The pieces of one copy of ``text`` (is-an-entry flags alongside), keys renamed."""
    blocks = split_blocks(text)
    renamed: dict[str, str] = {}
    pieces: list[tuple[str, bool, str | None]] = []
    pos = 0
    for block in blocks:
        # the text between blocks once; later copies only need a line break
        pieces.append((text[pos:block.start] if first else "\n", False, None))
        pos = block.end
        if not block.terminated:
            continue  # concatenated, a block that never closes would swallow the next file
        if block.kind != "entry":
            if first:
                pieces.append((block.text, False, None))
            continue
        if block.key is None:
            pieces.append((block.text, True, None))
            continue
        head = _HEAD.match(block.text)
        if head is None or not block.text.startswith(block.key, head.end()):
            pieces.append((block.text, True, None))
            continue
        new = f"{block.key}-{next(counter)}"
        renamed.setdefault(block.key.casefold(), new)
        at = head.end()
        pieces.append((block.text[:at] + new + block.text[at + len(block.key):], True, block.key))
    if first:
        pieces.append((text[pos:], False, None))

    def point(m: re.Match[str]) -> str:
        return m.group(1) + renamed.get(m.group(2).casefold(), m.group(2))

    for piece, entry, _key in pieces:
        yield (_CROSSREF.sub(point, piece) if entry else piece), entry


def generate(entries: int, out: Path) -> int:
    """Write the file; the number of entries written."""
    texts = [p.read_text(encoding="utf-8-sig").replace("\r\n", "\n") for p in sources()]
    counter = iter(range(1, 10**9))
    written = 0
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        copy = 0
        while written < entries:
            for text in texts:
                for piece, is_entry in _copy(text, copy == 0, counter):
                    if is_entry:
                        if written >= entries:
                            continue
                        written += 1
                    fh.write(piece)
            copy += 1
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="evgrade-gen-")) / "library.bib"
    n = generate(args.entries, out)
    print(f"{out}\t{n} entries\t{out.stat().st_size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
