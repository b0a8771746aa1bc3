"""A realistic Report built by hand for the output-format tests.

Claim texts and positions come from the bundled articles, keys and
identifiers from shared/reference-facts/ketamine-verified.bib. The grades,
links and flags are what the later stages would plausibly produce; they are
test input, not statements about the studies.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from evgrade._findings import make
from evgrade._text import LineIndex
from evgrade.bib import load_bibliography
from evgrade.models import (
    ArticleReport,
    ArticleSummary,
    Attribution,
    Claim,
    Cue,
    DesignCall,
    EntryAssessment,
    GradedClaim,
    Link,
    ReferenceSummary,
    Report,
    Span,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BIB = SHARED / "reference-facts" / "ketamine-verified.bib"
LEVELS = ("trial", "review", "anecdote", "none")

OPTION = "articles/ketamine-as-a-treatment-option-for-depression-and-anxiety.txt"
WHY = "articles/why-does-ketamine-therapy-work.txt"
UNDERSTANDING = "articles/understanding-the-science-behind-ketamine-therapy.txt"

STAT_70 = ("For example, in a study published in the Journal of Psychiatric Research, 70% of "
           "patients with treatment-resistant depression showed significant improvement after "
           "receiving ketamine treatment.")
BIOL_PSYCH = ("In another study published in Biological Psychiatry, researchers found that "
              "ketamine was effective in reducing symptoms of anxiety in patients with "
              "generalized anxiety disorder.")
FASTER = ("Moreover, unlike traditional antidepressants, which can take weeks or even months to "
          "show any effect, ketamine works much faster, typically providing relief within hours.")
SYNAPSES = ("The growth of new synapses in the brain that results from this increase is thought "
            "to be responsible for ketamine’s antidepressant effects.")
NMDA = ("Studies have shown that ketamine primarily targets the N-methyl-D-aspartate (NMDA) "
        "receptors in the brain.")


def article_text(path: str) -> str:
    return (REPO / path).read_text(encoding="utf-8")


def span_of(path: str, sentence: str) -> Span:
    text = article_text(path)
    start = text.index(sentence)
    return LineIndex(text).span(start, start + len(sentence))


def claim_id(path: str, text: str) -> str:
    return f"{Path(path).stem}:{hashlib.sha1(' '.join(text.split()).lower().encode()).hexdigest()[:10]}"


def cue(kind: str, text: str, claim_text: str) -> Cue:
    return Cue(kind=kind, text=text, offset=claim_text.index(text))


def graded(path: str, sentence: int, text: str, kind: str, cues: tuple[Cue, ...],
           links: tuple[tuple[str, str], ...], grade: str, minimum: str, traceable: bool,
           flags: tuple[str, ...], attributions: tuple[Attribution, ...] = (),
           hedged: bool = False) -> GradedClaim:
    cid = claim_id(path, text)
    claim = Claim(id=cid, article=path, sentence=sentence, span=span_of(path, text), text=text,
                  kind=kind, cues=cues, attributions=attributions, hedged=hedged)
    return GradedClaim(
        claim=claim, grade=grade, minimum=minimum,
        meets_minimum=LEVELS.index(grade) <= LEVELS.index(minimum), traceable=traceable,
        links=tuple(Link(claim_id=cid, key=k, via=via) for k, via in links), flags=flags)


def summary(claims: tuple[GradedClaim, ...]) -> ArticleSummary:
    by_grade = {g: sum(c.grade == g for c in claims) for g in LEVELS}
    kinds: dict[str, int] = {}
    for c in claims:
        kinds[c.claim.kind] = kinds.get(c.claim.kind, 0) + 1
    traceable = sum(c.traceable for c in claims)
    return ArticleSummary(claims=len(claims), by_grade=by_grade, by_kind=kinds,
                          traceable=traceable,
                          traceable_share=traceable / len(claims) if claims else 0.0)


def bib_line(key: str) -> int:
    for n, line in enumerate(BIB.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("@") and "{" + key + "," in line:
            return n
    raise KeyError(key)


@lru_cache(maxsize=1)
def _verified() -> dict:
    return load_bibliography([BIB]).entries


def reference(key: str) -> ReferenceSummary:
    """The entry's facts as the verified bibliography gives them."""
    ref = _verified()[key]
    return ReferenceSummary(entry_type=ref.entry_type, authors=ref.authors, title=ref.title,
                            year=ref.year, venue=ref.venue, url=ref.url)


def entry(key: str, design: str, evidence: str, level: str, ids: dict[str, str]) -> EntryAssessment:
    return EntryAssessment(key=key, exists=True, level=level, traceable=bool(ids),
                           reference=reference(key),
                           design=DesignCall(design=design, source="field", evidence=evidence),
                           identifiers=ids,
                           reasons=() if ids else ("no DOI, PMID, PMCID, arXiv id or ISBN",))


