"""The command line: the only module that prints or decides an exit code.

Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage or input
error (one line on stderr, never a traceback); 3 evgrade itself failed (a bug).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .config import Config, find_config
from .errors import EvgradeError, InputError, UsageError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
FAIL_LEVELS = ("error", "warning", "info", "never")

_EPILOG = """\
exit codes:
  0  clean: no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage or input error: a file or option evgrade cannot use (one line on
     stderr), or input it could only partly use: a cited key that is missing,
     broken or duplicated in the bibliography (the report is still written
     from the rest)
  3  evgrade itself failed (a bug: please report it)

Run 'evgrade COMMAND --help' for a command's options. Docs: docs/ in the source tree.
"""


class _Formatter(argparse.HelpFormatter):
    """Wrap descriptions to the terminal, but keep the exit-code table as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("exit codes:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so main() keeps control of exit codes."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _add_common(p: argparse.ArgumentParser, *, default_format: str, formats: str) -> None:
    p.add_argument("--bib", action="append", metavar="FILE", default=None,
                   help="BibTeX/BibLaTeX file (repeatable). Default: [tool.evgrade] bibliography, "
                        "then the files the documents name (bibliography: / \\bibliography{}), "
                        "then ./references.bib")
    p.add_argument("--rubric", metavar="NAME|PATH", default=None,
                   help="rubric name (see 'evgrade rubrics') or a .toml file. Default: default")
    p.add_argument("--format", "-f", default=None, metavar="FORMAT",
                   help=f"output format: {formats}. Default: {default_format}")
    p.add_argument("--output", "-o", metavar="FILE", default=None,
                   help="write the report to FILE (atomically) instead of standard output")
    p.add_argument("--fail-on", choices=FAIL_LEVELS, default=None,
                   help="exit 1 when a finding of this severity or worse exists")
    p.add_argument("--ignore", action="append", default=[], metavar="CODE",
                   help="drop findings with this code or name (repeatable, comma-separated allowed)")
    p.add_argument("--unused", action="store_true", default=None,
                   help="also report bibliography entries that are never cited (EV301)")
    p.add_argument("--show-info", action="store_true",
                   help="show info-level findings in lint-style output")
    net = p.add_argument_group("online resolution (off by default; see docs/resolution.md)")
    net.add_argument("--resolve", action="store_true",
                     help="look up DOIs/PMIDs in PubMed, Crossref and OpenAlex (cached on disk)")
    net.add_argument("--offline", action="store_true",
                     help="with --resolve: use only cached lookups, make no request")
    net.add_argument("--refresh", action="store_true", help="with --resolve: ignore the cache")
    net.add_argument("--cache-dir", metavar="DIR", default=None,
                     help="cache folder (default: $EVGRADE_CACHE_DIR or the user cache dir)")
    net.add_argument("--mailto", metavar="EMAIL", default=None,
                     help="contact address sent in the User-Agent ($EVGRADE_MAILTO)")


def build_parser() -> argparse.ArgumentParser:
    from .report import FORMATS

    formats = ", ".join(FORMATS.names())
    parser = _Parser(
        prog="evgrade",
        description="Grade the evidence behind the claims in a text: find every claim, link it to "
                    "the BibTeX entries that back it, grade it against a rubric, and show which "
                    "statements lack a traceable citation.",
        epilog=_EPILOG, formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=f"evgrade {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    # every sub-command wraps its text the same way
    _add = sub.add_parser
    sub.add_parser = lambda *a, **k: _add(*a, **{"formatter_class": _Formatter, **k})  # type: ignore[method-assign]

    score = sub.add_parser(
        "score", help="grade every claim in articles and print a table",
        description="Grade every claim in ARTICLE(s) against a rubric and print a table per article: "
                    "where, the claim, its kind, linked keys and how they were linked, grade, "
                    "traceable yes/no and why anything is flagged; then a summary per article. "
                    "Run bare in a project folder it grades articles/ against references.bib with "
                    "the claim map articles/claims.toml and the default rubric.",
        epilog=_EPILOG, formatter_class=_Formatter)
    score.add_argument("articles", nargs="*", metavar="ARTICLE",
                       help="article files or folders (.txt, .md, .tex, .html). Default: articles/")
    score.add_argument("--map", metavar="FILE", default=None,
                       help="claim map linking quoted claims to bib keys. Default: claims.toml in "
                            "the articles' folder, when present")
    score.add_argument("--no-suggest", action="store_true",
                       help="do not offer entries whose venue matches a claim's named source")
    _add_common(score, default_format="text", formats=formats)

    check = sub.add_parser(
        "check", help="lint drafts before publication (path:line:col: CODE message)",
        description="Check Markdown (pandoc citations) or LaTeX drafts like a linter: one line per "
                    "problem as path:line:col: CODE message, a summary line, and exit 1 when a "
                    "finding at or above --fail-on (default: warning) exists.",
        epilog=_EPILOG, formatter_class=_Formatter)
    check.add_argument("drafts", nargs="+", metavar="DRAFT", help="draft files or folders")
    check.add_argument("--map", metavar="FILE", default=None, help="optional claim map")
    check.add_argument("--exit-zero", action="store_true",
                       help="always exit 0 when the check ran (report findings only)")
    _add_common(check, default_format="lint", formats=formats)

    mp = sub.add_parser(
        "map", help="write a claim-map skeleton listing every detected claim",
        description="Write (or extend) a claim map: one [[claims]] entry per detected claim with an "
                    "empty keys list to fill in. An existing map is never rewritten: claims it "
                    "already covers are skipped and new entries are appended atomically.")
    mp.add_argument("articles", nargs="+", metavar="ARTICLE", help="article files or folders")
    mp.add_argument("--map", metavar="FILE", default=None,
                    help="map file to write. Default: claims.toml in the first article's folder")
    mp.add_argument("--stdout", action="store_true", help="print the skeleton instead of writing")

    res = sub.add_parser(
        "resolve", help="look up the bibliography's identifiers online and report what they resolve to",
        description="Resolve every DOI/PMID of the bibliography with PubMed, Crossref and OpenAlex "
                    "(cached, rate-limited, polite) and report: verified, mismatch, not found, "
                    "retracted/corrected, or could not verify.")
    res.add_argument("--bib", action="append", metavar="FILE", default=None, help="BibTeX file(s)")
    res.add_argument("--search", action="store_true",
                     help="for entries without identifier, suggest a DOI from a title search")
    res.add_argument("--format", "-f", choices=("text", "json"), default="text")
    res.add_argument("--offline", action="store_true", help="use only the cache")
    res.add_argument("--refresh", action="store_true", help="ignore the cache")
    res.add_argument("--cache-dir", metavar="DIR", default=None)
    res.add_argument("--mailto", metavar="EMAIL", default=None)

    ev = sub.add_parser(
        "eval", help="measure claim extraction against the gold data",
        description="Compare extracted claims and sentence boundaries with the hand-labelled gold "
                    "(tests/gold/) and print precision, recall, F1, kind accuracy and boundary "
                    "accuracy per article and overall.")
    ev.add_argument("--gold", metavar="DIR", default="tests/gold", help="gold folder (default: tests/gold)")
    ev.add_argument("--articles", metavar="DIR", default="articles", help="articles folder (default: articles)")

    rb = sub.add_parser("rubrics", help="list the bundled rubrics, or show one",
                        description="List the rubrics evgrade knows, or show one rubric's levels, "
                                    "designs and per-kind minimums.")
    rb.add_argument("name", nargs="?", metavar="NAME|PATH")

    cd = sub.add_parser("codes", help="list every finding code and what it means",
                        description="List the finding codes with name, default severity and meaning.")
    cd.add_argument("code", nargs="?", metavar="CODE")
    return parser


# ---------------------------------------------------------------- commands

def _split_ignores(values: list[str], config: Config) -> frozenset[str]:
    from ._findings import spec

    out = set(config.ignore)
    for value in values:
        for code in filter(None, (v.strip() for v in value.split(","))):
            try:
                spec(code)
            except KeyError:
                raise UsageError(f"--ignore: unknown finding code {code!r} (see 'evgrade codes')") from None
            out.add(code)
    return frozenset(out)


def _resolve_options(args: argparse.Namespace, config: Config):
    if not getattr(args, "resolve", True):
        if args.offline or args.refresh:
            raise UsageError("--offline and --refresh go with --resolve")
        return None
    from .resolve import ResolveOptions

    if args.offline and args.refresh:
        raise UsageError("--offline and --refresh exclude each other")
    values = {"mode": "offline" if args.offline else "refresh" if args.refresh else "online"}
    cache = args.cache_dir or config.resolve_path(config.cache_dir)
    if cache:
        values["cache_dir"] = Path(cache)
    mailto = args.mailto or config.mailto
    if mailto:
        values["mailto"] = mailto
    if getattr(args, "search", False):
        values["search"] = True
    return ResolveOptions(**values)


def _bib_paths(args: argparse.Namespace, config: Config, documents_name_bib: bool) -> tuple[Path, ...]:
    if args.bib:
        return tuple(Path(b) for b in args.bib)
    if config.bibliography:
        return tuple(Path(config.resolve_path(b)) for b in config.bibliography)
    if documents_name_bib:
        return ()  # the pipeline uses the files the documents name
    if Path("references.bib").is_file():
        return (Path("references.bib"),)
    return ()


def _default_map(articles: list[Path]) -> Path | None:
    if not articles:
        return None
    first = articles[0]
    folder = first if first.is_dir() else first.parent
    candidate = folder / "claims.toml"
    return candidate if candidate.is_file() else None


PROGRESS_MIN = 10  # fewer lookups than this finish before a bar would help


def _progress_bar():
    """A tqdm bar on stderr, only when stderr is a terminal and the work is more than a handful."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    state: dict[str, object] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            if total <= PROGRESS_MIN:
                return
            bar = state["bar"] = tqdm(total=total, desc="resolving", unit="id", file=sys.stderr,
                                      leave=False)
        bar.total = total  # type: ignore[attr-defined]
        bar.n = done  # type: ignore[attr-defined]
        bar.refresh()  # type: ignore[attr-defined]
        if done >= total:
            bar.close()  # type: ignore[attr-defined]
    return update


def _emit(text: str, output: str | None) -> None:
    if output:
        from ._atomic import write_atomic

        try:
            write_atomic(output, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(f"cannot write the report: {exc.strerror or exc}", path=output) from exc
    else:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def _grade(args: argparse.Namespace, command: str) -> int:
    from . import pipeline
    from .report import render
    from .report.lint import format_finding

    config = find_config()
    inputs = args.articles if command == "score" else args.drafts
    if not inputs:
        inputs = [config.resolve_path(a) for a in config.articles] or ["articles"]
    documents = pipeline.read_documents(inputs)
    names_bib = any(doc.bibliography for doc in documents)
    claim_map = args.map or (config.resolve_path(config.map) if config.map else None)
    if claim_map is None and command == "score":
        claim_map = _default_map([Path(i) for i in inputs])
    options = pipeline.Options(
        bibliographies=_bib_paths(args, config, names_bib),
        rubric=args.rubric or config.rubric or "default",
        claim_map=Path(claim_map) if claim_map else None,
        suggest=not getattr(args, "no_suggest", False),
        unused=bool(args.unused if args.unused is not None else config.unused),
        ignore=_split_ignores(args.ignore, config),
        command=command,  # type: ignore[arg-type]
        cache_dir=_bib_cache_dir(args, config),
        resolve=_resolve_options(args, config),
        progress=_progress_bar(),
    )
    report = pipeline.grade_documents(documents, options)
    fmt = args.format or ("lint" if command == "check" else "text")
    options: dict[str, object] = {"show_info": args.show_info}
    if fmt == "text" and not args.output and sys.stdout.isatty():
        import shutil

        options.update(width=shutil.get_terminal_size().columns, color=not os.environ.get("NO_COLOR"))
    _emit(render(report, fmt, **options), args.output)
    if fmt not in ("lint", "github"):
        # input problems are not in the claim table: say them on stderr, one line each
        for finding in pipeline.input_problems(report):
            print(format_finding(finding), file=sys.stderr)
    fail_on = args.fail_on or config.fail_on or ("warning" if command == "check" else "never")
    code = pipeline.exit_code(report, fail_on)
    if getattr(args, "exit_zero", False) and code == EXIT_FINDINGS:
        return EXIT_CLEAN
    return code


def _bib_cache_dir(args: argparse.Namespace, config: Config) -> Path | None:
    """Where parsed bibliographies are cached; None disables it (EVGRADE_NO_CACHE=1)."""
    if os.environ.get("EVGRADE_NO_CACHE"):
        return None
    base = args.cache_dir or config.resolve_path(config.cache_dir) or os.environ.get("EVGRADE_CACHE_DIR")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("evgrade")
    return Path(base) / "bibliographies"


def _map(args: argparse.Namespace) -> int:
    from . import pipeline
    from .link import load_claim_map, skeleton_text, write_skeleton

    claims = pipeline.claims_of(args.articles)
    if args.stdout:
        sys.stdout.write(skeleton_text(claims))
        return EXIT_CLEAN
    first = Path(args.articles[0])
    target = Path(args.map) if args.map else (first if first.is_dir() else first.parent) / "claims.toml"
    existing = load_claim_map(target) if target.exists() else None
    added = write_skeleton(target, claims, existing=existing)
    total = sum(len(c) for c in claims.values())
    print(f"{target}: {added} claim(s) added, {total - added} already mapped", file=sys.stderr)
    return EXIT_CLEAN


def _resolve_cmd(args: argparse.Namespace) -> int:
    import json

    from .bib.load import load_bibliography
    from .resolve import resolution_findings, resolve_references

    config = find_config()
    args.resolve = True
    bibs = _bib_paths(args, config, False)
    if not bibs:
        raise UsageError("no bibliography: pass --bib FILE (or add references.bib)")
    bibliography = load_bibliography(bibs)
    options = _resolve_options(args, config)
    refs = list(bibliography.entries.values())
    resolutions = resolve_references(refs, options, progress=_progress_bar())
    found = [f for ref in refs if ref.key in resolutions
             for f in resolution_findings(ref, resolutions[ref.key], ref.location.path if ref.location else "")]
    if args.format == "json":
        payload = {"resolutions": {k: r.model_dump(mode="json") for k, r in resolutions.items()},
                   "findings": [f.model_dump(mode="json") for f in found]}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        from tabulate import tabulate

        rows = []
        for ref in refs:
            r = resolutions.get(ref.key)
            sources = ", ".join(f"{rec.source}:{rec.status}" for rec in r.records) if r else ""
            score = f"{r.match_score:.2f}" if r and r.match_score is not None else ""
            note = "RETRACTED" if r and r.retracted else (f"suggested DOI {r.suggested_doi}" if r and r.suggested_doi else "")
            rows.append([ref.key, r.status if r else "", score, sources, note])
        sys.stdout.write(tabulate(rows, headers=["key", "verdict", "match", "sources", "note"]) + "\n")
        counts: dict[str, int] = {}
        for r in resolutions.values():
            counts[r.status] = counts.get(r.status, 0) + 1
        sys.stdout.write(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + "\n")
    return EXIT_FINDINGS if any(f.severity == "error" for f in found) else EXIT_CLEAN


def _eval(args: argparse.Namespace) -> int:
    from .evaluate.claims import default_pairs, evaluate_corpus, format_scores

    pairs = default_pairs(Path.cwd(), gold_dir=Path(args.gold), articles_dir=Path(args.articles))
    if not pairs:
        raise UsageError(f"no article has a gold file in {args.gold}")
    sys.stdout.write(format_scores(evaluate_corpus(pairs)) + "\n")
    return EXIT_CLEAN


def _rubrics(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from .grade.rubric import list_rubrics, load_rubric

    if not args.name:
        for name in list_rubrics():
            r = load_rubric(name)
            print(f"{name:10} {' > '.join(l.name for l in r.levels):40} {r.title}")
        return EXIT_CLEAN
    r = load_rubric(args.name)
    print(f"{r.name}: {r.title}\n{r.description.strip()}\n")
    print(tabulate([[l.name, l.label, ", ".join(l.designs)] for l in r.levels],
                   headers=["level", "label", "designs"]))
    print()
    print(tabulate(sorted(r.minimums.items()), headers=["claim kind", "minimum level"]))
    return EXIT_CLEAN


def _codes(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from ._findings import SPECS, spec

    if args.code:
        try:
            s = spec(args.code)
        except KeyError:
            raise UsageError(f"unknown finding code {args.code!r}") from None
        print(f"{s.code} {s.name} ({s.severity})\n{s.summary}")
        return EXIT_CLEAN
    print(tabulate([[s.code, s.name, s.severity, s.summary] for s in SPECS.values()],
                   headers=["code", "name", "severity", "meaning"], maxcolwidths=[None, None, None, 70]))
    return EXIT_CLEAN


_COMMANDS = {"score": lambda a: _grade(a, "score"), "check": lambda a: _grade(a, "check"),
             "map": _map, "resolve": _resolve_cmd, "eval": _eval, "rubrics": _rubrics, "codes": _codes}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        if not args.command:
            parser.print_help()
            return EXIT_INPUT
        return _COMMANDS[args.command](args)
    except EvgradeError as exc:
        print(f"evgrade: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("evgrade: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # "evgrade score | head": the reader left; that is not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the exit-time flush quiet
        return EXIT_CLEAN
    except OSError as exc:  # a file evgrade was told to read or write is not usable
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"evgrade: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("EVGRADE_DEBUG"):
            raise
        print(f"evgrade: internal error: {type(exc).__name__}: {exc} "
              "(a bug; rerun with EVGRADE_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_BUG


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
