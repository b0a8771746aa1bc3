"""Claims: which sentences assert something checkable, of what kind, on what cues.

The rules follow docs/claims.md. A prose sentence is a claim unless it is one
of the things the guidelines exclude (questions, calls to action, the article
describing itself, advice to the reader, opinion without factual content,
fragments). Figures and named sources always make a sentence a claim: an
unsupported number must never slip through.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..models import Attribution, Citation, Claim, ClaimKind, Cue, Document, Sentence
from . import attribution

_CLAIM_BLOCKS = {"prose", "list-item"}


def _rx(words: str) -> re.Pattern[str]:
    """A case-insensitive alternation of phrases, whole words only.

    Top-level '|' separates phrases (groups inside a phrase are regex syntax);
    a space matches any white space and a trailing '*' any word ending.
    """
    alts, depth, cur = [], 0, ""
    for ch in words:
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            alts.append(cur)
            cur = ""
        else:
            cur += ch
    alts.append(cur)
    parts = [" ".join(a.split()).replace("*", r"\w*").replace(" ", r"\s+") for a in alts if a.strip()]
    return re.compile(r"\b(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


# ------------------------------------------------------------------ cues

_PERCENT = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.\-/])[$€£]?\d+(?:[.,]\d+)*(?:\s?[–-]\s?\d+(?:\.\d+)?)?(?![\w])")
_YEARISH = re.compile(r"^(?:1[5-9]|20)\d\d$")
_DECADE = re.compile(r"\b(?:1[5-9]|20)\d0s\b")
# Numbers that name rather than measure: "phase 3", "Fig. 2", "type 2 diabetes", "COVID-19".
_IDENTIFIER_BEFORE = re.compile(
    r"(?:phase|fig\.?|figure|table|no\.|number|version|step|type|stage|grade|level|chapter|section|"
    r"page|p\.|pp\.|vol\.|trial|study|covid|sars-cov|\bn)\s*$", re.IGNORECASE)
_QUANTITY_UNIT = _rx("patients|participants|people|persons|subjects|adults|children|individuals|"
                     "volunteers|cases|deaths|women|men|users|respondents|trials|studies|"
                     "mg|mg/kg|g|kg|ml|mcg|µg|mmol|mm|minutes|minute|min|hours|hour|hrs|days|"
                     "day|weeks|week|months|month|years|year|times|fold|infusions|doses|sessions|"
                     "points|percentage points|in every|out of|of every|per")
_NUMBER_WORD_STAT = _rx("half of|one in (?:two|three|four|five|six|seven|eight|nine|ten)|"
                        "a third of|a quarter of|two thirds|twice as|three times|"
                        "(?:two|three|four|five|six|seven|eight|nine|ten)-fold|"
                        "(?:tens of )?(?:millions|thousands|billions|hundreds) of|dozens of|half|"
                        "halved|halves|doubled|doubles|tripled|quadrupled|"
                        "(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
                        "thirty|forty|fifty|sixty|hundred)(?:-| )(?:minutes?|hours?|days?|weeks?|months?|"
                        "years?|times|doses|injections|infusions|sessions|milligrams?|percent|patients|"
                        "people|participants|adults|children|deaths|cases|volunteers|subjects)")
_COMPARISON = _rx("compared (?:to|with)|than|unlike|versus|vs|superior to|inferior to|"
                  "as effective as|more effective|less effective|faster|slower|better|worse|"
                  "outperform*|relative to|in contrast to")
_HEDGE = _rx("may|might|could|possibly|potentially|potential|perhaps|likely|unlikely|appears? to|"
             "appear|seems? to|is thought|are thought|is believed|are believed|is suggested|"
             "suggests?|suggesting|it is possible|presumably|reportedly|is hypothesi[sz]ed|"
             "preliminary|promise|promising")

# ---------------------------------------------------------- not a claim

_QUESTION_END = re.compile(r"\?[\"'\u201d\u2019)]*$")
_CTA_START = _rx(
    "contact|call|email|e-mail|schedule|book|visit|click|subscribe|sign up|register|join|"
    "download|follow|share|learn more|find out|find more|read|discover|explore|check out|"
    "talk to|speak to|speak with|ask|access|grasp|observe|see|don't wait|do not wait|"
    "get in touch|reach out|request|order|buy|try|start|take the first step|let us|let's")
_CTA_ANYWHERE = _rx(
    "contact us|call us|email us|reach out to us|schedule (?:a|your) (?:consultation|appointment|visit)|"
    "book (?:a|an|your) (?:consultation|appointment)|to schedule a consultation|"
    "talk to your (?:doctor|healthcare provider|physician|provider)|"
    "speak (?:to|with) your (?:doctor|healthcare provider|physician)|"
    "(?:we|i) (?:\\w+ )?recommend|click here|learn more|today to|call today|request (?:a|an) appointment|please")
_SELF_REFERENCE = _rx(
    "in this (?:blog post|post|article|guide|piece|page|section|blog|faq|video)|"
    "this (?:blog post|post|article|guide|piece|page|faq|site|website|forum|board|blog|video) "
    "(?:aims|will|explores|discusses|covers|looks|collects|is for|is not|isn't|is a|contains)|"
    "this is (?:a|an|our) (?:forum|blog|website|site|page)|not medical advice|for general information|"
    "we will (?:explore|discuss|look|examine|cover|review|delve)|"
    "let's (?:explore|take a look|dive|look)|read on|keep reading|as (?:we|i) (?:mentioned|discussed)")
_ADVICE = re.compile(
    r"\b(?:it is|it's) (?:important|crucial|essential|vital|advisable|recommended|best|wise|key)"
    r" (?:for (?:\w+ ){1,4})?to (?:note|remember|weigh|talk|consult|discuss|speak|find|seek|consider|"
    r"ask|be aware|keep in mind|understand that)\b"
    r"|\b(?:you|patients|readers|one) (?:should|must|need to|ought to)\b"
    r"|\bif you (?:or a loved one )?(?:are|have|think|feel|want|would|'re)\b"
    r"|\bif you are considering\b"
    r"|\bto (?:truly )?(?:learn|find out|grasp|understand) (?:if|whether|more|the topic)\b.*\b(?:contact|recommend|visit|read|call)\b",
    re.IGNORECASE)
# "It is important to note that X" is a claim about X: strip the frame, not the sentence.
# A recommendation: "Children should get the first dose at 12-15 months."
_SHOULD = re.compile(r"^(?:[A-Z][\w'-]*\s+){0,6}(?:should|must|ought to)\b(?! not be (?:confused|mistaken))")
_YOU_SUBJECT = re.compile(r"^(?:[\w,' ]{0,40}\s)?(?:you|you're|you've|you'll)\b", re.IGNORECASE)
_NOTE_FRAME = re.compile(
    r"^(?:it is|it's) (?:important|worth|crucial|essential) (?:to note|noting|to remember|to mention)"
    r"(?:,? however,?)? that\s+", re.IGNORECASE)
_OPINION = _rx(
    "looks bright|exciting prospect|exciting|game-changing|revolutioni[sz]e|hope for|new hope|"
    "offers hope|offering hope|breakthrough|frontier|undeniable|remarkable|incredible|amazing|"
    "we can look forward|look forward to")
_VERB_HINT = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|can|could|may|might|will|would|"
    r"shall|should|must)\b|\b\w+(?:ed|es|s)\b", re.IGNORECASE)

# --------------------------------------------------------------- kinds

_SAFETY = _rx(
    "side effect*|side-effect*|adverse|risk|risks|safe|safety|safely|unsafe|harm|harms|harmful|toxic*|"
    "tolerance|dependence|addict*|abuse|misuse|overdose|withdrawal|contraindicat*|dangerous*|"
    "interact* (?:dangerously|with (?:\\w+ )?(?:drugs|medications|medicines|alcohol))|neurotoxic*|"
    "fatal*|unpleasant|long-term effects|long-term implications|well tolerated|"
    "tolerability|adverse reaction*|supervision|not without")
# Symptoms are harms only when the treatment brings them, not when it treats them:
# "can cause nausea" is safety, "lowers blood pressure" is efficacy.
_SYMPTOM = _rx(
    "nausea|vomiting|dizziness|headache*|hallucination*|dissociation|confusion|drowsiness|"
    "blood pressure|heart rate|weight gain|sexual dysfunction|cystitis|bladder|allerg*|insomnia|fatigue|"
    "diarrh*|constipation|rash|rashes|bleeding|stomach upset|upset stomach|dry mouth|seizure*|"
    "transient|short-lived|temporary|subside*|anxious|unsettled|agitat*|restless*|memory loss|"
    "affect* memory|memory problems|cognitive side effects")
_TREATING_BEFORE = re.compile(
    r"\b(?:lower\w*|reduc\w*|decreas\w*|treat\w*|reliev\w*|alleviat\w*|improv\w*|prevent\w*|manag\w*|slow\w*|"
    r"control\w*|for|against|ease\w*|eas\w*|help\w*|fight\w*|with)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
# "reduces the risk of" is a benefit; "are at higher risk" says who is affected (prevalence)
_RISK_REDUCTION = re.compile(r"\b(?:reduc|lower|decreas|cut|halv)\w*\s+(?:the\s+|their\s+|your\s+)?risks?\b"
                             r"|\bat (?:a )?(?:higher|greater|increased|lower|high|low|particular) risk\b",
                             re.IGNORECASE)


def _mentions_harm(text: str) -> bool:
    text = _RISK_REDUCTION.sub(" ", text)
    if _SAFETY.search(text):
        return True
    return any(not _TREATING_BEFORE.search(text, 0, m.start()) for m in _SYMPTOM.finditer(text))


_MECHANISM = _rx(
    "receptor*|glutamat*|gaba*|serotonin*|dopamin*|norepinephrin*|noradrenal*|neurotransmitter*|"
    "nmda|ampa|bdnf|mtor|synap*|neuroplastic*|plasticity|neurogenesis|neuron|neurons|neuronal|neural|"
    "brain|cortex|cortical|hippocamp*|limbic|prefrontal|circuit*|pathway*|signaling|signalling|signals|"
    "molecul*|protein*|genes|genetic*|inflammat*|anti-inflammatory|immune|cytokine*|hormone*|enzyme*|"
    "metabolism|metabolite*|binding|binds|bind|blocks|blocking|antagonist*|agonist*|inhibit*|modulat*|"
    "mechanism*|pharmacolog*|opioid|sigma|adrenergic|connectivity|excitation|excitatory|neurotrophic|"
    "cell|cells|cellular|chemical composition|neurochemical|acts on|works by|physiolog*|"
    "nervous system|underactive|overactive|hyperactiv*|hypoactiv*|absorb*|absorption|insulin*|"
    "liver|kidneys?|the body (?:makes|produces|uses|needs|stores)|immune system|metabolic")
# How a process leads to a benefit: an explanation, so mechanism (docs/claims.md, section 3).
_EXPLAINS = _rx(
    "contribute* to|responsible for|reasons? why|related to its ability|play* a (?:\\w+ )?role|"
    "help explain|explains?|underlie*|multifaceted|the way in which it works|works in the brain")
_EFFICACY = _rx(
    "effective|effectively|effectiveness|efficacy|efficacious|improve*|improvement*|relief|relieve*|"
    "reduc*|alleviat*|ease|eases|easing|remission|response|respond*|benefit*|beneficial|helps|"
    "help patients|cure*|heal*|recover*|antidepressant effects|anxiolytic effects|"
    "(?:immediate|rapid|therapeutic|positive|lasting|long-lasting|quick) (?:results|effects?|relief)|"
    "promise|promising|successful*|fast-acting|faster|onset|works rapidly|works much faster|"
    "relapse|prevent*|protect*|advantages? over|potential (?:as a|to) (?:treat\\w*|help)|"
    "extend*|prolong*|lower|lowers|lowered|lowering|decreas*|boost*|enhanc*|slow*|fight*|combat*|"
    "restor*|halv*|work* (?:against|for|well|better|best)|(?:does|do|did) not work|doesn't work|"
    "don't work|fail(?:s|ed)?(?: in| to)?|gains|los(?:e|es|ing) (?:\\w+ ){0,3}weight|weight loss|"
    "potential to (?:be an effective|revolutioni[sz]e)|treating|to treat|in the treatment of|outcomes")
# Trends, reception, history and who uses it, stated as the main assertion.
_HISTORY = _rx(
    "gain(?:ed|ing|s)? (?:attention|recognition|popularity|traction)|generated (?:a lot of )?"
    "(?:excitement|interest)|increasingly popular|become (?:increasingly )?popular|popular|popularity|"
    "(?:relatively )?new (?:and evolving )?(?:treatment|therapy|field|modality|drug)|first discovered|"
    "originally|traditionally used|traditionally|(?:has|have) been used for|"
    "developed in|emerging as|piqued the interest|not limited to|more likely to (?:be|have|develop|get)|"
    "at (?:a )?(?:higher|greater|increased|particular) risk|many of us|many people|now cover*|"
    "uses? (?:has|have) expanded|currently,? most|most patients receive|widely (?:known|used)|"
    "primarily known|known for|history|historically|prevalen*|most common (?:mental|disorder|condition)|"
    "first (?:synthesi[sz]ed|described|used|developed|approved|introduced|isolated|reported|marketed)|"
    "affects? (?:millions|many)|worldwide use|approved")
# Time phrases that hint at history but yield to a stated result ("For decades, drugs failed")
_DATED = _rx("for decades|for years|for centuries|in the (?:1[5-9]|20)\\d0s|since the \\d{4}s")
_RESEARCH_ACTIVITY = re.compile(
    r"\b(?:researchers|scientists|investigators|studies|research|efforts)\b[^.;]{0,40}?"
    r"\b(?:investigating|exploring|explored|developing|studying|examining|interested in|focus\w*|"
    r"shed(?:ding)? light|aim(?:s|ing)? to|continu\w+ to)\b"
    r"|\b(?:is|are) (?:still )?being (?:explored|studied|investigated|developed|tested|made to develop)\b"
    r"|\b(?:ongoing|current) research\b|\b(?:area|avenue|focus) of (?:current )?research\b"
    r"|\b[Bb]y (?:exploring|investigating)\b|\binvestigations? into\b|\bstudies exploring\b",
    re.IGNORECASE)
_RESULT = re.compile(
    r"\b(?:has|have|had) been (?:shown|found|demonstrated|proven)\b"
    r"|\b(?:studies|research|trials|evidence|findings|results|data|study)\b[^.;]{0,30}?"
    r"\b(?:show|shows|showed|shown|found|demonstrat\w+|reveal\w*|suggest\w*|indicat\w+|report\w*|"
    r"have been promising|are promising)\b"
    r"|\b(?:found|showed|shown) that\b|\bpromising results\b"
    r"|\b(?:known|proven|established|demonstrated) (?:efficacy|effectiveness|benefits?)\b",
    re.IGNORECASE)
_ADMINISTRATION = _rx(
    "involves? (?:the )?(?:administration|intravenous|infusions?|injections?)|typically involves|"
    "is administered|administered (?:via|through|by|as|intravenously|orally)|"
    "is (?:carefully )?(?:controlled|monitored) by")
# Assertions that there is no knowledge yet: nothing to cite (section 2, "knowledge-gap caveats").
_GAP = re.compile(
    r"\b(?:more|further|additional|much more) research (?:is|will be) (?:still )?needed\b"
    r"|\b(?:has|have)n't (?:really |yet )?been (?:studied|tested|investigated)\b"
    r"|\b(?:has|have) not (?:really |yet )?been (?:studied|tested|investigated)\b"
    r"|\b(?:we|scientists|researchers|doctors|experts) (?:still )?(?:don't|do not) (?:really |yet |fully )*"
    r"(?:know|understand)\b|\blittle is known\b|\bno one (?:really )?knows\b"
    r"|\b(?:is|are) (?:still )?not (?:yet )?(?:fully |well |completely )?understood\b"
    r"|\bis (?:still )?(?:unknown|unclear)\b|\bremains? (?:unclear|unknown)\b"
    r"|\bthere is (?:still )?much (?:to learn|that is not yet understood)\b",
    re.IGNORECASE)
_PREDICTION = re.compile(
    r"\bit is likely that\b[^.]*\bwill\b|\blooks? bright\b|\blook(?:ing)? forward to\b"
    r"|\bwill (?:likely|probably|undoubtedly) (?:be|become)\b", re.IGNORECASE)
_NORM = re.compile(
    r"\b(?:it is|it's) (?:crucial|essential|important|vital|necessary) for\b[^.]*\bto be\b"
    r"|\b(?:is|are) (?:crucial|essential|vital|key|necessary) (?:to|for) (?:address|ensur|optimi|minimi|"
    r"maximi|mitigat|achiev)\w*", re.IGNORECASE)
# The author or publisher speaking of themselves ("I used to...", "We think...",
# "At X, our psychiatrists have offered..."): not a claim about the world.
_FIRST_PERSON = re.compile(
    r"^(?:(?:at|in|for|since|with|here at)\s+[^,]{1,60},\s*)?"
    r"(?:i|we|i'm|we're|i've|we've|i'd|we'd|i'll|we'll|my|our)\b(?!\s+(?:study|studies|trial|results|data|findings|analysis|review)\b)",
    re.IGNORECASE)
# Instructions to the reader: a sentence that opens with a verb in the imperative
# ("Check your records.", "Sit or lie down...", "When your mind wanders, gently bring it back").
_IMPERATIVE = _rx(
    "check|dim|put|sit|lie|close|open|try|give|take|make|keep|avoid|drink|eat|get|ask|talk|"
    "remember|note|consider|start|stop|use|choose|limit|aim|set|turn|breathe|focus|write|go|"
    "bring|let|don't|do not|be sure|make sure|think about|imagine|notice|relax|stay|spend|skip|"
    "book|call|contact|visit|schedule|read|find|discover|explore|learn|see|join|sign|share|follow|"
    "subscribe|download|click|speak|reach out|tell|pick|add|swap|replace|plan|track|write down|"
    "count|wait|repeat|hold|inhale|exhale|stretch|walk|rest|wash|apply|store|mix|measure|weigh|"
    "reduce|increase|cut|switch|consult|seek|monitor|record|log|watch|listen|practise|practice|"
    "prepare|fill|bring|wear|protect|talk|ask|let's|remember|follow|stick|aim|find out|opt")
# "I honestly believe that everyone can benefit..." still asserts what follows "that"
_BELIEF_THAT = re.compile(r"\b(?:believe|think|know|found|find|feel|are convinced) that\b\s+(?!you\b)",
                          re.IGNORECASE)
_LEADING_CLAUSE = re.compile(r"^(?:when|if|before|after|once|while|as soon as|whenever)\b[^,]{1,80},\s*",
                             re.IGNORECASE)
_ADVERB = re.compile(r"^(?:gently|simply|just|always|never|then|now|first|next|finally|also|slowly|"
                     r"please|and|so)\s+", re.IGNORECASE)
_CONCESSIVE = re.compile(r"^(?:While|Although|Though|Even though|Whereas|Despite)\b[^,]*,", re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(r",\s+(?:and|but|yet|while|so|although|though)\s+|;\s+")

_PRECEDENCE: dict[str, int] = {"statistic": 0, "safety": 1, "mechanism": 2, "efficacy": 3,
                               "prevalence-history": 4, "other": 5}


# --------------------------------------------------------------- public

def normalise_text(text: str) -> str:
    """Text for ids and matching: NFKC, casefolded, punctuation dropped, spaces folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2018\u2019\u201c\u201d\"'`]", "", text)
    text = re.sub(r"[^\w%]+", " ", text)
    return " ".join(text.split())