def build_report() -> Report:
    s70 = graded(OPTION, 11, STAT_70, "statistic",
                 (cue("venue", "Journal of Psychiatric Research", STAT_70),
                  cue("percent", "70%", STAT_70)),
                 (("Zheng2018", "suggested"),), "none", "trial", False,
                 ("no citation", "named source untraceable"),
                 (Attribution(kind="venue", name="Journal of Psychiatric Research",
                              text="a study published in the Journal of Psychiatric Research"),))
    bp = graded(OPTION, 12, BIOL_PSYCH, "efficacy",
                (cue("venue", "Biological Psychiatry", BIOL_PSYCH),
                 cue("study-reference", "researchers found", BIOL_PSYCH)),
                (("Bloch2012", "suggested"),), "none", "trial", False,
                ("no citation", "named source untraceable"),
                (Attribution(kind="venue", name="Biological Psychiatry",
                             text="another study published in Biological Psychiatry"),))
    faster = graded(OPTION, 9, FASTER, "efficacy", (cue("comparison", "much faster", FASTER),),
                    (("Murrough2013AJP", "map"),), "trial", "trial", True, ())
    syn = graded(OPTION, 5, SYNAPSES, "mechanism", (cue("hedge", "is thought to", SYNAPSES),),
                 (("Li2010", "map"),), "anecdote", "anecdote", True, (), hedged=True)
    nmda = graded(WHY, 14, NMDA, "mechanism",
                  (cue("vague-attribution", "Studies have shown", NMDA),),
                  (), "none", "anecdote", False, ("no citation", "vague attribution"),
                  (Attribution(kind="vague", text="Studies have shown"),))
    option_claims = (syn, faster, s70, bp)
    why_claims = (nmda,)
    articles = (
        ArticleReport(path=OPTION, title="Ketamine as a treatment option for depression and anxiety",
                      claims=option_claims, summary=summary(option_claims)),
        ArticleReport(path=WHY, title="Why Does Ketamine Therapy Work?", claims=why_claims,
                      summary=summary(why_claims)),
        ArticleReport(path=UNDERSTANDING, title="Understanding the Science Behind Ketamine Therapy",
                      summary=summary(())),
    )
    entries = {
        "Zheng2018": entry("Zheng2018", "open-label-trial", "open-label trial", "anecdote",
                           {"pmid": "30278319"}),
        "Bloch2012": entry("Bloch2012", "open-label-trial", "open-label trial", "anecdote",
                           {"doi": "10.1016/j.biopsych.2012.05.028", "pmid": "22784486"}),
        "Murrough2013AJP": entry("Murrough2013AJP", "randomized-controlled-trial",
                                 "randomized controlled trial", "trial",
                                 {"doi": "10.1176/appi.ajp.2013.13030392", "pmid": "23982301"}),
        "Li2010": entry("Li2010", "preclinical", "preclinical/animal (rat)", "anecdote",
                        {"doi": "10.1126/science.1190287", "pmid": "20724638"}),
        "Xiong2020": entry("Xiong2020", "meta-analysis", "systematic review and meta-analysis",
                           "review", {}),
    }
    bib = str(BIB)
    findings = (
        make("EV201", "statistic without citation (cue: '70%')", path=OPTION,
             span=s70.claim.span, claim_id=s70.claim.id),
        make("EV203", "names Journal of Psychiatric Research, but links to no traceable entry",
             path=OPTION, span=s70.claim.span, claim_id=s70.claim.id),
        make("EV204", "Zheng2018 (Journal of Psychiatric Research, 2018) matches the named "
             "source; offered, not counted", path=OPTION, span=s70.claim.span,
             claim_id=s70.claim.id, key="Zheng2018"),
        make("EV201", "efficacy claim without citation (cue: 'Biological Psychiatry')",
             path=OPTION, span=bp.claim.span, claim_id=bp.claim.id),
        make("EV201", "mechanism claim without citation (cue: 'Studies have shown')", path=WHY,
             span=nmda.claim.span, claim_id=nmda.claim.id),
        make("EV102", "Xiong2020 has no DOI, PMID, PMCID, arXiv id or ISBN", path=bib,
             line=bib_line("Xiong2020"), col=1, key="Xiong2020"),
    )
    return Report(version="0.1.0", rubric="default", levels=LEVELS, bibliographies=(bib,),
                  articles=articles, entries=entries, findings=findings)


def empty_report() -> Report:
    return Report(version="0.1.0", rubric="default", levels=LEVELS)


__all__ = ["build_report", "empty_report"]
