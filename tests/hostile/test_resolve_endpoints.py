"""Where lookups go: endpoint URLs and sources from the command line, the environment and a
project file, and what a repository's project file may not do with them.

Before: ``[tool.evgrade.resolve]`` was refused ("Extra inputs are not permitted"),
``EVGRADE_PUBMED_URL`` and friends were ignored, and there was no ``--source``: the
endpoints could only be moved from Python. Now (docs/resolution.md, Configuration):
command line > environment > project file > defaults. A project file is a
repository's: a source it moves elsewhere gets no API key and no contact address
from the user's environment and is named in a warning; for a source it leaves
where it is, it may lower the rates but not raise them.
"""

from __future__ import annotations

import json

import pytest
from resolve_support import ELIFE_DOI, REVIEW_PMID, options, ref, requests_to

from evgrade.cli import main
from evgrade.errors import ConfigError, EvgradeWarning
from evgrade.resolve import ResolveOptions, registry, resolve_references
from evgrade.resolve.layers import ProjectResolve

ELIFE_TITLE = ("Automated quantitative histology reveals vascular morphodynamics during "
               "Arabidopsis hypocotyl secondary growth")
BIB = f"""@article{{review, title = {{The treatment of AIDS behind the walls of correctional
  facilities}}, author = {{Olivero, J. Michael}}, year = {{1990}}, pmid = {{{REVIEW_PMID}}}}}

@article{{elife, title = {{{ELIFE_TITLE}}}, author = {{Sankar, Martial}}, year = {{2014}},
  doi = {{{ELIFE_DOI}}}}}
"""
SERVED = {"pubmed": "/eutils", "crossref": "/crossref", "openalex": "/openalex"}


@pytest.fixture
def project(tmp_path, monkeypatch, resolve_api, resolve_clock):
    """A project folder whose sources' *defaults* are unserved paths of the local server:
    a lookup that goes to a default instead of the configured URL shows in the log."""
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVGRADE_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("EVGRADE_MAILTO", "NCBI_API_KEY", "EVGRADE_DEBUG", "EVGRADE_SOURCES",
                 "EVGRADE_PUBMED_URL", "EVGRADE_CROSSREF_URL", "EVGRADE_OPENALEX_URL"):
        monkeypatch.delenv(name, raising=False)
    for source in registry.ordered():
        if not source.host:
            monkeypatch.setattr(source, "url", resolve_api.url_for(f"/default/{source.name}"))
    return tmp_path


def write_config(folder, body: str) -> None:
    (folder / "pyproject.toml").write_text(f"[tool.evgrade]\nbibliography = \"refs.bib\"\n{body}",
                                           encoding="utf-8")


def served(name: str, server) -> str:
    return server.url_for(SERVED[name])


