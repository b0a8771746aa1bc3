"""Kinds: what a claim asserts (docs/claims.md, section 3).

One kind per claim, the highest-ranked assertion wins: statistic, safety,
mechanism, prevalence-history, efficacy, other. Knowledge-gap clauses assert
nothing and are left out before the kind is decided.
"""

from __future__ import annotations

import re

from .. import _patterns
from ._guard import guarded
from ..models import ClaimKind, Cue
from ._phrases import phrases, search_ending_at
from .cues import is_statistic, is_year

_SAFETY = guarded(phrases(
    "side effect*|side-effect*|adverse|risk|risks|safe|safety|safely|unsafe|harm|harms|harmful|toxic*|"
    "tolerance|dependence|addict*|abuse|misuse|overdose|withdrawal|contraindicat*|dangerous*|"
    "interact* (?:dangerously|with (?:\\w+ )?(?:drugs|medications|medicines|alcohol))|neurotoxic*|"
    "increase* the effects? of|"
    "fatal*|unpleasant|long-term effects|long-term implications|well tolerated|"
    "tolerability|adverse reaction*|supervision|not without|"
    # intoxication: "doesn't cause a high", "can make you feel euphoric"
    "(?:cause*|give*|get*|produce*) (?:you )?(?:a )?high|euphori*|intoxicat*|psychoactive"))
# Symptoms are harms only when the treatment brings them, not when it treats them:
# "can cause nausea" is safety, "lowers blood pressure" is efficacy.
_SYMPTOM = guarded(phrases(
    "nausea|vomiting|dizziness|headache*|hallucination*|dissociation|confusion|drowsiness|"
    "blood pressure|heart rate|weight gain|sexual dysfunction|cystitis|bladder|allergic|insomnia|fatigue|"
    "diarrh*|constipation|rash|rashes|bleeding|stomach upset|upset stomach|dry mouth|seizure*|"
    "transient|short-lived|temporary|subside*|anxious|unsettled|agitat*|restless*|memory loss|"
    "affect* memory|memory problems|cognitive side effects|"
    # harms as the patient feels them: "you may feel dizzy", "a sore arm", "some swelling and bruising"
    "dizzy|light-headed|lightheaded|faint|fainting|sleepy|drowsy|tired|tiredness|sick|sore|soreness|stiff|stiffness|"
    "swelling|swollen|bruis*|discomfort|cough|coughing|tickle|itch*|tingl*|numbness|cramp*|bloating|gas|"
    "ache|aches|aching|thrush|hoarse*|irritat*|flushing|palpitations"))