def claim_id(article: str, text: str, seen: dict[str, int] | None = None) -> str:
    """Stable id: article stem + hash of the normalised sentence (+ a counter for repeats)."""
    stem = re.sub(r"[^a-z0-9]+", "-", Path(article).stem.lower()).strip("-")[:32] or "doc"
    digest = hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:8]
    cid = f"{stem}:{digest}"
    if seen is not None:
        n = seen.get(cid, 0) + 1
        seen[cid] = n
        if n > 1:
            cid = f"{cid}-{n}"
    return cid


def find_cues(text: str, found: list[attribution.Found] | None = None) -> tuple[Cue, ...]:
    """Numbers, comparisons, sources and hedges; ``found`` reuses an attribution.find() result."""
    cues: list[Cue] = []
    taken: list[tuple[int, int]] = []
    for m in _PERCENT.finditer(text):
        cues.append(Cue(kind="percent", text=m.group(0), offset=m.start()))
        taken.append(m.span())
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        cues.append(Cue(kind="number", text=m.group(0), offset=m.start()))
    for m in _NUMBER_WORD_STAT.finditer(text):
        cues.append(Cue(kind="number", text=m.group(0), offset=m.start()))
    for m in _COMPARISON.finditer(text):
        cues.append(Cue(kind="comparison", text=m.group(0), offset=m.start()))
    for f in attribution.find(text) if found is None else found:
        cues.append(Cue(kind=f.cue_kind, text=f.text, offset=f.offset))
    for m in _HEDGE.finditer(text):
        cues.append(Cue(kind="hedge", text=m.group(0), offset=m.start()))
    return tuple(sorted(cues, key=lambda c: c.offset))


