"""The command line: the only module that prints or decides an exit code.

Exit codes, as a linter's: 0 clean; 1 findings at or above --fail-on (a cited key
missing from the bibliography included); 2 evgrade could not do its job (one line
on stderr, never a traceback); 3 evgrade itself failed (a bug).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import warnings
from pathlib import Path
from typing import Sequence

from . import __version__, _cli_refs, _patterns
from ._cachedir import cache_folder
from ._cli_help import EPILOG as _EPILOG
from ._cli_help import Formatter as _Formatter
from ._cli_help import Lazy as _Lazy
from ._cli_help import Parser as _Parser
from ._cli_help import file_name as _file_name
from ._cli_help import add_network_options
from ._cli_jobs import add_job_options, grade_and_write
from ._cli_output import add_output_options, emit, progress_bar, render_options
from .errors import EvgradeError, EvgradeWarning, InputError, UsageError, one_line

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
FAIL_LEVELS = ("error", "warning", "info", "never")

def _add_common(p: argparse.ArgumentParser, *, default_format: str, formats: _Lazy) -> None:
    p.add_argument("--bib", action="append", metavar="FILE", default=None,
                   help="BibTeX or CSL file (repeatable). Default: [tool.evgrade] bibliography, "
                        "then the files the documents name (bibliography: / \\bibliography{}), "
                        "then ./references.bib")
    p.add_argument("--rubric", metavar="NAME|PATH", default=None,
                   help="rubric name (see 'evgrade rubrics') or a .toml file. Default: default")
    p.add_argument("--format", "-f", default=None, metavar="FORMAT",
                   help=_Lazy(lambda: f"output format: {formats}. Default: {default_format}"))
    p.add_argument("--output", "-o", metavar="FILE", default=None, type=_file_name,
                   help="write the report to FILE (atomically) instead of standard output")
    p.add_argument("--fail-on", choices=FAIL_LEVELS, default=None,
                   help="exit 1 when a finding of this severity or worse exists")
    p.add_argument("--ignore", action="append", default=[], metavar="CODE",
                   help="drop findings with this code or name (repeatable, comma-separated allowed)")
    p.add_argument("--unused", action="store_true", default=None,
                   help="also report bibliography entries that are never cited (EV301)")
    p.add_argument("--show-info", action="store_true",
                   help="show info-level findings in lint-style output")
    p.add_argument("--strict-input", action="store_true", default=None,
                   help="exit 2, not 1, when a cited key is missing, broken or duplicated in the "
                        "bibliography (config: strict-input = true)")
    p.add_argument("--stdin-format", metavar="FORMAT", default=None,
                   help="an input named '-' is read from standard input as '<stdin>', under the same "
                        "size cap as a file; FORMAT is its reader (text, markdown, latex, html or a "
                        "suffix such as .md). Default: text")
    add_output_options(p)
    add_job_options(p)
    add_network_options(p, "look up DOIs/PMIDs in PubMed, Crossref and OpenAlex (cached on disk)")


def _names(registry: str) -> str:
    from . import report

    return ", ".join(getattr(report, registry).names())


def _suffixes() -> str:
    from .read import suffix_list

    return suffix_list()


def build_parser() -> argparse.ArgumentParser:
    """Cheap to build: what needs the readers or the output formats (their names in the
    help) is looked up only when help is shown, so ``evgrade --version`` imports neither."""
    formats = _Lazy(lambda: _names("FORMATS"))
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
                       help=_Lazy(lambda: f"article files or folders ({_suffixes()}). Default: articles/"))
    score.add_argument("--map", metavar="FILE", default=None, type=_file_name,
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
    check.add_argument("--map", metavar="FILE", default=None, type=_file_name,
                       help="claim map. Default: claims.toml in the drafts' folder, when present")
    check.add_argument("--exit-zero", action="store_true",
                       help="always exit 0 when the check ran (report findings only)")
    _add_common(check, default_format="lint", formats=formats)

    mp = sub.add_parser(
        "map", help="write a claim-map skeleton listing every detected claim",
        description="Write (or extend) a claim map: one [[claims]] entry per detected claim with an "
                    "empty keys list to fill in. An existing map is never rewritten: claims it "
                    "already covers are skipped and new entries are appended atomically.")
    mp.add_argument("articles", nargs="+", metavar="ARTICLE", help="article files or folders")
    mp.add_argument("--map", metavar="FILE", default=None, type=_file_name,
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
    res.add_argument("--format", "-f", default="text", metavar="FORMAT",
                     help=_Lazy(lambda: f"output format: {_names('RESOLUTION_FORMATS')}. Default: text"))
    res.add_argument("--offline", action="store_true", help="use only the cache")
    res.add_argument("--refresh", action="store_true", help="ignore the cache")
    res.add_argument("--cache-dir", metavar="DIR", default=None)
    res.add_argument("--mailto", metavar="EMAIL", default=None)
    res.add_argument("--source", action="append", metavar="NAME", default=None,
                     help="ask only this source (repeatable; default: all, or "
                          "[tool.evgrade.resolve] sources)")
    res.set_defaults(resolve=True)  # the whole point of the command: no --resolve flag

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
    return _cli_refs.add_parsers(parser, sub, _Formatter)  # refs, annotate


# ---------------------------------------------------------------- commands

def _split_ignores(values: list[str]) -> frozenset[str]:
    from ._findings import spec

    out = set()
    for value in values:
        for code in filter(None, (v.strip() for v in value.split(","))):
            try:
                spec(code)
            except KeyError:
                raise UsageError(f"--ignore: unknown finding code {code!r} (see 'evgrade codes')") from None
            out.add(code)
    return frozenset(out)


def _resolve_settings(args: argparse.Namespace) -> dict[str, object] | None:
    """The ResolveOptions fields the command line sets; None when nothing is looked up."""
    if not args.resolve:
        if args.offline or args.refresh or args.source:
            raise UsageError("--offline, --refresh and --source go with --resolve")
        return None
    if args.offline and args.refresh:
        raise UsageError("--offline and --refresh exclude each other")
    settings: dict[str, object] = {"mode": "offline" if args.offline else "refresh" if args.refresh
                                   else "online"}
    if args.mailto:
        settings["mailto"] = args.mailto
    if getattr(args, "search", False):
        settings["search"] = True
    if args.source:
        settings["sources"] = tuple(args.source)
    return settings


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """The Options fields the command line sets; the rest comes from the project."""
    given: dict[str, object | None] = {
        "bibliographies": tuple(Path(b) for b in args.bib) if args.bib else None,
        "rubric": getattr(args, "rubric", None),
        "claim_map": Path(args.map) if getattr(args, "map", None) else None,
        "unused": getattr(args, "unused", None),
        "strict_input": getattr(args, "strict_input", None),
        "fail_on": getattr(args, "fail_on", None),
        "ignore": _split_ignores(getattr(args, "ignore", [])),
        "resolve": _resolve_settings(args),
        "progress": progress_bar(),
    }
    if getattr(args, "no_suggest", False):
        given["suggest"] = False
    if getattr(args, "stdin_format", None):
        given["stdin_format"] = _stdin_format(args)
    return {k: v for k, v in given.items() if v is not None}


def _stdin_format(args: argparse.Namespace) -> str:
    from .read import STDIN_NAME, reader_for

    inputs = (getattr(args, "articles", None) or []) + (getattr(args, "drafts", None) or [])
    if "-" not in inputs:
        raise UsageError("--stdin-format goes with '-' (standard input) as an input")
    return reader_for(STDIN_NAME, args.stdin_format).name


# a linter of drafts: warnings fail the check (a claims.toml beside the drafts is used, as by score)
_CHECK_DEFAULTS = {"fail_on": "warning"}


def _grade(args: argparse.Namespace, command: str) -> int:
    from . import pipeline
    from .report.lint import format_finding

    check = command == "check"
    inputs = pipeline.project_inputs(args.drafts if check else args.articles)
    options = pipeline.Options.from_project(
        inputs=inputs, defaults=_CHECK_DEFAULTS if check else None, cache_root=args.cache_dir,
        **_overrides(args))
    fmt = args.format or ("lint" if check else "text")
    report = grade_and_write(args, inputs, options, fmt, render_options(args, fmt))
    if fmt not in ("lint", "github"):
        # input problems are not in the claim table: say them on stderr, one line each
        for finding in pipeline.input_problems(report):
            print(format_finding(finding), file=sys.stderr)
    code = pipeline.exit_code(report, options.fail_on, strict_input=options.strict_input)
    return EXIT_CLEAN if getattr(args, "exit_zero", False) and code == EXIT_FINDINGS else code


def _map(args: argparse.Namespace) -> int:
    from . import pipeline
    from .config import claim_map_path
    from .link import load_claim_map, skeleton_text, write_skeleton

    if "-" in args.articles:
        raise UsageError("map writes a claim map next to the articles: give files, not '-' (standard input)")
    claims = pipeline.claims_of(args.articles)
    if args.stdout:
        sys.stdout.write(skeleton_text(claims))
        return EXIT_CLEAN
    target = Path(args.map) if args.map else claim_map_path(args.articles)
    existing = load_claim_map(target) if target.exists() else None
    try:
        added = write_skeleton(target, claims, existing=existing)
    except OSError as exc:  # a full disk, a read-only folder: say which file
        raise InputError(f"cannot write the claim map: {exc.strerror or exc}", path=str(target)) from exc
    total = sum(len(c) for c in claims.values())
    print(f"{target}: {added} claim(s) added, {total - added} already mapped", file=sys.stderr)
    return EXIT_CLEAN


def _resolve_cmd(args: argparse.Namespace) -> int:
    from . import pipeline
    from .report import render

    options = pipeline.Options.from_project(cache_root=args.cache_dir, **_overrides(args))
    if not pipeline.bibliography_paths((), options):
        raise UsageError("no bibliography: pass --bib FILE (or add references.bib)")
    result = pipeline.resolve_bibliography(options)
    emit(render(result, args.format), None)
    return EXIT_FINDINGS if any(f.severity == "error" for f in result.findings) else EXIT_CLEAN


def _eval(args: argparse.Namespace) -> int:
    from .evaluate.claims import evaluate_corpus, format_scores, gold_pairs

    pairs = gold_pairs(args.articles, args.gold)
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
    if r.kinds:
        print()
        print(tabulate([[kind, ", ".join(f"{d} -> {lvl}" for d, lvl in ladder.place.items())]
                        for kind, ladder in r.kinds.items()], headers=["claim kind", "own ladder"]))
    return EXIT_CLEAN


def _codes(args: argparse.Namespace) -> int:
    from ._cli_table import simple_table
    from ._findings import SPECS, spec

    if args.code:
        try:
            s = spec(args.code)
        except KeyError:
            raise UsageError(f"unknown finding code {args.code!r}") from None
        print(f"{s.code} {s.name} ({s.severity})\n{s.summary}")
        return EXIT_CLEAN
    print(simple_table([[s.code, s.name, s.severity, s.summary] for s in SPECS.values()],
                       headers=["code", "name", "severity", "meaning"], widths=[None, None, None, 70]))
    return EXIT_CLEAN


_COMMANDS = {"score": lambda a: _grade(a, "score"), "check": lambda a: _grade(a, "check"), "map": _map,
             "resolve": _resolve_cmd, "eval": _eval, "rubrics": _rubrics, "codes": _codes, **_cli_refs.RUN}


def _warn_line(message: Warning | str, category: type[Warning], filename: str, lineno: int,
               file: object = None, line: str | None = None) -> None:
    print(f"evgrade: warning: {one_line(str(message))}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    # what the library worked around (an unusable lookup cache...): one line each on stderr
    with warnings.catch_warnings():
        warnings.simplefilter("always", EvgradeWarning)
        warnings.showwarning = _warn_line
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        if not args.command:
            parser.print_help()
            return EXIT_INPUT
        _patterns.use(lambda: cache_folder(getattr(args, "cache_dir", None)))  # at the first pattern
        try:
            return _COMMANDS[args.command](args)
        finally:
            _patterns.save()
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
    """The ``evgrade`` script and ``python -m evgrade``: :func:`main`, then exit with its code."""
    code = main()
    # What the run made lives until the process ends. Frozen, it is left out of the
    # collector's passes at shutdown, which took 0.06-0.07 s of a 0.5 s warm check; atexit
    # handlers, flushes and reference-count finalisers all still run.
    gc.freeze()
    sys.exit(code)