def resolve_json(capsys, *args: str) -> tuple[int, dict, str]:
    code = main(["resolve", "-f", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


def test_project_file_sets_urls_and_sources(project, resolve_api, capsys):
    write_config(project, f"""[tool.evgrade.resolve]
sources = ["crossref", "openalex"]
crossref-url = "{served('crossref', resolve_api)}"
openalex-url = "{served('openalex', resolve_api)}"
""")
    code, payload, err = resolve_json(capsys)
    assert code == 0, err
    assert payload["resolutions"]["elife"]["status"] == "verified"
    assert payload["resolutions"]["review"]["status"] == "unverified"  # PubMed not asked
    assert requests_to(resolve_api, "/default") == []
    assert requests_to(resolve_api, "/eutils") == []
    # the answers' origin is said, one line per moved source
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("evgrade: warning: ") for line in lines)
    assert "Crossref lookups go to " + served("crossref", resolve_api) in lines[0]
    assert str(project / "pyproject.toml") in lines[0]


def test_environment_beats_the_project_file_and_the_command_line_beats_both(
        project, resolve_api, monkeypatch, capsys):
    write_config(project, f"""[tool.evgrade.resolve]
sources = ["pubmed"]
crossref-url = "{resolve_api.url_for('/project/crossref')}"
""")
    monkeypatch.setenv("EVGRADE_CROSSREF_URL", served("crossref", resolve_api))
    monkeypatch.setenv("EVGRADE_OPENALEX_URL", served("openalex", resolve_api))
    monkeypatch.setenv("EVGRADE_PUBMED_URL", served("pubmed", resolve_api))
    monkeypatch.setenv("EVGRADE_SOURCES", "crossref,openalex")
    code, payload, err = resolve_json(capsys)
    assert code == 0 and err == ""  # nothing moved by the project file is used
    assert payload["resolutions"]["elife"]["status"] == "verified"
    assert requests_to(resolve_api, "/project") == [] and requests_to(resolve_api, "/eutils") == []

    asked_crossref = len(requests_to(resolve_api, "/crossref"))
    code, payload, err = resolve_json(capsys, "--source", "pubmed", "--source", "openalex")
    assert code == 0, err
    assert payload["resolutions"]["review"]["status"] == "verified"
    assert {r["source"] for r in payload["resolutions"]["elife"]["records"]} == {"openalex"}
    assert len(requests_to(resolve_api, "/crossref")) == asked_crossref  # not asked this time


def test_a_source_the_project_moves_gets_no_key_and_no_contact(project, resolve_api, monkeypatch,
                                                                capsys):
    write_config(project, f"""[tool.evgrade.resolve]
sources = ["pubmed"]
pubmed-url = "{served('pubmed', resolve_api)}"
""")
    monkeypatch.setenv("NCBI_API_KEY", "USER-SECRET-KEY")
    monkeypatch.setenv("EVGRADE_MAILTO", "user@example.org")
    code, payload, err = resolve_json(capsys)
    assert code == 0 and payload["resolutions"]["review"]["status"] == "verified"
    [efetch] = requests_to(resolve_api, "/eutils/efetch.fcgi")
    assert "api_key" not in efetch.args and "email" not in efetch.args
    assert "mailto" not in efetch.headers["User-Agent"]
    assert "PubMed lookups go to" in err

    # moved by the user's own environment instead: the key goes with it
    monkeypatch.setenv("EVGRADE_PUBMED_URL", served("pubmed", resolve_api))
    code, payload, err = resolve_json(capsys, "--refresh")
    efetch = requests_to(resolve_api, "/eutils/efetch.fcgi")[-1]
    assert efetch.args["api_key"] == "USER-SECRET-KEY" and efetch.args["email"] == "user@example.org"
    assert err == ""


def test_a_project_may_slow_a_source_down_but_not_speed_it_up():
    faster = ProjectResolve(file="pyproject.toml", source_settings={
        "crossref": {"rps": 100, "list_rps": 50, "concurrency": 20}, "openalex": {"rps": 2}})
    opts = ResolveOptions(mailto="", ncbi_api_key="", project=faster)
    crossref = opts.settings("crossref")
    assert (crossref.rps, crossref.list_rps, crossref.concurrency) == (5.0, 1.0, 1)  # public pool
    assert opts.settings("openalex").rps == 2.0
    # the user may (their own environment, or the caller)
    mine = ResolveOptions(mailto="", ncbi_api_key="", project=faster,
                          source_settings={"crossref": {"rps": 100}})
    assert mine.settings("crossref").rps == 100.0


def test_environment_settings_reach_the_library(monkeypatch):
    monkeypatch.setenv("EVGRADE_PUBMED_URL", "http://mirror.example.org/eutils/")
    monkeypatch.setenv("EVGRADE_CROSSREF_LIST_RPS", "0.5")
    opts = ResolveOptions(mailto="", ncbi_api_key="")
    assert opts.base_url("pubmed") == "http://mirror.example.org/eutils"
    assert opts.list_rate("crossref") == 0.5
    # the caller's value wins, as before
    assert ResolveOptions(pubmed_url="http://localhost:1/e").base_url("pubmed") == "http://localhost:1/e"


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("EVGRADE_OPENALEX_RPS", "fast", "EVGRADE_OPENALEX_RPS='fast': Input should be a valid number"),
    ("EVGRADE_CROSSREF_URL", "ftp://x", "EVGRADE_CROSSREF_URL='ftp://x'"),
    ("EVGRADE_SOURCES", "crossref,nope", "EVGRADE_SOURCES: unknown resolver source 'nope'"),
])
def test_a_bad_environment_value_is_a_config_error_naming_it(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        ResolveOptions()


@pytest.mark.parametrize(("body", "message"), [
    ('crossref-url = "ftp://example.org"', "resolve.crossref-url: Value error, must be an http"),
    ('sources = []', "resolve.sources: "),
    ('sources = ["nope"]', "[tool.evgrade.resolve] unknown resolver source 'nope'"),
    ('[tool.evgrade.resolve.source-settings.crossref]\napi-key = "k"',
     "resolve.source-settings.crossref.api-key: Extra inputs are not permitted"),
    ('crossref-url = "http://a.example"\n[tool.evgrade.resolve.source-settings.crossref]\n'
     'url = "http://b.example"', "crossref-url and source-settings.crossref.url disagree"),
])
def test_a_bad_project_value_is_exit_2_naming_the_file(project, capsys, body, message):
    header = "" if body.startswith("[") else "[tool.evgrade.resolve]\n"
    write_config(project, header + body + "\n")
    code = main(["resolve"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"evgrade: error: {project / 'pyproject.toml'}: ") and message in err
    assert len(err.splitlines()) == 1


def test_an_unknown_source_on_the_command_line_is_exit_2(project, capsys):
    write_config(project, "")
    assert main(["resolve", "--source", "nope"]) == 2
    assert "unknown resolver source 'nope'" in capsys.readouterr().err
    assert main(["score", "--source", "crossref", "refs.bib"]) == 2  # needs --resolve


def test_a_mirrors_answers_never_stand_in_for_the_authoritys(resolve_api, resolve_clock, tmp_path):
    """Crossref's per-DOI answers are stored per URL: what a project's mirror said is not
    what Crossref said."""
    entry = ref("elife", doi=ELIFE_DOI, title=ELIFE_TITLE, year="2014")
    mirror = ProjectResolve(file="pyproject.toml",
                            source_settings={"crossref": {"url": served("crossref", resolve_api)}})
    authority = options(resolve_api, tmp_path, sources=("crossref",),
                        crossref_url=resolve_api.url_for("/default/crossref"))
    with pytest.warns(EvgradeWarning, match="Crossref lookups go to"):
        moved = resolve_references([entry], authority.model_copy(update={
            "crossref_url": None, "project": mirror}))
    assert moved["elife"].status == "verified"
    offline = resolve_references([entry], authority.model_copy(update={"mode": "offline"}))
    assert offline["elife"].status == "unverified"


def test_a_plugin_source_is_set_like_the_built_ins(s2_plugin, s2_api, project, monkeypatch, capsys):
    write_config(project, f"""[tool.evgrade.resolve]
sources = ["semanticscholar"]

[tool.evgrade.resolve.source-settings.semanticscholar]
url = "{s2_api.url_for('/s2')}"
rps = 0.5
""")
    monkeypatch.setenv("S2_API_KEY", "USER-S2-KEY")
    code, payload, err = resolve_json(capsys)
    assert code == 1, err  # the recorded S2 answer does not know the eLife DOI: not found
    [batch] = requests_to(s2_api, "/s2/paper/batch")
    assert "x-api-key" not in batch.headers  # moved by the project file: no user key
    assert "Semantic Scholar lookups go to" in err
    opts = ResolveOptions(mailto="", project=ProjectResolve(
        file="pyproject.toml", source_settings={"semanticscholar": {"rps": 0.5}}))
    assert opts.settings("semanticscholar").rps == 0.5
    monkeypatch.setenv("EVGRADE_SEMANTICSCHOLAR_URL", s2_api.url_for("/s2"))
    env = ResolveOptions(mailto="")
    assert env.base_url("semanticscholar") == s2_api.url_for("/s2")
    assert env.settings("semanticscholar").api_key == "USER-S2-KEY"