def is_statistic(text: str, cues: tuple[Cue, ...]) -> bool:
    """A stated quantity decides the kind (docs/claims.md, section 3).

    Not quantities: years and decades (history), numbers that name something
    ("phase 3", "type 2", "Fig. 2"), and spelled-out counts of the items a
    sentence lists ("two of the most common disorders").
    """
    for cue in cues:
        if cue.kind == "percent":
            return True
        if cue.kind != "number":
            continue
        if not cue.text[:1].isdigit() and not cue.text[:1] in "$€£":
            return True  # "half of", "one in five", "millions of", "three patients"
        digits = cue.text.lstrip("$€£")
        if _YEARISH.match(digits) or _DECADE.match(text, cue.offset):
            continue
        if _IDENTIFIER_BEFORE.search(text, 0, cue.offset):
            continue
        return True
    return False


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
    dated = bool(_DATED.search(core)) or any(
        c.kind == "number" and _YEARISH.match(c.text.lstrip("$€£")) for c in cues)  # weak history hints
    # research activity without a reported result is 'other' (or history when told as a trend)
    if _RESEARCH_ACTIVITY.search(core) and not _RESULT.search(core):
        return "prevalence-history" if history or dated else "other"
    if _mentions_harm(core):
        return "safety"
    if _MECHANISM.search(core) or _EXPLAINS.search(core):
        return "mechanism"
    if history:
        return "prevalence-history"
    if _EFFICACY.search(core):
        return "efficacy"
    return "prevalence-history" if dated else "other"


