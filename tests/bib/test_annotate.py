"""``evgrade annotate``: evgrade's judgement written into a .bib as evgrade-* fields, once."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from evgrade import pipeline
from evgrade.bib import load_bibliography
from evgrade.bib.annotate import CHECKED, entry_changes, plan_edits, unified_diff, write_edit
from evgrade.bib.reference import JUDGEMENT_FIELDS
from evgrade.cli import main
from evgrade.errors import BibWriteError, InputError
from evgrade.grade.designs import detect_design

ROOT = Path(__file__).resolve().parents[2]
BIB = ROOT / "references.bib"
BBT = ROOT.parent / "shared" / "fixtures" / "bibtex" / "bbt-import"
CSL = ROOT.parent / "shared" / "fixtures" / "csl"


def annotate(path: Path, today: str = "2026-01-01", **options) -> list:
    return pipeline.annotate_bibliography(pipeline.Options(bibliographies=(path,), **options),
                                          today=today)


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    shutil.copy(BIB, tmp_path / "references.bib")
    return tmp_path / "references.bib"


# ------------------------------------------------------------ which fields change

def test_checked_is_written_only_with_another_change_or_a_new_rubric() -> None:
    wanted = {"evgrade-design": "cohort-study", "evgrade-level": "review"}
    stamp = "2026-01-02; rubric default"
    assert entry_changes({}, wanted, checked=stamp) == {**wanted, CHECKED: stamp}
    same = {**wanted, CHECKED: "2025-05-05; rubric default"}
    assert entry_changes(same, wanted, checked=stamp) == {}
    assert entry_changes(same, wanted, checked="2026-01-02; rubric medrs") == \
        {CHECKED: "2026-01-02; rubric medrs"}
    assert entry_changes(same, {**wanted, "evgrade-level": "trial"}, checked=stamp) == \
        {"evgrade-level": "trial", CHECKED: stamp}
    # a field that should no longer be there is removed; one never there stays absent
    assert entry_changes({**same, "evgrade-design-evidence": "x"},
                         {**wanted, "evgrade-design-evidence": None}, checked=stamp) == \
        {"evgrade-design-evidence": None, CHECKED: stamp}
    assert entry_changes(same, {**wanted, "evgrade-design-evidence": None}, checked=stamp) == {}
    with pytest.raises(ValueError):
        entry_changes({}, {"studydesign": "rct"}, checked=stamp)  # never a person's field


def test_annotate_writes_only_evgrade_fields_and_a_second_run_changes_nothing(bib: Path) -> None:
    before = bib.read_bytes()
    (edit,) = annotate(bib)
    assert edit.refused == () and len(edit.changed) == len(load_bibliography([bib]))
    assert write_edit(edit) and bib.read_bytes() == edit.after
    after = load_bibliography([bib])
    for key, ref in load_bibliography([BIB]).entries.items():
        new = after.entries[key]
        added = {k: v for k, v in new.fields.items() if k not in ref.fields}
        assert set(added) <= set(JUDGEMENT_FIELDS) and CHECKED in added
        assert {k: new.fields[k] for k in ref.fields} == ref.fields  # nothing else moved
        assert added[CHECKED] == "2026-01-01; rubric default"
        assert new.study_design == ref.study_design  # studydesign is read, never written
        assert detect_design(new) == detect_design(ref)  # its own output is no statement
    # the same judgement on another day: nothing changes, evgrade-checked included
    (again,) = annotate(bib, today="2026-02-02")
    assert not again.changes_bytes and again.changed == () and again.unchanged == len(after)
    assert not write_edit(again) and unified_diff(again) == ""
    assert before != bib.read_bytes()


def test_a_changed_judgement_updates_its_fields_and_the_date(bib: Path) -> None:
    write_edit(annotate(bib)[0])
    (edit,) = annotate(bib, today="2026-03-03", rubric="medrs")
    assert edit.changed and edit.changes_bytes
    diff = unified_diff(edit)
    removed = [l for l in diff.splitlines() if l.startswith("-") and not l.startswith("---")]
    added = [l for l in diff.splitlines() if l.startswith("+") and not l.startswith("+++")]
    assert all("evgrade-" in line for line in removed + added)
    assert any("evgrade-checked = {2026-03-03; rubric medrs}" in line for line in added)


def test_an_evgrade_field_the_user_changed_is_set_back_and_other_fields_stay(bib: Path) -> None:
    write_edit(annotate(bib)[0])
    text = bib.read_text(encoding="utf-8")
    tampered = text.replace("evgrade-level = {trial}", "evgrade-level = {gold}", 1)
    bib.write_text(tampered, encoding="utf-8")
    (edit,) = annotate(bib, today="2026-04-04")
    assert len(edit.changed) == 1
    diff = unified_diff(edit)
    assert "-  evgrade-level = {gold}," in diff and "+  evgrade-level = {trial}," in diff
    assert "+  evgrade-checked = {2026-04-04; rubric default}" in diff


def test_a_design_written_by_hand_into_evgrade_design_is_not_believed(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("@article{Case2019,\n  title = {Ketamine for refractory status epilepticus: "
                    "a case report},\n  journal = {Epilepsia},\n  year = {2019},\n"
                    "  evgrade-design = {randomized-controlled-trial},\n"
                    "  evgrade-design-source = {field}\n}\n", encoding="utf-8")
    ref = load_bibliography([path]).entries["Case2019"]
    assert ref.study_design == "" and detect_design(ref).design == "case-report"
    (edit,) = annotate(path)
    assert b"evgrade-design = {case-report}" in edit.after
    assert b"evgrade-design-source = {title}" in edit.after


def test_crossref_children_do_not_inherit_their_parent_s_judgement(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("@inproceedings{child,\n  title = {A randomized trial of ketamine},\n"
                    "  crossref = {parent}\n}\n\n@proceedings{parent,\n  title = {Proceedings},\n"
                    "  year = {2020},\n  evgrade-level = {none}\n}\n", encoding="utf-8")
    child = load_bibliography([path]).entries["child"]
    assert child.fields["year"] == "2020" and "evgrade-level" not in child.fields


# ------------------------------------------------------------ refusals

BROKEN = """@article{good1,
  title = {A randomized controlled trial of ketamine},
  journal = {Journal}, year = {2020}
}

