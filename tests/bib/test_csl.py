"""CSL-JSON and CSL-YAML bibliographies: the real Better BibTeX exports in
../shared/fixtures/csl (SOURCE.txt there: zotero-better-bibtex, MIT), their BibTeX and
BibLaTeX twins, and broken files written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from evgrade.bib import load_bibliography
from evgrade.bib.csl import is_csl
from evgrade.bib.identifiers import persistent_identifiers
from evgrade.grade.designs import detect_design
from evgrade.models import Reference

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CSL = SHARED / "fixtures" / "csl"
CSL_FILES = sorted(p for p in CSL.iterdir() if is_csl(p))
TWINS = sorted(CSL.glob("*.bib"))


def _raw_items(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return data["references"] if isinstance(data, dict) else data


def _csl_twins(twin: Path) -> list[Path]:
    stem = twin.name.rsplit(".", 2)[0]  # NAME.bibtex.bib / NAME.biblatex.bib
    return sorted(p for p in CSL.glob(f"{stem}.csl.*") if is_csl(p))


# ------------------------------------------------------------ every fixture

def test_the_csl_fixtures_are_there() -> None:
    assert len(CSL_FILES) >= 27 and len(TWINS) >= 5
    assert {p.suffix for p in CSL_FILES} == {".json", ".yml"}


@pytest.mark.parametrize("path", CSL_FILES, ids=lambda p: p.name[:60])
def test_every_csl_fixture_loads_every_item(path: Path) -> None:
    bib = load_bibliography([path])
    items = _raw_items(path)
    assert bib.findings == ()
    assert list(bib.entries) == [str(item["id"]) for item in items]
    for ref in bib.entries.values():
        assert ref.location is not None and ref.location.path == str(path)
        assert ref.location.line >= 1
        assert "<" not in ref.title and "**" not in ref.title  # rich text became plain


@pytest.mark.parametrize("twin", TWINS, ids=lambda p: p.name[:60])
def test_bibtex_twin_and_csl_export_give_the_same_keys_identifiers_and_designs(twin: Path) -> None:
    bib = load_bibliography([twin])
    assert bib.findings == ()
    twins = _csl_twins(twin)
    assert twins, f"no CSL export next to {twin.name}"
    for path in twins:
        csl = load_bibliography([path])
        assert set(csl.entries) == set(bib.entries), path.name
        for key, ref in bib.entries.items():
            other = csl.entries[key]
            assert persistent_identifiers(other) == persistent_identifiers(ref), key
            if "url" not in ref.fields:
                # Better BibTeX's BibTeX export leaves URLs out by default ("Add URLs to
                # BibTeX export": no); compare what both files hold
                other = _without_url(other)
            assert other.url == ref.url, key
            assert detect_design(other) == detect_design(ref), key


def _without_url(ref: Reference) -> Reference:
    fields = {k: v for k, v in ref.fields.items() if k != "url"}
    return ref.model_copy(update={"url": "", "fields": fields})


def test_the_bibtex_twin_really_lacks_the_urls_the_csl_export_has() -> None:
    name = "Setting the item type via the cheater syntax #587"
    bibtex = load_bibliography([CSL / f"{name}.bibtex.bib"])
    csl = load_bibliography([CSL / f"{name}.csl.json"])
    with_url = {k for k, r in csl.entries.items() if r.url}
    assert with_url == {"kamp_deconstructing_2006", "noauthor_object_nodate"}
    assert not any(bibtex.entries[k].url for k in with_url)
    # with the URL the online review reads as a web page, as its BibLaTeX twin does
    biblatex = load_bibliography([CSL / f"{name}.biblatex.bib"])
    assert detect_design(csl.entries["kamp_deconstructing_2006"]) == \
        detect_design(biblatex.entries["kamp_deconstructing_2006"])


# ------------------------------------------------------------ mapping

def test_identifiers_types_and_venues_are_mapped() -> None:
    bib = load_bibliography([CSL / "CSL exporters; ignore [Fields to omit from export] setting #1179.csl.json"])
    bmj = next(r for r in bib.entries.values() if r.pmid)
    assert bmj.pmid == "30894351" and bmj.url == "https://www.bmj.com/content/364/bmj.l1120"
    assert bmj.doi == "10/gfzxgh"  # a short DOI, kept as written (and invalid as a DOI)
    assert "doi" not in persistent_identifiers(bmj)
    assert bmj.entry_type == "article" and bmj.fields["csl-type"] == "article-journal"

    chapters = load_bibliography([CSL / "Export Error Unexpected date type #2303.csl.json"])
    peirce = chapters.entries["peirce1998"]
    assert peirce.entry_type == "incollection"
    assert peirce.fields["booktitle"].startswith("The Essential Peirce")
    assert peirce.isbn == "978-0-253-21190-3" and peirce.year == "1998"
    assert peirce.authors == ("Peirce, Charles S.",)

    yml = load_bibliography([CSL / "Pandoc-LaTeX-SCHOMD Citation Export.csl.yml"])
    berndt = yml.entries["Berndt1994"]
    assert berndt.doi == "10.1484/J.SE.2.303788" and berndt.venue == "Sacris Erudiri"
    assert "Prouerbia" in berndt.title and "*" not in berndt.title
    assert yml.entries["Wordsworth1883"].authors == ("Wordsworth, John",)  # the editor


def test_json_and_yaml_exports_of_the_same_items_agree() -> None:
    stem = CSL / "Pandoc-LaTeX-SCHOMD Citation Export"
    as_json = load_bibliography([f"{stem}.csl.json"])
    as_yaml = load_bibliography([f"{stem}.csl.yml"])
    assert list(as_json.entries) == list(as_yaml.entries)
    for key, ref in as_json.entries.items():
        other = as_yaml.entries[key]
        assert (ref.title, ref.year, ref.venue, ref.doi, ref.url, ref.authors, ref.entry_type) == \
            (other.title, other.year, other.venue, other.doi, other.url, other.authors,
             other.entry_type), key


def _zanos(tmp_path: Path, suffix: str, text: str) -> Reference:
    path = tmp_path / f"refs{suffix}"
    path.write_text(text, encoding="utf-8")
    bib = load_bibliography([path])
    assert bib.findings == ()
    return bib.entries["ZanosGould2018"]


# facts from ../shared/reference-facts/ketamine-verified.bib (entry [9])
ZANOS = {"id": "ZanosGould2018", "type": "article-journal",
         "author": [{"family": "Zanos", "given": "Panos"}, {"family": "Gould", "given": "Todd D."}],
         "title": "Mechanisms of ketamine action as an antidepressant",
         "container-title": "Molecular Psychiatry", "issued": {"date-parts": [[2018]]},
         "volume": "23", "issue": "4", "page": "801-811", "DOI": "10.1038/mp.2017.255",
         "PMID": "29532791", "PMCID": "PMC5999402", "studydesign": "narrative review"}


def test_pmid_pmcid_and_a_person_s_design_field_in_csl_json_and_yaml(tmp_path: Path) -> None:
    as_json = _zanos(tmp_path, ".json", json.dumps([ZANOS]))
    as_yaml = _zanos(tmp_path, ".yaml", yaml.safe_dump({"references": [ZANOS]}))
    for ref in (as_json, as_yaml):
        assert persistent_identifiers(ref) == {"doi": "10.1038/mp.2017.255", "pmid": "29532791",
                                               "pmcid": "PMC5999402"}
        assert ref.year == "2018" and ref.venue == "Molecular Psychiatry"
        assert ref.fields["pages"] == "801-811" and ref.fields["number"] == "4"
        assert ref.study_design == "narrative review"
        assert detect_design(ref).source == "field"


# ------------------------------------------------------------ broken input

def _load(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_bibliography([path])


def test_items_without_id_or_not_objects_are_findings_and_the_rest_loads(tmp_path: Path) -> None:
    text = '[\n {"id": "a", "type": "book", "title": "A"},\n "just text",\n' \
           ' {"type": "book", "title": "no key"},\n {"id": "b", "title": "B"}\n]\n'
    bib = _load(tmp_path, "refs.json", text)
    assert list(bib.entries) == ["a", "b"]
    assert bib.entries["b"].entry_type == "misc"  # no type: kept as misc
    assert [(f.code, f.line) for f in bib.findings] == [("EV303", 3), ("EV303", 4)]
    assert "not an object" in bib.findings[0].message and "no 'id'" in bib.findings[1].message


def test_invalid_json_keeps_the_items_before_the_error(tmp_path: Path) -> None:
    bib = _load(tmp_path, "refs.json", '[\n {"id": "a", "title": "A"},\n {"id": "b", "title": }\n]')
    assert list(bib.entries) == ["a"]
    (finding,) = bib.findings
    assert finding.code == "EV303" and finding.line == 3 and "not valid JSON" in finding.message


def test_yaml_errors_aliases_and_unsafe_tags_are_refused_as_findings(tmp_path: Path) -> None:
    bad = _load(tmp_path, "bad.yaml", "references:\n- id: a\n  title: [unclosed\n")
    assert len(bad) == 0 and bad.findings[0].code == "EV303"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "references: [{id: k, title: *b}]\n"
    aliased = _load(tmp_path, "bomb.yml", bomb)
    assert len(aliased) == 0 and "aliases" in aliased.findings[0].message
    marker = tmp_path / "ran"
    unsafe = _load(tmp_path, "unsafe.yaml", "references:\n- id: a\n  title: !!python/object/apply:"
                   f"os.system ['touch {marker}']\n")
    assert len(unsafe) == 0 and unsafe.findings[0].code == "EV303"
    assert not marker.exists()


def test_odd_but_valid_files(tmp_path: Path) -> None:
    assert len(_load(tmp_path, "empty.json", "")) == 0
    assert len(_load(tmp_path, "empty.yaml", "")) == 0
    single = _load(tmp_path, "one.json", '{"id": "solo", "title": "Alone"}')
    assert list(single.entries) == ["solo"]
    listed = _load(tmp_path, "items.json", '{"items": [{"id": 7, "title": "Seven"}]}')
    assert list(listed.entries) == ["7"]
    nothing = _load(tmp_path, "scalar.yaml", "42\n")
    assert len(nothing) == 0 and "no list of items" in nothing.findings[0].message
    deep = _load(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    assert len(deep) == 0 and deep.findings[0].code == "EV303"
    deep_yaml = _load(tmp_path, "deep.yaml", "references: " + "[" * 100_000 + "]" * 100_000)
    assert len(deep_yaml) == 0 and deep_yaml.findings[0].code == "EV303"


def test_duplicate_ids_across_csl_and_bibtex_are_reported_once(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([ZANOS, ZANOS]), encoding="utf-8")
    (tmp_path / "b.bib").write_text("@article{zanosgould2018, title = {Again}}\n", encoding="utf-8")
    bib = load_bibliography([tmp_path / "a.json", tmp_path / "b.bib"])
    assert list(bib.entries) == ["ZanosGould2018"]
    assert [f.code for f in bib.findings] == ["EV302", "EV302"]


# ------------------------------------------------------------ where a .bib is accepted

def test_pandoc_front_matter_and_config_name_csl_files(tmp_path: Path) -> None:
    from evgrade import pipeline

    (tmp_path / "refs.yaml").write_text(yaml.safe_dump({"references": [ZANOS]}), encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text("---\nbibliography: refs.yaml\n---\n\nKetamine acts on glutamate "
                     "signalling, a review found [@ZanosGould2018].\n", encoding="utf-8")
    report = pipeline.run([draft], pipeline.Options())
    assert report.bibliographies == (str(tmp_path / "refs.yaml"),)
    assert report.entries["ZanosGould2018"].design.source == "field"

    (tmp_path / "evgrade.toml").write_text('bibliography = "refs.json"\n', encoding="utf-8")
    (tmp_path / "refs.json").write_text(json.dumps([ZANOS]), encoding="utf-8")
    plain = tmp_path / "plain.md"
    plain.write_text("Ketamine acts on glutamate signalling [@ZanosGould2018].\n", encoding="utf-8")
    options = pipeline.Options.from_project(tmp_path)
    assert options.bibliographies == (tmp_path / "refs.json",)
    configured = pipeline.run([plain], options)
    assert configured.bibliographies == (str(tmp_path / "refs.json"),)
    assert configured.entries["ZanosGould2018"].identifiers["pmcid"] == "PMC5999402"


def test_a_value_over_the_size_cap_is_left_out_as_in_a_bib_file(tmp_path: Path) -> None:
    from evgrade.bib.parse import MAX_VALUE_CHARS

    item = {**ZANOS, "abstract": "x" * (MAX_VALUE_CHARS + 1)}
    bib = _load(tmp_path, "big.json", json.dumps([item]))
    ref = bib.entries["ZanosGould2018"]
    assert ref.abstract == "" and ref.doi == "10.1038/mp.2017.255"
    (finding,) = bib.findings
    assert finding.code == "EV306" and "'abstract'" in finding.message