def exclusion_reason(text: str, cues: tuple[Cue, ...]) -> str:
    """Why a prose sentence is not a claim, or "" when it is one."""
    body = _NOTE_FRAME.sub("", text)
    has_figure = any(c.kind in ("percent", "number") for c in cues) and is_statistic(text, cues)
    named = any(c.kind in ("venue", "institution", "researcher") for c in cues)
    if _QUESTION_END.search(text):
        return "question"
    if _CTA_ANYWHERE.search(text):
        return "call to action"
    if _is_imperative(body):
        return "instruction or call to action"
    if _SELF_REFERENCE.search(text) and not named:
        return "the article describing itself"
    if _FIRST_PERSON.match(body) and not (named or has_figure or _BELIEF_THAT.search(body)):
        return "the author speaking of themselves"
    if (_ADVICE.search(body) or _NORM.search(body) or _SHOULD.search(body)) and not named:
        return "advice to the reader"
    if _PREDICTION.search(body) and not (has_figure or named):
        return "prediction"
    if _GAP.search(body) and not without_gaps(body) and not named:
        return "knowledge gap"
    words = re.findall(r"[A-Za-z][\w'-]*", body)
    if len(words) < 4 or not _VERB_HINT.search(body):
        return "fragment"
    if text[:1].islower() and not has_figure:
        return "fragment"  # a list item continuing a lead-in sentence ("...if you:")
    if _YOU_SUBJECT.match(body) and not _any_kind(body) and not has_figure:
        return "addressed to the reader"
    if (_OPINION.search(body) or text.rstrip().endswith("!")) and not (has_figure or named) \
            and not _factual_core(body):
        return "opinion without factual content"
    return ""


