"""A claim naming the wrong source: made-up entries and articles, run through the whole pipeline.

The claims name a journal, a researcher or an institution; the bibliography holds the
study the figure comes from elsewhere. Suggestions are ranked by figure, population and
topic first and the named source second, and are never counted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evgrade.pipeline import Options, run

BIB = r"""
@article{Spray2021,
  author = {Okafor, Ada and Lind, Per},
  title = {Intranasal zolmitriptan for acute migraine in adults: a randomized trial},
  journal = {Headache},
  year = {2021},
  doi = {10.9999/made.up.1},
  evgrade-population = {adults with migraine},
  evgrade-n = {212},
  evgrade-result = {42.3\% pain-free at two hours}
}

@article{LancetMigraine,
  author = {Berg, Tove},
  title = {Oral triptans for migraine attacks in adults},
  journal = {The Lancet},
  year = {2020},
  doi = {10.9999/made.up.2},
  evgrade-population = {adults with migraine},
  evgrade-result = {31.0\% pain-free at two hours}
}

@article{LancetHeart,
  author = {Moreau, Claire},
  title = {Salt reduction and blood pressure in older adults},
  journal = {The Lancet},
  year = {2018},
  doi = {10.9999/made.up.3}
}

@article{SleepCohort,
  author = {Nakamura, Ken},
  title = {Melatonin and sleep onset in shift workers},
  journal = {Sleep Medicine},
  year = {2019},
  doi = {10.9999/made.up.4},
  evgrade-population = {shift workers with insomnia}
}
"""

ARTICLE = """A blog about headaches

In a study published in The Lancet, 42% of adults with migraine were pain-free two hours after using the spray.

A study published in The Lancet found that melatonin shortens sleep onset in shift workers with insomnia.

A study published in The Lancet found that salt reduction lowers blood pressure in older adults.
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("made-up")
    (folder / "refs.bib").write_text(BIB, encoding="utf-8")
    article = folder / "headaches.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    return run([article], Options(bibliographies=(folder / "refs.bib",)))


def _claim(report, words: str):
    return next(gc for a in report.articles for gc in a.claims if words in gc.claim.text)


def _messages(report, gc, code: str) -> list[str]:
    return [f.message for f in report.findings if f.claim_id == gc.claim.id and f.code == code]


def test_the_figure_and_population_match_an_entry_of_another_journal(report) -> None:
    gc = _claim(report, "42% of adults with migraine")
    keys = [l.key for l in gc.links]
    assert {l.via for l in gc.links} == {"suggested"} and gc.grade == report.levels[-1]
    assert keys[0] == "Spray2021" and keys[-1] == "LancetMigraine" and "LancetHeart" not in keys
    (message,) = _messages(report, gc, "EV214")
    assert message == ("figure and population match Spray2021 (Headache), not the named Lancet; "
                       "the named journal's LancetMigraine reports 31.0% pain-free at two hours")
    assert message in gc.flags
    # suggestions are never counted: nothing traces the claim
    assert not gc.traceable and "EV201" in {f.code for f in report.findings if f.claim_id == gc.claim.id}


def test_no_entry_of_the_named_journal_is_about_the_claim(report) -> None:
    gc = _claim(report, "melatonin shortens sleep onset")
    assert [l.key for l in gc.links] == ["SleepCohort"]
    (message,) = _messages(report, gc, "EV214")
    assert message == ("the topic matches SleepCohort (Sleep Medicine), not the named Lancet; "
                       "no Lancet entry in the bibliography is about this claim's topic")


def test_an_attribution_that_holds_is_not_a_finding(report) -> None:
    gc = _claim(report, "salt reduction lowers blood pressure")
    assert [l.key for l in gc.links] == ["LancetHeart"]
    assert gc.links[0].match is not None and gc.links[0].match.source_matches
    assert _messages(report, gc, "EV214") == []