_TREATING_BEFORE = _patterns.compile(
    r"\b(?:lower\w*|reduc\w*|decreas\w*|treat\w*|reliev\w*|alleviat\w*|improv\w*|prevent\w*|manag\w*|slow\w*|"
    r"control\w*|against|from|ease\w*|eas\w*|help\w*|fight\w*|with|shorten\w*|stop\w*|cur\w*|block\w*|mask\w*|"
    r"(?:treatments?|therap(?:y|ies)|drugs?|medicines?|medications?|options?|used|approved|licensed|effective)\s+for)"
    r"\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
# ... or when a word of treatment follows it: "allergy relief", "migraine sufferers", "seizure medication"
_TREATED_AFTER = _patterns.compile(r"\s+(?:treatments?|therap(?:y|ies)|medicines?|medications?|drugs?|relief|sufferers|"
                            r"patients|clinics?)\b", re.IGNORECASE)
# "reduces the risk of" is a benefit; "are at higher risk" says who is affected (prevalence)
_RISK_REDUCTION = guarded(_patterns.compile(r"\b(?:reduc|lower|decreas|cut|halv)\w*\s+(?:the\s+|their\s+|your\s+)?risks?\b"
                             r"|\bat (?:a )?(?:higher|greater|increased|lower|high|low|particular) risk\b",
                             re.IGNORECASE))


def mentions_harm(text: str) -> bool:
    """A safety word, or a symptom the treatment brings rather than treats."""
    text = _RISK_REDUCTION.sub(" ", text)
    if _SAFETY.search(text):
        return True
    return any(not search_ending_at(_TREATING_BEFORE, text, m.start(), words=5) and not _TREATED_AFTER.match(text, m.end())
               for m in _SYMPTOM.finditer(text))


_MECHANISM = guarded(phrases(
    "receptor*|glutamat*|gaba*|serotonin*|dopamin*|norepinephrin*|noradrenal*|neurotransmitter*|"
    "nmda|ampa|bdnf|mtor|synap*|neuroplastic*|plasticity|neurogenesis|neuron|neurons|neuronal|neural|"
    "brain|cortex|cortical|hippocamp*|limbic|prefrontal|circuit*|pathway*|signaling|signalling|signals|"
    "molecul*|protein*|genes|genetic*|inflammat*|anti-inflammatory|immune|cytokine*|hormone*|enzyme*|"
    "metabolism|metabolite*|binding|binds|bind|blocks|blocking|antagonist*|agonist*|inhibit*|modulat*|"
    "mechanism*|pharmacolog*|opioid|sigma|adrenergic|connectivity|excitation|excitatory|neurotrophic|"
    "cell|cells|cellular|chemical composition|neurochemical|acts on|works by|physiolog*|"
    "nervous system|underactive|overactive|hyperactiv*|hypoactiv*|absorb*|absorption|insulin*|"
    "liver|kidneys?|the body (?:makes|produces|uses|needs|stores)|immune system|metabolic|"
    # the body's structures and what lives in it: "the cartilage wears thin", "gut bacteria"
    "inflamed|cartilage|tendons?|ligaments?|bones?|muscles?|joints?|tissues?|lungs?|airways?|gut|stomach acid|"
    "bacteria|microbiome|microorganisms?|body clock|circadian|immune function|hormonal|skin (?:makes|produces)"))
# How a process leads to a benefit: an explanation, so mechanism (docs/claims.md, section 3).
_EXPLAINS = phrases(
    "contribute* to|responsible for|reasons? why|related to its ability|play* a (?:\\w+ )?role|"
    "help explain|explains?|underlie*|multifaceted|"
    # how a disease comes about: "some types can cause cancers", "one of the main reasons people fall"
    "(?:can|may|could|to) cause (?:\\w+ ){0,2}(?:cancers?|diseases?|infections?|dementia)|"
    "one of the (?:main|leading|commonest|most common) (?:reasons|causes)|"
    # the manner of action, whatever the subject: "the way (in which) it works", "how the drug acts"
    "(?:the way|how)(?: in which)? (?:it|they|\\w+) (?:works?|acts?|operates?)|"
    "works? (?:in|on|through) the (?:brain|body|nervous system)")
_EFFICACY = phrases(
    "effective|effectively|effectiveness|efficacy|efficacious|improve*|improvement*|relief|relieve*|"
    "reduc*|alleviat*|ease|eases|easing|remission|response|respond*|benefit*|beneficial|helps|helped|revers*|shorten*|"
    "help patients|cure*|heal*|recover*|antidepressant effects|anxiolytic effects|encouraging|"
    "help(?:s|ed)? (?:\\w+ )?(?:people|patients|you|children|adults|users)|quicker|better choice|"
    "(?:immediate|rapid|therapeutic|positive|lasting|long-lasting|quick) (?:results|effects?|relief)|"
    "promise|promising|successful*|fast-acting|faster|onset|"
    "work(?:s|ed)? (?:\\w+ )?(?:rapidly|quickly|fast|sooner)|"
    "relapse|prevent*|protect*|advantages? over|potential (?:as a|to) (?:treat\\w*|help)|"
    "extend*|prolong*|lower|lowers|lowered|lowering|decreas*|boost*|enhanc*|slow*|fight*|combat*|"
    "restor*|halv*|work* (?:against|for|well|better|best|properly)|"
    "(?:feel|get|become|look)s? (?:\\w+ )?(?:better|stronger|fitter|healthier|younger)|(?:does|do|did) not work|doesn't work|"
    "don't work|fail(?:s|ed)?(?: in| to)?|gains|los(?:e|es|ing) (?:\\w+ ){0,3}weight|weight loss|"
    "potential to (?:be an effective|revolutioni[sz]e)|treating|to treat|in the treatment of|outcomes")
# Trends, reception, history and who uses it, stated as the main assertion.
_HISTORY = guarded(phrases(
    "gain(?:ed|ing|s)? (?:attention|recognition|popularity|traction)|generated (?:a lot of )?"
    "(?:excitement|interest)|increasingly popular|become (?:increasingly )?popular|popular|popularity|"
    "(?:relatively )?new (?:and evolving )?(?:treatment|therapy|field|modality|drug)|first discovered|"
    "originally|traditionally used|traditionally|(?:has|have) been used for|"
    "developed in|emerging as|not limited to|more likely to (?:be|have|develop|get)|"
    # reception: something drew attention or interest ("sparked the curiosity of doctors")
    "(?:piqued|sparked|attracted|drew|caught|captured|aroused) (?:the )?(?:\\w+ )?(?:interest|attention|curiosity)|"
    "at (?:a )?(?:higher|greater|increased|particular) risk|now cover*|"
    "uses? (?:has|have) expanded|widely (?:known|used)|"
    "primarily known|known for|history|historically|prevalen*|most common (?:mental|disorder|condition)|"
    "first (?:synthesi[sz]ed|described|used|developed|approved|introduced|isolated|reported|marketed)|"
    # how common a condition or a practice is: "a very common virus", "is sometimes prescribed for"
    "(?:most|very|fairly|quite|increasingly) common (?:\\w+ )?(?:type|form|cause|virus|infection|condition|disorder|"
    "disease|illness|problem|cancer)s?|"
    "(?:is|are) (?:sometimes|often|commonly|widely|already|routinely|increasingly|now) "
    "(?:prescribed|used|given|offered|taken)|"
    "affects? (?:millions|many)|worldwide use|approved"))
# Time phrases that hint at history but yield to a stated result ("For decades, drugs failed")
_DATED = phrases("for decades|for years|for centuries|in the (?:1[5-9]|20)\\d0s|since the \\d{4}s")
# A share of a population as the subject ("most patients receive...", "many people use...",
# "Today, some clinics offer..."): how common something is; a weak hint, like a date.
_SHARE = guarded(_patterns.compile(
    r"(?:^(?:[A-Za-z]+,?\s+)?|[,;:]\s*)(?:most|many|some|few|a few|the majority of)\s+"
    r"(?:of\s+(?:us|them)|(?:\w+\s+)?(?:people|patients|adults|children|users|women|men|clinics|"
    r"doctors|practitioners|hospitals|consumers|cases))\b", re.IGNORECASE))
_RESEARCH_ACTIVITY = guarded(_patterns.compile(
    r"\b(?:researchers|scientists|investigators|studies|research|efforts)\b[^.;]{0,40}?"
    r"\b(?:investigating|exploring|explored|developing|studying|examining|interested in|focus\w*|"
    r"shed(?:ding)? light|aim(?:s|ing)? to|continu\w+ to)\b"
    r"|\b(?:is|are) (?:still )?being (?:explored|studied|investigated|developed|tested)\b"
    # "efforts are being made to ...", "work is under way to ...": activity towards a goal
    r"|\b(?:efforts?|attempts?|work|progress) (?:is|are) (?:now )?(?:being made|under ?way) to\b"
    r"|\b(?:ongoing|current) research\b|\b(?:area|avenue|focus) of (?:current )?research\b"
    r"|\b[Bb]y (?:exploring|investigating)\b|\binvestigations? into\b|\bstudies exploring\b",
    re.IGNORECASE))
_RESULT = guarded(_patterns.compile(
    r"\b(?:has|have|had) been (?:shown|found|demonstrated|proven)\b"
    r"|\b(?:studies|research|trials|evidence|findings|results|data|study)\b[^.;]{0,30}?"
    r"\b(?:show|shows|showed|shown|found|demonstrat\w+|reveal\w*|suggest\w*|indicat\w+|report\w*|"
    r"have been promising|are promising)\b"
    r"|\b(?:found|showed|shown) that\b|\bpromising results\b"
    r"|\b(?:known|proven|established|demonstrated) (?:efficacy|effectiveness|benefits?)\b",
    re.IGNORECASE))
# Assertions that there is no knowledge yet: nothing to cite (section 2, "knowledge-gap caveats").
_GAP = guarded(_patterns.compile(
    r"\b(?:more|further|additional|much more) research (?:is|will be) (?:still )?needed\b"
    r"|\b(?:has|have)n't (?:really |yet )?been (?:studied|tested|investigated)\b"
    r"|\b(?:has|have) not (?:really |yet )?been (?:studied|tested|investigated)\b"
    r"|\b(?:we|scientists|researchers|doctors|experts) (?:still |simply |just )?(?:don't|do not) (?:really |yet |fully )*"
    r"(?:know|understand)\b|\blittle is known\b|\bno one (?:really )?knows\b"
    r"|\b(?:is|are) (?:still )?not (?:yet )?(?:fully |well |completely )?understood\b"
    # "X is unknown", not "in a context that is unknown" (a relative clause describes, it does not doubt)
    # evidence said to be thin: "evidence for X is still limited", "there is little evidence"
    r"|\bevidence\b[^.;]{0,90}?\b(?:is|remains) (?:still )?(?:\w+ )?(?:limited|thin|weak|scarce|lacking|sparse|"
    r"inconclusive|mixed|patchy)\b"
    r"|\bthere (?:is|remains) (?:still )?(?:little|limited|not enough|insufficient|scant) (?:good |strong |high-quality )?"
    r"(?:evidence|research|data)\b"
    r"|\bis(?<!\bthat is)(?<!\bwhich is) (?:still )?(?:unknown|unclear)\b|\bremains? (?:unclear|unknown)\b"
    # "there is (still) much / a lot (that is) not (yet) known", "... to learn"
    r"|\bthere is (?:still )?(?:much|a lot|more) (?:(?:still )?to (?:learn|discover|understand)"
    r"|(?:that )?(?:is|remains) (?:not (?:yet )?(?:known|understood)|unknown|unclear))\b",
    re.IGNORECASE))
_CONCESSIVE = _patterns.compile(r"^(?:While|Although|Though|Even though|Whereas|Despite)\b[^,]*,", re.IGNORECASE)
_CLAUSE_SPLIT = _patterns.compile(r",\s+(?:and|but|yet|while|so|although|though)\s+|;\s+|\s+\((?=[^)]*\))")


def mentions_gap(text: str) -> bool:
    """Does the text say that something is not known yet?"""
    return bool(_GAP.search(text))


def any_kind(text: str, *, efficacy: bool = True) -> bool:
    """Does the text use the vocabulary of mechanism, safety, history (or efficacy)?"""
    return bool(_MECHANISM.search(text) or mentions_harm(text) or _HISTORY.search(text)
                or efficacy and _EFFICACY.search(text))


def _clauses(text: str) -> list[str]:
    """A leading concessive clause, then the rest split at ', and' / ', but' / ';'."""
    out = []
    m = _CONCESSIVE.match(text)
    if m:
        out.append(m.group(0))
        text = text[m.end():]
    out.extend(_CLAUSE_SPLIT.split(text))
    return [c for c in out if c.strip()]


def without_gaps(text: str) -> str:
    """The sentence minus knowledge-gap clauses, which assert nothing checkable."""
    parts = [c for c in _clauses(text) if not _GAP.search(c)]
    return " ".join(parts) if parts else ""


def classify_kind(text: str, cues: tuple[Cue, ...]) -> ClaimKind:
    """The kind of the highest-ranked assertion (docs/claims.md, section 3)."""
    if is_statistic(text, cues):
        return "statistic"
    core = without_gaps(text) or text
    history = bool(_HISTORY.search(core))
    dated = bool(_DATED.search(core) or _SHARE.search(core)) or any(is_year(c) for c in cues)  # weak hints
    # research activity without a reported result is 'other' (or history when told as a trend)
    if _RESEARCH_ACTIVITY.search(core) and not _RESULT.search(core):
        return "prevalence-history" if history or dated else "other"
    return _asserted_kind(core, history) or ("prevalence-history" if dated else "other")


def _asserted_kind(core: str, history: bool) -> ClaimKind | None:
    """Safety over mechanism over history over efficacy; None when none is asserted."""
    if mentions_harm(core):
        return "safety"
    if _MECHANISM.search(core) or _EXPLAINS.search(core):
        return "mechanism"
    if history:
        return "prevalence-history"
    if _EFFICACY.search(core):
        return "efficacy"
    return None
