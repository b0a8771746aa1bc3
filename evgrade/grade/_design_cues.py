"""The wording that points at a study design, and how strongly.

Each cue names a design and a strength: how surely the words, said of *this*
paper, mean that design. "were randomly assigned" describes an act of the study
(strong); a bare "randomized" may describe anything (weaker); "randomized trials"
in the plural usually names the studies a paper builds on (weak). Where the words
stand and who they describe change the strength again (:mod:`._design_weigh`).

Patterns run on lower-cased text whose negated clauses are blanked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .. import _patterns
from ..models import StudyDesign

_N = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
_PERSON = (r"(?:cases?|patients?|man|men|woman|women|boys?|girls?|child|children|infants?|"
           r"neonates?|newborns?|males?|females?|adolescents?|family|families|siblings|twins|"
           r"brothers|sisters|parturients?|mother|father|individuals?|year-old)\b")
# what may stand between "we report" and the person: not a study of many ("a retrospective
# study of 253 patients", "an analysis of", "our experience with")
_FEW = (r"(?:(?!stud|analys|experience|series|result|outcome|data|trial|review|cohort|"
        r"retrospective|prospective|\d{2})[^.;]){0,60}?")


@dataclass(frozen=True, slots=True)
class Cue:
    design: StudyDesign
    pattern: re.Pattern[str]
    strength: float
    title_only: bool = False   # wording that names a design only when it heads the paper
    narrative: bool = False    # wording that only ever tells this paper's own case
    needs: tuple[str, ...] = ()  # one of these strings is in every match: a cheap pre-check

    def absent(self, prepared: str) -> bool:
        """True when the text cannot match (none of :attr:`needs` is in it)."""
        return bool(self.needs) and not any(n in prepared for n in self.needs)


def _c(design: StudyDesign, pattern: str, strength: float, title_only: bool = False,
       narrative: bool = False, needs: str = "") -> Cue:
    return Cue(design, _patterns.compile(pattern), strength, title_only, narrative,
               tuple(needs.split("|")) if needs else ())


CUES: tuple[Cue, ...] = (
    # ---- systematic reviews and meta-analyses: the method is named, or the search is told
    _c("meta-analysis", r"\bmeta-?\s?analy[sz](?:is|ed|ing)\b|\bmetaanaly[sz]is\b|"
                        r"\bpooled analysis\b", 3.5,
       needs="meta|pooled analysis"),
    _c("meta-analysis", r"\bmeta-?\s?analy[sz]es\b", 1.0,
       needs="meta"),
    _c("meta-analysis", r"\bpooled (?:odds|relative|risk|hazard|mean|estimates?|effects?|"
                        r"prevalence|sensitivity|specificity)\b|\brandom[- ]effects? model|"
                        r"\bfixed[- ]effects? model|\bforest plot|\bfunnel plot", 2.5,
       needs="pooled|effect|forest|funnel"),
    _c("systematic-review", r"\bsystematic(?:ally)? (?:literature )?(?:review(?:ed)?|search(?:ed)?)\b|"
                            r"\bcochrane review\b|\bumbrella review\b|\bprisma\b", 3.5,
       needs="systematic|cochrane|umbrella|prisma"),
    _c("systematic-review", r"\bsearch(?:ed|es)?\b[^.;]{0,80}\b(?:medline|pubmed|embase|"
                            r"cochrane|web of science|scopus|cinahl|psycinfo|databases)\b|"
                            r"\b(?:medline|pubmed|embase|cochrane library|web of science|scopus|"
                            r"databases)\b[^.;]{0,80}\b(?:were|was) (?:systematically )?searched\b|"
                            r"^(?:data sources|study selection|data extraction|data synthesis|"
                            r"search methods|selection criteria|eligibility criteria|"
                            r"evidence acquisition)$", 3.0,
       needs="search|data sources|study selection|data extraction|data synthesis|selection criteria|eligibility criteria|evidence acquisition"),
    _c("systematic-review", r"\bsystematic reviews\b", 1.0,
       needs="systematic"),
    # ---- guidelines: an expert body's recommendations
    _c("guideline", r"\bguidelines?\b|\bconsensus\b|\bposition statement\b|\brecommendations\b",
       3.0, title_only=True, needs="guideline|consensus|position statement|recommendations"),
    _c("guideline", r"\b(?:this|these|the present|our|the following) (?:\w+ )?(?:guidelines?|"
                    r"recommendations|consensus (?:statement|document)|position (?:statement|paper)|"
                    r"practice parameters?)\b|\bconsensus (?:statement|conference|document|"
                    r"recommendations|guidelines?)\b|\bposition (?:statement|paper)\b|"
                    r"\bpractice (?:parameters?|guidelines?)\b|\bexpert panel\b", 2.5,
       needs="guideline|recommendation|consensus|position|practice parameter|expert panel"),
    # ---- trials in people
    _c("randomized-controlled-trial", r"(?<!non-)(?<!non )\brandomi[sz]ed[- ](?:controlled|"
                                      r"clinical|double|single|triple|placebo|sham|cross-?over|"
                                      r"comparative|prospective|open|parallel|multi-?cent\w*|"
                                      r"pilot|phase|trial|study|fashion|manner|sequence|order|"
                                      r"design|feasibility|non-?inferiority|equivalence|"
                                      r"cluster|blinded|assessor)[\w-]*"
                                      r"(?: (?:controlled |clinical )?(?:trial|study)\b)?", 3.0,
       needs="randomi"),
    _c("randomized-controlled-trial", r"\b(?:were|was|been|being|are|is) (?:\w+ )?(?:randomi[sz]ed|"
                                      r"allocated at random|assigned at random)\b|"
                                      r"\brandomly (?:assigned|allocated|divided)\b|\b(?:we )?randomi[sz]ed (?:\d+|"
                                      r"patients|participants|subjects|them)\b|"
                                      r"(?<!non-)(?<!mendelian )\brandomi[sz]ation\b|\brandomi[sz]ed to\b", 4.0,
       needs="random"),
    _c("randomized-controlled-trial", r"(?<!non-)(?<!non )\brandomi[sz]ed\b|\brct\b", 2.0,
       needs="randomi|rct"),
    _c("randomized-controlled-trial", r"\brandomi[sz]ed (?:controlled |clinical )?trials\b|"
                                      r"\brcts\b", 0.7,
       needs="randomi|rcts"),
    _c("controlled-trial", r"\b(?:placebo|sham|vehicle|saline|active|attention|wait-?list)[- ]"
                           r"controlled\b|\b(?:double|single|triple)[- ]blind(?:ed)?\b|"
                           r"(?<!case-)(?<!case )\bcontrolled (?:clinical )?(?:trial|study)\b|"
                           r"\bnon-?randomi[sz]ed (?:controlled )?(?:trial|study|comparison)\b|"
                           r"\bcross-?over (?:trial|study|design)\b", 3.0,
       needs="controlled|blind|cross|randomi"),
    _c("controlled-trial", r"\b(?:versus|vs\.?|or|with|to|and|received|receive) (?:a )?placebo\b|"
                           r"\bplacebo (?:group|arm)\b", 2.0,
       needs="placebo"),
    _c("controlled-trial", r"\b(?:placebo-controlled|double-blind) (?:trials|studies)\b", 0.7,
       needs="placebo-controlled|double-blind"),
    _c("open-label-trial", r"\bopen[- ]label\b|\bsingle[- ]arm\b|\buncontrolled (?:trial|study|"
                           r"pilot|open)\b|\bnon-?controlled (?:trial|study)\b|"
                           r"\bopen (?:trial|study)\b", 3.0,
       needs="open|single|controlled"),
    _c("open-label-trial", r"\b(?:un|non-?)controlled\b(?! (?:\w+ )?(?:diabetes|hypertension|asthma|"
                           r"seizures?|epilepsy|bleeding|ha?emorrhage|pain|infections?|disease|"
                           r"glyc\w+|blood|growth|proliferation|release|cell\w*|substances?|"
                           r"drugs?))", 2.0,
       needs="controlled"),
    _c("open-label-trial", r"\bphase (?:i/ii|1/2|ii|2|iia|iib|i|1|ib|1b)\b"
                           r"(?! (?:\w+ )?(?:trials|studies))|"
                           r"\bdose[- ](?:escalation|finding)\b|\bpilot trial\b", 2.5,
       needs="phase|dose|pilot trial"),
    _c("open-label-trial", r"\b(?:this|our|the present|a|an) (?:\w+ )?(?:prospective |"
                           r"multi-?cent\w* |clinical |pilot |interventional )trial\b|"
                           r"\bnct\d{8}\b|\bclinicaltrials\.gov\b|\btrial regist\w+|\bisrctn\b|"
                           r"\bchictr\b|\beudract\b", 2.0,
       needs="trial|nct|isrctn|chictr|eudract"),
    _c("healthy-volunteer-study", r"\bhealthy (?:\w+ )?(?:volunteers?|subjects|participants|men|"
                                  r"women|adults)\b|\bfirst[- ]in[- ](?:hu)?man\b|"
                                  r"\bhuman pharmacology\b", 2.5,
       needs="healthy|first|pharmacology"),
    # ---- observational designs
    _c("cohort-study", r"\bcohorts?\b|\bregistry\b|\bpopulation-based\b|\blongitudinal\b|"
                       r"\bfollow-up study\b|\bprospective(?:ly)? (?:\w+ )?(?:study|studied|"
                       r"collected|enrolled|followed|observational)\b", 2.5,
       needs="cohort|registry|population-based|longitudinal|follow-up study|prospective"),
    _c("cohort-study", r"\b(?:retrospective|prospective|observational) (?:\w+ )?(?:study|analysis|"
                       r"review|series|evaluation)\b", 2.5,
       needs="retrospective|prospective|observational"),
    _c("cohort-study", r"\b(?:\d{2,}|\w+ty(?:-\w+)?|(?:one|two|three|four|five) hundred(?: \w+)?) "
                       r"(?:consecutive )?(?:patients|subjects|participants|cases|children|adults|"
                       r"women|men|individuals|persons)\b", 1.5,
       needs="patients|subjects|participants|cases|children|adults|men|individuals|persons"),
    _c("cohort-study", r"\bretrospective(?:ly)?\b|\bprospective(?:ly)?\b|\bmedical records\b|"
                       r"\bwere (?:enrolled|recruited|included|followed)\b", 1.5,
       needs="retrospective|prospective|medical records|were "),
    _c("case-control-study", r"\bcase[- ]control(?:led)?\b|\bmatched controls?\b", 3.0,
       needs="control"),
    _c("cross-sectional-study", r"\bcross[- ]sectional\b|\bsurvey(?:ed|s)?\b|\bquestionnaires?\b|"
                                r"\bprevalence study\b|\binterview(?:ed|s)\b", 2.0,
       needs="cross|survey|questionnaire|prevalence study|interview"),
    # ---- cases
    _c("case-report", r"\bcase reports?\b|\breport of (?:a|an|one|two|three|four|\d) (?:\w+ )?"
                      r"cases?\b|\ba propos\b|\bapropos\b|\bà propos\b|\ba rare case\b|"
                      r"\b(?:an|a) (?:unusual|unique|interesting|exceptional|atypical) case\b|"
                      r"^(?:case (?:presentation|report|description|summary|history|study)|"
                      r"cases?|observations?|clinical (?:presentation|case))$", 3.5,
       needs="case|propos|observation|clinical presentation"),
    _c("case-report", r"\b(?:we|authors?|(?:the|this) (?:article|paper|report)) (?:here(?:in)? |"
                      r"also |now )?(?:report|describe|present|document|discuss)(?:ed|s)?"
                      rf"(?: (?:on|here|herein))? {_FEW}\b{_PERSON}", 4.0,
       needs="report|describ|present|document|discuss"),
    _c("case-report", r"\b(?:we|authors?) (?:here(?:in)? )?(?:report|describe|present)(?:ed|s)? "
                      r"(?:a|an) [^.;]{0,60}?\b(?:that|who|which) (?:presented|developed|occurred|"
                      r"arose|mimicked|caused)\b|\bseries of (?:two|three|four|five|six) "
                      r"(?:\w+ )?(?:cases|patients)\b|"
                      r"\b(?:two|three|four|five|six|seven|eight|nine|ten) (?:\w+ )?(?:cases|"
                      r"patients)\b(?: of [^.;]{0,40}?)? (?:were|are) (?:encountered|seen|"
                      r"described|reported|presented)\b", 3.5,
       needs="report|describ|present|series of|cases|patients"),
    _c("case-report", r"^(?:the|our) patient\b|\bthe patient (?:was|had|presented|developed|"
                      r"complained|underwent|received|died|recovered|is)\b", 2.5, narrative=True,
       needs="patient"),
    _c("case-report", r"\b(?:a|an|one)[- ](?:\w+[- ]){0,2}(?:year|yr|month|week|day)s?[- ]old\b"
                      r"(?! (?:\w+ )?(?:mice|rats?|animals?|dogs?|cats?|horses?|mares?|pigs?|"
                      r"cows?|sheep|monkeys?))", 3.5, narrative=True,
       needs="old"),
    _c("case-report", rf"\b{_PERSON} (?:is|are|was|were) (?:here |herein )?(?:presented|described|"
                      r"reported)\b|^(?:the|a) case of\b|\b(?:report|describe|present)\w* (?:the|a) "
                      r"case of\b|\bthis case (?:report|study)\b|\bour (?:patient|case)\b", 3.0,
       needs="presented|described|reported|case|patient"),
    _c("case-report", rf"\bin (?:a|an|one|two|three|four) (?:[\w-]+ ){{0,3}}{_PERSON}\b|"
                      r"\b(?:a|one|two|three) cases?\b", 3.0, title_only=True,
       needs="in a|in one|in two|in three|in four|case"),
    _c("case-series", r"\bcase series\b|\bseries of \d+ (?:\w+ )?(?:cases|patients)\b|"
                      r"\breview(?:ed)? (?:of )?(?:the )?(?:\d+ )?(?:medical |clinical |hospital |"
                      r"case )?(?:records|charts|files|case notes|histories)\b|"
                      r"\breview(?:ed)? (?:of )?(?:\d+|all|the) (?:\w+ )?(?:cases|patients)\b|"
                      r"\b\d{2,} cases\b|\b(?:our|an? (?:\w+ )?(?:single|institutional|"
                      r"hospital)\w*) (?:\w+ )?experience\b", 2.5,
       needs="case series|series of|review|cases|experience"),
    _c("case-series", r"\b(?:we|authors?) (?:\w+ )?(?:report|describe|present|review|analy[sz]e)\w* "
                      r"(?:\w+ ){0,4}\d{2,} (?:\w+ ){0,2}(?:cases|patients)\b", 3.5,
       needs="report|describ|present|review|analy"),
    # ---- opinion
    _c("expert-opinion", r"(?:^|: |\. )(?:editorial|commentary|comments?|letter|reply|in reply|"
                         r"response|correspondence|viewpoint|opinion|debate|point of view|news|"
                         r"author'?s'? reply|re(?!-))\b|\b(?:editorial|commentary|letter to the "
                         r"editor|open letter|viewpoint|point of view|a personal view|essay)\b",
       4.0, title_only=True, needs="editorial|comment|letter|re|view|opinion|debate|news|essay"),
    _c("expert-opinion", r"\bperspectives?\b|\bopinion\b|\ba call (?:to|for)\b|\bwhy we\b|"
                         r"\bmanifesto\b", 0.7, title_only=True,
       needs="perspective|opinion|a call|why we|manifesto"),
    _c("expert-opinion", r"\b(?:this|the present|our|in this) (?:\w+ )?(?:editorial|commentary|"
                         r"comment|letter|viewpoint|perspective|essay|opinion (?:piece|paper|"
                         r"article))\b", 3.5,
       needs="editorial|commentary|comment|letter|viewpoint|perspective|essay|opinion"),
    # ---- narrative reviews
    _c("narrative-review", r"\breview\b|\boverview\b|\ban update\b|\bupdate (?:on|in|of)\b|(?:^|: )update\b|\bstate[- ]of[- ]the[- ]art\b|"
                           r"\bcurrent (?:concepts?|perspectives?|status|understanding|knowledge|"
                           r"trends|approaches|management|evidence|views?|insights?)\b|"
                           r"\b(?:recent )?advances (?:in|on)\b|\bprimer\b|\bpictorial essay\b|"
                           r"\bwhat (?:do )?we know\b|\ban introduction\b|\bhistorical\b|"
                           r"\bhistory of\b|\bfrom bench to bedside\b|\bchallenges and "
                           r"(?:opportunities|perspectives|prospects)\b|\bfuture (?:directions|"
                           r"perspectives|prospects)\b", 3.0, title_only=True,
       needs="review|overview|update|state|current|advances|primer|essay|we know|introduction|"
             "histor|bedside|challenges|future"),
    _c("narrative-review", r"\b(?:this|the present|our|in this|the current) (?:\w+ )?(?:review|"
                           r"overview|mini-?review)\b|\bnarrative review\b|\bliterature review\b|"
                           r"\breview of (?:the )?(?:\w+ )?literature\b|\bscoping review\b|"
                           r"^areas covered$|\bmini-?review\b", 3.5,
       needs="review|overview|areas covered"),
    _c("narrative-review", r"\b(?:this|the present|our) (?:\w+ )?(?:article|chapter|paper|"
                           r"manuscript)\b[^.;]{0,60}?\b(?:reviews?|summari[sz]\w*|outlines?|"
                           r"overview|provides? (?:an? )?(?:\w+ )?(?:overview|summary|update|"
                           r"review|synopsis))\b|\b(?:we|i|authors?) (?:briefly |critically |"
                           r"also |then )?(?:review|summari[sz]e|outline|overview|provide an "
                           r"overview)\b(?! (?:our|the (?:\w+ )?(?:records|charts|files|cases)|"
                           r"\d))", 3.0,
       needs="review|summar|outline|overview"),
    _c("narrative-review", r"\b(?:literature|evidence|knowledge|advances|developments|progress|"
                           r"studies|research|role|mechanisms?|strategies|options|aspects)\b"
                           r"(?: \w+){0,4} (?:is|are|were|was|will be) (?:also |briefly |then )?"
                           r"(?:reviewed|summari[sz]ed|discussed|highlighted|outlined|"
                           r"presented|described|considered|addressed)\b|"
                           r"\breview(?:ed|s)? (?:of )?(?:the )?(?:current |recent |existing |"
                           r"available |published )(?:literature|evidence|knowledge|advances|"
                           r"developments|findings|data)\b|\brecent (?:advances|developments|"
                           r"progress|findings)\b", 2.5,
       needs="review|summar|discuss|highlight|outline|present|describ|consider|address|recent"),
)

@dataclass(frozen=True, slots=True)
class Words:
    """A pattern on prepared text and the strings one of which every match holds."""
    pattern: re.Pattern[str]
    needs: tuple[str, ...]

    def search(self, prepared: str) -> re.Match[str] | None:
        """``pattern.search(prepared)``, skipped when no string of :attr:`needs` is there."""
        for n in self.needs:
            if n in prepared:
                return self.pattern.search(prepared)
        return None


def _w(pattern: str, needs: str) -> Words:
    return Words(_patterns.compile(pattern), tuple(needs.split("|")))


# Who a study is about. Animal and cell wording makes it preclinical unless people are
# studied too; the people words are those that name the persons a study enrols.
ANIMAL = _w(
    r"\b(?:in (?:mice|rats)|mice|mouse|murine|rats?|rodents?|rabbits?|dogs?|canine|cats?|feline|pigs?|piglets?|"
    r"porcine|swine|sheep|ovine|lambs?|goats?|cattle|cows?|calves|bovine|horses?|mares?|"
    r"stallions?|foals?|equine|primates?|monkeys?|macaques?|baboons?|zebrafish|drosophila|"
    r"c\. elegans|xenopus|chick(?:en)? embryos?|hamsters?|guinea pigs?|ferrets?|animals?|"
    r"preclinical|in vitro|ex vivo|cell lines?|cell cultures?|cultured (?:\w+ )?cells|"
    r"xenografts?|knock-?out|transgenic|organoids?|sirna|transfect\w*)\b"
    # an animal word that names a human disease or injury ("cat scratch disease", "swine
    # flu", "dog bites") says nothing about who was studied
    r"(?![- ](?:scratch|bites?|flu|influenza|pox|fever|disease)\b)",
    "mice|mouse|murine|rat|rodent|rabbit|dog|canine|cat|feline|pig|porcine|swine|sheep|ovine|"
    "lamb|goat|cattle|cow|calves|bovine|horse|mare|stallion|foal|equine|primate|monkey|macaque|"
    "baboon|zebrafish|drosophila|elegans|xenopus|chick|hamster|ferret|animal|preclinical|"
    "in vitro|ex vivo|cell|xenograft|knock|transgenic|organoid|sirna|transfect")
HUMAN = _w(
    r"\b(?:patients?|participants?|volunteers?|outpatients|inpatients|people|persons?|"
    r"men|women|children|adolescents|adults|infants|neonates|newborns|boys?|girls?|"
    r"pregnant|year-old|enrolled|recruited|individuals)\b",
    "patient|participant|volunteer|people|person|men|children|adolescents|adults|infants|"
    "neonates|newborns|boy|girl|pregnant|year-old|enrolled|recruited|individuals")
HUMAN_KEYWORD = _patterns.compile(r"^humans?$", re.IGNORECASE)  # MeSH check tag
HUMAN_TITLE = _w(r"\bclinical\b|\bhumans?\b|\bin man\b", "clinical|human|in man")  # a title's people words


# ------------------------------------------------------------- the pre-check, all cues at once

def _needs_bits(cues: tuple[Cue, ...]) -> tuple[int, tuple[tuple[str, int], ...]]:
    """(the cues that need nothing, each needed string with the cues it lets through), one bit
    per cue in the order of ``cues``."""
    always, bits = 0, {}
    for i, cue in enumerate(cues):
        always |= (not cue.needs) << i
        for n in cue.needs:
            bits[n] = bits.get(n, 0) | 1 << i
    return always, tuple(bits.items())


_ALWAYS, NEEDS = _needs_bits(CUES)


def present(text: str, needs: tuple[tuple[str, int], ...] = NEEDS) -> tuple[tuple[str, int], ...]:
    """The needed strings (of ``needs``) that ``text`` holds, with their cues."""
    return tuple(nb for nb in needs if nb[0] in text)


def possible(found: tuple[tuple[str, int], ...]) -> tuple[Cue, ...]:
    """The cues, in order, that are not :meth:`Cue.absent` from a text holding ``found``."""
    mask = _ALWAYS
    for _n, bits in found:
        mask |= bits
    return _cues_of(mask)


@functools.lru_cache(maxsize=4096)
def _cues_of(mask: int) -> tuple[Cue, ...]:
    return tuple(cue for i, cue in enumerate(CUES) if mask >> i & 1)
