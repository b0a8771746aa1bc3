"""The ``refs`` and ``annotate`` commands: their parsers and what they print.

Private to :mod:`evgrade.cli` (kept apart so that module stays short). The work is
the library's: :func:`evgrade.pipeline.list_references`,
:func:`evgrade.pipeline.annotate_bibliography` and :mod:`evgrade.bib.annotate`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._cli_help import add_network_options
from ._cli_output import emit
from .errors import UsageError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

_REFS_EPILOG = """\
exit codes:
  0  the list was printed
  1  the list was printed, and a cited key is unknown, broken or duplicated in the
     bibliography (listed on stderr)
  2  usage or input error (and, with --strict-input, such a cited key)
  3  evgrade itself failed (a bug: please report it)
"""

_ANNOTATE_EPILOG = """\
exit codes:
  0  every entry was annotated (or already was): written with --write, shown otherwise
  2  usage or input error, or an entry evgrade refused to edit (it cannot be parsed, its
     key is defined twice, it holds an evgrade field twice); the other entries are
     still annotated and the refused ones listed on stderr
  3  evgrade itself failed (a bug: please report it)
"""


def _add_bib_and_lookups(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bib", action="append", metavar="FILE", default=None,
                   help="BibTeX/BibLaTeX, CSL-JSON or CSL-YAML file (repeatable; @string files "
                        "first). Default: as for 'evgrade score'")
    p.add_argument("--rubric", metavar="NAME|PATH", default=None,
                   help="rubric name (see 'evgrade rubrics') or a .toml file. Default: default")
    add_network_options(p, "look identifiers up online: verdicts and retraction status")


def add_parsers(parser: argparse.ArgumentParser, sub: argparse._SubParsersAction,
                formatter: type[argparse.HelpFormatter]) -> argparse.ArgumentParser:
    """Add the two commands to ``sub`` (the sub-commands of ``parser``); ``parser`` back."""
    from ._cli_help import Lazy
    from .cli import _file_name  # "" is no file name: a usage error, as for every command

    refs = sub.add_parser(
        "refs", help="list every bibliography entry with its design, level and traceability",
        description="One row per bibliography entry: key, first author, year, venue, "
                    "identifiers, the study design and what decided it (PubMed type, the "
                    "studydesign field, title words...) with its confidence, the rubric level, "
                    "traceable yes/no, the retraction status (with --resolve) and where the "
                    "ARTICLE(s) or the claim map cite it. CSL-JSON and CSL-YAML are read like "
                    ".bib files. See docs/reference-managers.md.",
        epilog=_REFS_EPILOG, formatter_class=formatter)
    refs.add_argument("articles", nargs="*", metavar="ARTICLE",
                      help="documents whose citations to show per entry (files or folders)")
    refs.add_argument("--map", metavar="FILE", default=None, type=_file_name,
                      help="claim map whose links count as uses. Default: claims.toml next to "
                           "the articles, when present")
    refs.add_argument("--strict-input", action="store_true", default=None,
                      help="exit 2, not 1, when a cited key is unknown, broken or duplicated "
                           "(config: strict-input = true)")
    refs.add_argument("--format", "-f", default="text", metavar="FORMAT",
                      help=Lazy(lambda: f"output format: {_refs_formats()}. Default: text"))
    refs.add_argument("--output", "-o", metavar="FILE", default=None, type=_file_name,
                      help="write the list to FILE (atomically) instead of standard output")
    keep = refs.add_argument_group("filters (all given must hold)")
    keep.add_argument("--level", action="append", default=[], metavar="LEVEL",
                      help="only entries at this rubric level (repeatable, comma-separated allowed)")
    keep.add_argument("--design", action="append", default=[], metavar="DESIGN",
                      help="only entries of this study design (repeatable, comma-separated allowed)")
    keep.add_argument("--untraceable", action="store_true", help="only entries that are not traceable")
    keep.add_argument("--cited", action="store_true",
                      help="only entries the ARTICLE(s) or the claim map cite")
    _add_bib_and_lookups(refs)

    ann = sub.add_parser(
        "annotate", help="write evgrade's judgement into the .bib as evgrade-* fields",
        description="Write each entry's design, its source and confidence, the rubric level, "
                    "traceability (and with --resolve the retraction status) into the .bib file "
                    "as fields named evgrade-*, through a writer that changes no other byte. "
                    "Idempotent: a second run with the same judgement changes nothing, "
                    "evgrade-checked included. Without --write nothing is written: a summary "
                    "(or --diff) shows what would change. A person's studydesign field is read, "
                    "never written. See docs/reference-managers.md for the fields.",
        epilog=_ANNOTATE_EPILOG, formatter_class=formatter)
    mode = ann.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true",
                      help="write the fields into the file(s), atomically")
    mode.add_argument("--diff", action="store_true",
                      help="print a unified diff of what --write would change; write nothing")
    mode.add_argument("--zotero-extra", action="store_true",
                      help="print, per item, the tex.evgrade-... lines to paste into Zotero's "
                           "Extra field (Better BibTeX exports them as fields); write nothing")
    ann.add_argument("--format", "-f", default="text", choices=("text", "csv"),
                     help="with --zotero-extra: text (lines per item) or csv (citation-key,extra)")
    ann.add_argument("--backup", action="store_true",
                     help="with --write: keep the old file as FILE.bak")
    _add_bib_and_lookups(ann)
    return parser


def _refs_formats() -> str:
    from .report.refs import REFS_FORMATS

    return ", ".join(REFS_FORMATS.names())


def _names(values: list[str]) -> frozenset[str]:
    return frozenset(v.strip() for value in values for v in value.split(",") if v.strip())


def _overrides(args: argparse.Namespace) -> dict:
    """The Options fields the command line sets, as for every command (cli._overrides)."""
    from .cli import _overrides as overrides
    return overrides(args)


def refs_command(args: argparse.Namespace) -> int:
    from . import pipeline
    from ._pipeline_refs import input_problems
    from .grade.refs import RowFilter
    from .report.lint import format_finding
    from .report.refs import render_refs

    inputs = [Path(a) for a in args.articles]
    options = pipeline.Options.from_project(inputs=inputs, cache_root=args.cache_dir,
                                            **_overrides(args))
    keep = RowFilter(levels=_names(args.level), designs=_names(args.design),
                     untraceable=args.untraceable, cited=args.cited)
    refs = pipeline.list_references(inputs, options, keep=keep)
    emit(render_refs(refs, args.format), args.output)
    for finding in refs.findings:
        print(format_finding(finding), file=sys.stderr)
    if not input_problems(refs):
        return EXIT_CLEAN
    return EXIT_INPUT if options.strict_input else EXIT_FINDINGS


def annotate_command(args: argparse.Namespace) -> int:
    from . import pipeline

    if args.backup and not args.write:
        raise UsageError("--backup goes with --write")
    if args.format != "text" and not args.zotero_extra:
        raise UsageError("--format goes with --zotero-extra")
    options = pipeline.Options.from_project(cache_root=args.cache_dir,
                                            **{**_overrides(args), "claim_map": None})
    if args.zotero_extra:
        from .report.refs import render_refs

        refs = pipeline.list_references((), options)
        emit(render_refs(refs, "zotero-extra" if args.format == "text" else "zotero-csv"), None)
        return EXIT_CLEAN
    return _annotate(pipeline.annotate_bibliography(options), args)


def _annotate(edits: list, args: argparse.Namespace) -> int:
    from .bib.annotate import unified_diff, write_edit

    refused = 0
    for edit in edits:
        if args.diff:
            sys.stdout.write(unified_diff(edit))
        elif args.write:
            write_edit(edit, backup=args.backup)
        verb = "annotated" if args.write else "to annotate"
        note = "" if args.write or args.diff or not edit.changed else " (run with --write)"
        entries = "entry" if len(edit.changed) == 1 else "entries"
        print(f"{edit.path}: {len(edit.changed)} {entries} {verb}, {edit.unchanged} unchanged, "
              f"{len(edit.refused)} refused{note}", file=sys.stderr)
        for refusal in edit.refused:
            print(refusal.describe(), file=sys.stderr)
        refused += len(edit.refused)
    return EXIT_INPUT if refused else EXIT_CLEAN


RUN = {"refs": refs_command, "annotate": annotate_command}  # cli._COMMANDS takes these