def _is_imperative(body: str) -> bool:
    rest = _LEADING_CLAUSE.sub("", body, count=1)
    rest = _ADVERB.sub("", rest, count=1)
    m = _IMPERATIVE.match(rest)
    if not m:
        return False
    after = rest[m.end():].lstrip()
    # "Read this guide" is an instruction; "Studies show..." or "Check-ups are..." is not
    return not re.match(r"(?i)(?:is|are|was|were|has|have|had|can|may|will|-)\b", after)


def _any_kind(text: str) -> bool:
    return bool(_MECHANISM.search(text) or _mentions_harm(text) or _HISTORY.search(text)
                or _EFFICACY.search(text))


def _factual_core(text: str) -> bool:
    """Does an enthusiastic sentence still assert something checkable?"""
    t = _OPINION.sub(" ", text)
    return bool(_MECHANISM.search(t) or _mentions_harm(t) or _HISTORY.search(t)
                or re.search(r"\b(?:effective|efficacy|relief|improve\w*|reduc\w*|treat\w*)\b", t, re.I)
                and not re.search(r"\b(?:hope|exciting|bright)\b", t, re.I))


def extract_claims(doc: Document) -> tuple[Claim, ...]:
    """Every claim in a document, in reading order."""
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    citations = _citations_by_sentence(doc)
    for sentence in doc.sentences:
        if sentence.block_kind not in _CLAIM_BLOCKS:
            continue
        claim = sentence_to_claim(doc.path, sentence, citations.get(sentence.index, ()), seen)
        if claim is not None:
            claims.append(claim)
    return tuple(claims)