@article{broken,
  title = {Missing comma}
  year = {2020}
}

@article{twice,
  title = {First copy}
}

@article{Twice,
  title = {Second copy, other case}
}

@article{doubled,
  title = {An evgrade field written twice by hand},
  evgrade-level = {trial},
  evgrade-level = {review}
}

@article{good2,
  title = {Another randomized controlled trial},
  journal = {Journal}, year = {2021}
}
"""


def test_entries_it_cannot_edit_are_refused_and_the_rest_is_annotated(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(BROKEN, encoding="utf-8")
    (edit,) = annotate(path)
    assert set(edit.changed) == {"good1", "good2"}
    reasons = {r.key: r for r in edit.refused}
    assert set(reasons) == {"broken", "Twice", "doubled"}
    assert "cannot be parsed" in reasons["broken"].reason and reasons["broken"].line == 6
    assert "neither copy is annotated" in reasons["Twice"].reason
    assert "2 times" in reasons["doubled"].reason  # the writer's own refusal, pinned to its entry
    assert write_edit(edit)
    again = load_bibliography([path])
    assert again.entries["good1"].fields["evgrade-design"] == "randomized-controlled-trial"
    assert "evgrade-design" not in again.entries["twice"].fields
    assert main(["annotate", "--bib", str(path), "--write"]) == 2  # partly done: exit 2


def test_csl_files_are_never_written(tmp_path: Path) -> None:
    path = CSL / "Pandoc-LaTeX-SCHOMD Citation Export.csl.json"
    with pytest.raises(BibWriteError, match="CSL files are read, never written"):
        annotate(path)
    assert main(["annotate", "--bib", str(path), "--diff"]) == 2


def test_a_file_changed_since_it_was_read_is_not_overwritten(bib: Path) -> None:
    (edit,) = annotate(bib)
    bib.write_bytes(bib.read_bytes() + b"\n% edited meanwhile\n")
    with pytest.raises(InputError, match="changed on disk"):
        write_edit(edit)
    assert bib.read_bytes().endswith(b"% edited meanwhile\n")


def test_backup_keeps_the_old_bytes(bib: Path) -> None:
    before = bib.read_bytes()
    assert write_edit(annotate(bib)[0], backup=True)
    assert (bib.parent / "references.bib.bak").read_bytes() == before


def test_a_symbolic_link_stays_a_link_to_the_annotated_file(bib: Path) -> None:
    link = bib.parent / "link.bib"
    link.symlink_to(bib.name)
    (edit,) = annotate(link)
    assert write_edit(edit, backup=True)
    assert link.is_symlink() and bib.read_bytes() == edit.after
    assert (bib.parent / "references.bib.bak").read_bytes() == edit.before


# ------------------------------------------------------------ the command line

def test_cli_modes(bib: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(bib.parent)
    before = bib.read_bytes()
    assert main(["annotate", "--bib", str(bib)]) == 0
    err = capsys.readouterr().err
    assert "29 entries to annotate" in err and "--write" in err and bib.read_bytes() == before
    assert main(["annotate", "--bib", str(bib), "--diff"]) == 0
    diff = capsys.readouterr().out
    assert diff.startswith(f"--- {bib}\n+++ {bib}\n") and bib.read_bytes() == before
    assert main(["annotate", "--bib", str(bib), "--write", "--backup"]) == 0
    assert bib.read_bytes() != before and (bib.parent / "references.bib.bak").exists()
    # the diff printed before is what was written
    import subprocess

    copy = bib.parent / "copy.bib"
    copy.write_bytes(before)
    patched = subprocess.run(["patch", "-s", "-o", "-", str(copy)], input=diff.encode(),
                             capture_output=True, check=False)
    if patched.returncode == 0:  # patch(1) is there
        assert patched.stdout == bib.read_bytes()
    assert main(["annotate", "--bib", str(bib), "--write"]) == 0
    assert "0 entries annotated, 29 unchanged" in capsys.readouterr().err
    assert main(["annotate", "--bib", str(bib), "--backup"]) == 2  # --backup needs --write
    assert main(["annotate", "--bib", str(bib), "--format", "csv"]) == 2  # needs --zotero-extra


def test_cli_zotero_extra_reads_csl_too(capsys) -> None:
    path = CSL / "BBT CSL JSON; Do not use shortTitle and journalAbbreviation #372.csl.json"
    assert main(["annotate", "--bib", str(path), "--zotero-extra"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "== Olson2006 (Olson 2006)"
    assert all(line.startswith("tex.evgrade-") for line in out[1:] if line)
    assert main(["annotate", "--bib", str(path), "--zotero-extra", "-f", "csv"]) == 0
    assert capsys.readouterr().out.startswith("citation-key,extra\r\nOlson2006,")


def test_nothing_is_written_when_the_writer_refuses_a_value(tmp_path: Path) -> None:
    # evidence words are reduced to characters that read back unchanged: braces,
    # backslashes and dollars in a title never reach the file
    path = tmp_path / "refs.bib"
    path.write_text("@article{odd,\n  title = {A {\\em randomized} trial of \\$5 {vouchers}: 50\\%"
                    " responded},\n  journal = {J}, year = {2020}\n}\n", encoding="utf-8")
    (edit,) = annotate(path)
    assert edit.refused == () and write_edit(edit)
    written = load_bibliography([path]).entries["odd"].fields
    assert written["evgrade-design-evidence"] == "randomized trial"
    assert not any(c in written["evgrade-design-evidence"] for c in "{}\\$")
    (again,) = annotate(path)
    assert not again.changes_bytes


def test_plan_edits_with_no_entries_edits_no_file(tmp_path: Path) -> None:
    assert plan_edits([str(tmp_path / "none.bib")], [], [], checked="2026-01-01; rubric x") == []
    assert os.listdir(tmp_path) == []
    json.dumps([])  # keep the import honest


def test_ignored_finding_codes_do_not_hide_a_refusal(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(BROKEN, encoding="utf-8")
    (edit,) = annotate(path, ignore=frozenset({"EV302", "EV303"}))
    assert {r.key for r in edit.refused} == {"broken", "Twice", "doubled"}


def test_no_reader_of_a_person_s_statement_reads_evgrade_s_own_fields() -> None:
    # the fields a design or a fact is read from, as a person's word, never include the
    # ones evgrade writes: a second run must not take its own output for a statement
    from evgrade.bib.reference import DESIGN_FIELDS
    from evgrade.grade.designs import SECTION_FIELDS
    from evgrade.link.facts import FACT_FIELDS

    person = set(DESIGN_FIELDS) | set(SECTION_FIELDS) | set(FACT_FIELDS.values())
    assert person and not person & set(JUDGEMENT_FIELDS)
