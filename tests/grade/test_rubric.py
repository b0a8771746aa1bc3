"""Rubrics: bundled files, lookups, and validation of malformed rubric files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from evgrade.errors import InputError, RubricError, UsageError
from evgrade.grade import rubric as rubric_mod
from evgrade.grade.rubric import STUDY_DESIGNS, Rubric, list_rubrics, load_rubric, parse_rubric
from evgrade.models import CLAIM_KINDS

REPO = Path(__file__).resolve().parents[2]
BAD = Path(__file__).resolve().parents[1] / "data" / "rubrics"
BUNDLED = ("default", "cebm", "medrs", "grade", "sort")


def test_bundled_rubrics_are_listed() -> None:
    assert set(BUNDLED) <= set(list_rubrics())


@pytest.fixture(scope="module")
def built_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a wheel's purelib holds: setuptools' build_py on the checkout's packaging config.

    Not a whole wheel: bdist_wheel needs the wheel package or a newer setuptools
    fetched into an isolated build, which a test must not download.
    """
    out = tmp_path_factory.mktemp("build") / "lib"
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(out)],
                   cwd=REPO, check=True, capture_output=True)
    return out


def test_the_package_ships_exactly_the_repo_rubrics(built_package: Path) -> None:
    repo = {p.name: p.read_bytes() for p in (REPO / "rubrics").iterdir()}
    shipped = {p.name: p.read_bytes() for p in (built_package / "evgrade" / "rubrics").iterdir()}
    assert shipped == repo and set(BUNDLED) <= {Path(n).stem for n in shipped}
    assert not (REPO / "evgrade" / "rubrics").exists()  # rubrics/ is the only copy in git


def test_an_installed_copy_finds_its_rubrics_outside_a_checkout(built_package: Path,
                                                                 tmp_path: Path) -> None:
    script = ("import evgrade, evgrade.grade.rubric as r; "
              "print(evgrade.__file__); print(r.RUBRICS); print(','.join(r.list_rubrics())); "
              "print(r.load_rubric('default').level_names)")
    env = {**os.environ, "PYTHONPATH": str(built_package)}
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, check=True,
                         capture_output=True, text=True)
    module, folder, names, levels = run.stdout.splitlines()
    assert Path(module).is_relative_to(built_package)
    assert Path(folder) == built_package / "evgrade" / "rubrics"
    assert names.split(",") == sorted(BUNDLED)
    assert levels == "('trial', 'review', 'anecdote', 'none')"


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_rubric_maps_every_design_once(name: str) -> None:
    r = load_rubric(name)
    assert r.name == name
    mapped = [d for level in r.levels for d in level.designs]
    assert len(mapped) == len(set(mapped))
    # every design evgrade can detect has a deliberate place; "unknown" goes by r.unknown
    assert set(mapped) == set(STUDY_DESIGNS) - {"unknown"}
    assert set(r.minimums) == set(CLAIM_KINDS)
    assert all(level.description for level in r.levels)
    assert r.minimum_for("other") == r.lowest  # "other" claims never need a citation


def test_default_rubric_levels_and_minimums() -> None:
    r = load_rubric("default")
    assert r.level_names == ("trial", "review", "anecdote", "none")
    assert r.lowest == "none" and r.best == "trial"
    assert [r.rank(n) for n in r.level_names] == [0, 1, 2, 3]
    # meta-analyses rank with trials, never below them
    assert r.level_for("meta-analysis") == "trial"
    assert r.level_for("randomized-controlled-trial") == "trial"
    assert r.level_for("narrative-review") == "review"
    # experiments in healthy volunteers do not show that a treatment helps patients
    assert r.level_for("healthy-volunteer-study") == "anecdote"
    # animal studies and uncontrolled trials do not show efficacy in patients
    assert r.level_for("preclinical") == "anecdote"
    assert r.level_for("preclinical", "efficacy") == r.level_for("preclinical", "safety") == "none"
    # ... but they are how mechanisms are shown: above opinion and web pages
    assert r.level_for("preclinical", "mechanism") == "review"
    assert r.rank(r.level_for("preclinical", "mechanism")) < r.rank(r.level_for("web-page", "mechanism"))
    assert r.level_for("healthy-volunteer-study", "mechanism") == "review"
    assert r.level_for("randomized-controlled-trial", "mechanism") == "trial"  # not listed: kept
    assert r.kind_levels("preclinical") == {"mechanism": "review", "efficacy": "none", "safety": "none"}
    assert r.kind_levels("meta-analysis") == {}
    assert r.small_study == 50
    assert r.level_for("open-label-trial") == "anecdote"
    assert r.level_for("unknown") == "anecdote"
    assert r.minimum_for("statistic") == "review"
    assert r.minimum_for("efficacy") == "review"
    assert r.minimum_for("mechanism") == "anecdote"
    assert r.needs_citation("statistic") and not r.needs_citation("other")
    assert r.at_least("trial", "review") and not r.at_least("anecdote", "review")