def sentence_to_claim(article: str, sentence: Sentence, cites: tuple[Citation, ...] = (),
                      seen: dict[str, int] | None = None) -> Claim | None:
    text = sentence.text
    found = attribution.find(text)
    cues = find_cues(text, found)
    if exclusion_reason(text, cues) and not cites:
        return None
    attributions = tuple(Attribution(kind=a.kind, name=a.name, text=a.text)
                         for a in found if a.kind is not None)
    return Claim(
        id=claim_id(article, text, seen),
        article=article,
        sentence=sentence.index,
        span=sentence.span,
        text=text,
        kind=classify_kind(text, cues),
        cues=cues,
        attributions=attributions,
        hedged=any(c.kind == "hedge" for c in cues),
        citations=cites,
    )


def _citations_by_sentence(doc: Document) -> dict[int, tuple[Citation, ...]]:
    """Attach each citation to the sentence containing it, or the one just before it.

    "... improved [@a]." sits inside its sentence; "... improved. [@a]" belongs
    to the sentence it follows, within the same block.
    """
    out: dict[int, list[Citation]] = {}
    sentences = [s for s in doc.sentences if s.block_kind in _CLAIM_BLOCKS]
    for cite in doc.citations:
        if cite.nocite:
            continue
        best = None
        for s in sentences:
            if s.span.start <= cite.span.start < s.span.end:
                best = s
                break
            if s.span.start > cite.span.start:
                break
            best = s
        if best is not None and (best.span.start <= cite.span.start):
            block = doc.blocks[best.block].span
            if block.start <= cite.span.start < block.end or cite.span.start < best.span.end:
                out.setdefault(best.index, []).append(cite)
    return {k: tuple(v) for k, v in out.items()}
