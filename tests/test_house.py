"""The house rules that keep the code readable, measured rather than hoped for.

No module in evgrade/ over 400 lines, no function over cyclomatic complexity
15 (radon's measure, the one `radon cc` prints), and only the modules
docs/architecture.md names at the top level of the package.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from radon.complexity import cc_visit

PACKAGE = Path(__file__).resolve().parents[1] / "evgrade"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 400
MAX_COMPLEXITY = 15
TOP_LEVEL = {"__init__.py", "cli.py", "pipeline.py", "models.py", "errors.py", "config.py"}
STAGES = {"read", "claims", "link", "grade", "report", "bib", "resolve", "evaluate"}


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_module_is_short_and_its_functions_simple(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_LINES, f"{_name(path)} has {source.count(chr(10))} lines"
    tangled = [f"{block.fullname} ({block.complexity})" for block in cc_visit(source)
               if block.complexity > MAX_COMPLEXITY]
    assert not tangled, f"{_name(path)}: over complexity {MAX_COMPLEXITY}: {', '.join(tangled)}"


def test_top_level_holds_only_the_named_modules_and_private_helpers() -> None:
    modules = {p.name for p in PACKAGE.glob("*.py")}
    assert modules - TOP_LEVEL == {m for m in modules - TOP_LEVEL if m.startswith("_")}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages - {"rubrics"} == STAGES


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_every_stage_opens_with_what_it_takes_and_gives(stage: str) -> None:
    import ast

    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 25, f"evgrade/{stage}/__init__.py needs its opening paragraph"


def test_patterns_are_compiled_through_the_kept_programs() -> None:
    # evgrade/_patterns.py keeps compiled programs between runs; a module that calls
    # re.compile itself pays for its patterns on every start-up
    import re

    direct = re.compile(r"\bre\.compile\b|from re import[^\n]*\bcompile\b")
    found = [_name(p) for p in MODULES if p.name != "_patterns.py" and direct.search(p.read_text(encoding="utf-8"))]
    assert found == []