def test_medrs_puts_secondary_sources_first_and_rejects_animal_studies() -> None:
    r = load_rubric("medrs")
    assert r.level_for("systematic-review") == r.best
    assert r.rank(r.level_for("meta-analysis")) < r.rank(r.level_for("randomized-controlled-trial"))
    assert r.level_for("preclinical") == r.lowest


def test_cebm_ranks_systematic_reviews_over_trials_over_case_series() -> None:
    r = load_rubric("cebm")
    assert r.level_for("meta-analysis") == "level-1"
    assert r.level_for("randomized-controlled-trial") == "level-2"
    assert r.level_for("case-series") == "level-4"
    assert r.level_for("preclinical") == "level-5"
    assert r.level_for("web-page") == "none"


def test_rank_of_unknown_level_is_an_error() -> None:
    with pytest.raises(KeyError):
        load_rubric("default").rank("excellent")


def test_load_by_path_and_by_name_from_another_folder(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    by_path = load_rubric(REPO / "rubrics" / "medrs.toml")
    assert by_path.name == "medrs"
    assert rubric_mod.RUBRICS == REPO / "rubrics"  # a checkout reads its own rubrics/
    monkeypatch.chdir(tmp_path)
    assert load_rubric("default").level_names == ("trial", "review", "anecdote", "none")
    assert set(BUNDLED) <= set(list_rubrics())


def test_unknown_name_and_missing_path() -> None:
    with pytest.raises(UsageError) as err:
        load_rubric("nonesuch")
    assert "available: " in str(err.value) and "default" in str(err.value)
    with pytest.raises(InputError) as err2:
        load_rubric("nowhere/nonesuch.toml")
    assert str(err2.value) == "nowhere/nonesuch.toml: rubric file not found"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_rubric_path_that_is_no_file_is_named_for_what_it_is(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from evgrade import _files

    os.mkfifo(tmp_path / "pipe.toml")   # opened, it would wait for a writer forever
    (tmp_path / "folder.toml").mkdir()
    for name, kind in (("pipe.toml", "a FIFO (named pipe)"), ("folder.toml", "a directory")):
        with pytest.raises(InputError) as err:
            load_rubric(tmp_path / name)
        assert str(err.value) == f"{tmp_path / name}: is {kind}, not a rubric file"
    big = tmp_path / "big.toml"
    big.write_text((REPO / "rubrics" / "default.toml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(_files, "SETTINGS_LIMIT", big.stat().st_size - 1)
    with pytest.raises(InputError) as err:
        load_rubric(big)
    assert "rubric file is larger than the" in str(err.value)


def test_syntax_error_names_file_line_and_column() -> None:
    with pytest.raises(RubricError) as err:
        load_rubric(BAD / "bad-syntax.toml")
    e = err.value
    assert (e.line, e.col) == (5, 11)
    assert len(e.problems) == 1
    assert e.problems[0].endswith("bad-syntax.toml:5:11: TOML syntax error: Invalid value")
    assert "\n" not in str(e) and str(e).endswith("bad-syntax.toml:5:11: TOML syntax error: Invalid value")


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(RubricError) as err:
        load_rubric(BAD / "bad-references.toml")
    e = err.value
    assert e.path is not None and e.path.endswith("bad-references.toml")
    assert all(p.startswith(e.path + ": ") for p in e.problems)
    fields = sorted(p[len(e.path) + 2:] for p in e.problems)
    assert fields == sorted([
        "levels[0].designs[1]: 'rct' is not a known study design",
        "levels[1].weight: unknown field",
        "levels[2].label: expected a string, got 5",
        "levels[2].designs: expected a list, got 'preclinical'",
        "minimums.gossip: 'gossip' is not a claim kind (one of: statistic, efficacy, mechanism, "
        "safety, prevalence-history, other)",
        "colour: unknown field",
        "levels[1].designs[1]: 'randomized-controlled-trial' is already mapped by levels[0]",
        "levels[2].name: duplicate level name 'strong'",
        "unknown: 'middling' is not a level of this rubric",
        "minimums.statistic: 'excellent' is not a level of this rubric",
    ])
    assert "\n" not in str(e)


def test_too_few_levels_and_missing_field() -> None:
    with pytest.raises(RubricError) as err:
        load_rubric(BAD / "one-level.toml")
    tails = [p.split(".toml: ", 1)[1] for p in err.value.problems]
    assert tails == ["description: missing field", "levels: a rubric needs at least two levels"]


def test_not_utf8_is_a_rubric_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "caf\u00e9"\n'.encode("latin-1"))
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    assert "not UTF-8" in str(err.value)


def test_missing_minimum_means_no_citation_needed() -> None:
    r = parse_rubric("""
        name = "tiny"
        title = "Tiny"
        description = "Two levels."
        [[levels]]
        name = "good"
        label = "Good"
        description = "Trials."
        designs = ["randomized-controlled-trial"]
        [[levels]]
        name = "bad"
        label = "Bad"
        description = "The rest."
        [minimums]
        efficacy = "good"
    """, source="tiny.toml")
    assert r.minimum_for("efficacy") == "good"
    assert r.minimum_for("safety") == "bad" == r.lowest
    assert r.level_for("preclinical") == "bad"  # no unknown level: the lowest


def test_rubric_built_in_code_is_checked_too() -> None:
    levels = [{"name": "a", "label": "A", "description": "A."},
              {"name": "a", "label": "B", "description": "B."}]
    with pytest.raises(ValidationError, match="duplicate level name 'a'"):
        Rubric.model_validate({"name": "x", "title": "X", "description": "X.", "levels": levels})


def test_grade_and_sort_rubrics() -> None:
    grade = load_rubric("grade")
    assert grade.level_names == ("high", "moderate", "low", "very-low", "none")
    assert grade.level_for("randomized-controlled-trial") == "high"
    assert grade.level_for("controlled-trial") == "moderate"
    assert grade.level_for("open-label-trial") == "low"
    assert grade.level_for("healthy-volunteer-study") == "very-low"
    assert grade.level_for("healthy-volunteer-study", "mechanism") == "moderate"
    assert grade.level_for("preclinical", "efficacy") == "none"
    sort = load_rubric("sort")
    assert sort.level_names == ("A", "B", "C", "none")
    assert sort.level_for("meta-analysis") == "A" and sort.level_for("cohort-study") == "B"
    # disease-oriented evidence: physiology, not outcomes in patients
    assert sort.level_for("preclinical") == sort.level_for("healthy-volunteer-study") == "C"
    assert sort.level_for("web-page") == "none"


def test_kind_ladder_problems_are_reported_with_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "ladders.toml"
    path.write_text("""
name = "ladders"
title = "Ladders"
description = "Two levels and broken ladders."
small-study = 0
[[levels]]
name = "good"
label = "Good"
description = "Trials."
designs = ["randomized-controlled-trial"]
[[levels]]
name = "bad"
label = "Bad"
description = "The rest."
[kinds.mechanics]
place = { preclinical = "good" }
[kinds.mechanism]
place = { rct = "good", preclinical = "great" }
unknown = "middling"
colour = "red"
""", encoding="utf-8")
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    tails = sorted(p.split("ladders.toml: ", 1)[1] for p in err.value.problems)
    assert tails == sorted([
        "kinds.mechanics: 'mechanics' is not a claim kind (one of: statistic, efficacy, mechanism, "
        "safety, prevalence-history, other)",
        "kinds.mechanism.place.rct: 'rct' is not a known study design",
        "kinds.mechanism.colour: unknown field",
        "kinds.mechanism.place.preclinical: 'great' is not a level of this rubric",
        "kinds.mechanism.unknown: 'middling' is not a level of this rubric",
        "small-study: input should be greater than or equal to 1 (got 0)",
    ])
