"""The source registry and the per-source settings: built-ins, plugins, aliases, bad names."""

from __future__ import annotations

import sys

import pytest
from pydantic import ValidationError
from resolve_support import ELIFE_DOI, options, ref

from evgrade.errors import ConfigError
from evgrade.resolve import ResolveOptions, Source, resolve_references
from evgrade.resolve import registry as sources
from evgrade.resolve.interface import Settings


def offline(**kw) -> ResolveOptions:
    return ResolveOptions(**{"mailto": "", "ncbi_api_key": "", **kw})


def test_builtins_are_registered_in_their_order():
    assert sources.names() == ["pubmed", "crossref", "openalex", "search"]
    kinds = {s.name: set(s.kinds) for s in sources.ordered()}
    assert kinds == {"pubmed": {"pmid"}, "crossref": {"doi"}, "openalex": {"doi"},
                     "search": {"title"}}
    assert [sources.label(n) for n in sources.names()] == [
        "PubMed", "Crossref", "OpenAlex", "title search"]
    assert sources.get("search").host == "crossref"
    assert sources.label("not-installed") == "not-installed"  # a record from a report


def test_a_plugin_joins_through_its_entry_point(s2_plugin, tmp_path):
    assert sources.names() == ["pubmed", "crossref", "openalex", "search", "semanticscholar"]
    plugin = sources.get("semanticscholar")
    assert isinstance(plugin, Source) and plugin.label == "Semantic Scholar"
    # loaded from the distribution installed in tmp_path, not from the tests folder
    assert sys.modules[type(plugin).__module__].__file__.startswith(str(tmp_path / "site"))
    # on by default, after the built-ins; chosen by name like any source
    assert [s.name for s in sources.active(None)][-1] == "semanticscholar"
    assert [s.name for s in sources.active(("semanticscholar",))] == ["semanticscholar"]
    assert offline(sources=("crossref", "semanticscholar")).sources == ("crossref", "semanticscholar")


def test_without_the_plugin_its_name_is_unknown():
    with pytest.raises(ConfigError, match=r"unknown resolver source 'semanticscholar' "
                                          r"\(known: pubmed, crossref, openalex, search\)"):
        offline(sources=("pubmed", "semanticscholar"))
    with pytest.raises(ConfigError, match="unknown resolver source 'nope'"):
        offline(source_settings={"nope": {"rps": 1}})


def test_an_unknown_source_slipped_past_validation_is_still_refused(tmp_path):
    opts = offline(cache_dir=tmp_path).model_copy(update={"sources": ("nope",)})
    with pytest.raises(ConfigError, match="unknown resolver source 'nope'"):
        resolve_references([ref("k", doi=ELIFE_DOI)], opts)


def _broken_plugin(site, line: str) -> None:
    info = site / "evgrade_broken-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evgrade-broken\nVersion: 0.1\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[evgrade.resolvers]\n{line}\n", encoding="utf-8")


@pytest.mark.parametrize(("line", "problem"), [
    ("ghost = evgrade_no_such_module:Ghost", "cannot load it: ModuleNotFoundError"),
    ("notasource = json:dumps", "not an evgrade.resolve.Source"),
    ("crossref = evgrade.resolve.crossref:Crossref", "'crossref' is already a source"),
    ("other = evgrade.resolve.crossref:Crossref", "its name is 'crossref', not 'other'"),
])
def test_a_broken_plugin_is_a_config_error_naming_it(tmp_path, monkeypatch, line, problem):
    _broken_plugin(tmp_path / "site", line)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(sources, "REGISTRY", sources.new_registry())
    name = line.split(" =")[0]
    with pytest.raises(ConfigError) as info:
        sources.names()
    assert str(info.value).startswith(f"resolver plugin '{name}' (")
    assert "from evgrade-broken" in str(info.value) and problem in str(info.value)
    with pytest.raises(ConfigError):  # every later use says so too, not just the first
        sources.get("pubmed")


def test_old_fields_are_aliases_for_source_settings(monkeypatch):
    old = offline(pubmed_url="http://localhost:1/eutils/", crossref_rps=2, crossref_list_rps=0.5,
                  openalex_rps=7, pubmed_rps=4)
    new = offline(source_settings={"pubmed": {"url": "http://localhost:1/eutils/", "rps": 4},
                                   "crossref": {"rps": 2, "list_rps": 0.5},
                                   "openalex": {"rps": 7}})
    for name in ("pubmed", "crossref", "openalex", "search"):
        assert old.settings(name) == new.settings(name)
    assert old.settings("pubmed") == Settings(url="http://localhost:1/eutils", rps=4.0,
                                              list_rps=None, concurrency=3, api_key="")
    assert (old.rate("crossref"), old.list_rate("crossref"), old.base_url("pubmed")) == (
        2.0, 0.5, "http://localhost:1/eutils")
    # the title search uses Crossref's URL and limits
    assert old.settings("search") == old.settings("crossref")
    # unset = the source's default for the credentials
    assert old.base_url("crossref") == "https://api.crossref.org"
    assert offline(ncbi_api_key="k").settings("pubmed").rps == 10.0
    monkeypatch.setenv("NCBI_API_KEY", "from-env")  # the alias's default...
    keyed = ResolveOptions(mailto="", source_settings={"pubmed": {"api_key": "k"}})
    assert keyed.settings("pubmed").api_key == "k"     # ...loses to the explicit setting


def test_settings_are_validated():
    with pytest.raises(ValidationError, match="crossref_rps=2.0 and source_settings"):
        offline(crossref_rps=2, source_settings={"crossref": {"rps": 3}})
    with pytest.raises(ValidationError, match="ncbi_api_key='' and source_settings"):
        offline(source_settings={"pubmed": {"api_key": "k"}})
    with pytest.raises(ValidationError, match="greater than 0"):
        offline(source_settings={"crossref": {"rps": 0}})
    with pytest.raises(ValidationError, match="http:// or https:// URL"):
        offline(source_settings={"openalex": {"url": "ftp://example.org"}})
    with pytest.raises(ValidationError, match="http:// or https:// URL"):
        offline(pubmed_url="eutils.example.org")
    with pytest.raises(ValidationError, match="Extra inputs"):
        offline(source_settings={"crossref": {"speed": 3}})
    # agreeing twice is no conflict
    assert offline(crossref_rps=2, source_settings={"crossref": {"rps": 2}}).rate("crossref") == 2.0


def test_a_plugin_gets_its_own_settings(s2_plugin, monkeypatch):
    monkeypatch.setenv("S2_API_KEY", "from-env")
    default = offline().settings("semanticscholar")
    assert default == Settings(url="https://api.semanticscholar.org/graph/v1", rps=1.0,
                               list_rps=None, concurrency=1, api_key="from-env")
    given = offline(source_settings={"semanticscholar": {
        "url": "http://localhost:9/s2", "rps": 5, "concurrency": 2, "api_key": "given"}})
    assert given.settings("semanticscholar") == Settings(
        url="http://localhost:9/s2", rps=5.0, list_rps=None, concurrency=2, api_key="given")


def test_every_source_uses_the_caller_url(httpserver, resolve_clock, tmp_path):
    # the helper's options set all three URLs through the aliases
    opts = options(httpserver, tmp_path)
    assert {n: opts.base_url(n) for n in ("pubmed", "crossref", "openalex")} == {
        "pubmed": httpserver.url_for("/eutils"), "crossref": httpserver.url_for("/crossref"),
        "openalex": httpserver.url_for("/openalex")}
