"""Exclusions: prose sentences that are not claims (docs/claims.md, section 2).

Questions, calls to action, instructions, the article describing itself, the
author speaking of themselves, advice, predictions, knowledge gaps, fragments,
sentences addressed to the reader and opinion without factual content. A
figure or a named source keeps most of them claims: an unsupported number must
never slip through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .. import _patterns
from ._guard import guarded
from ..models import Cue
from ._phrases import phrases
from ._leads import ROLE_WORD
from .cues import is_statistic
from .kinds import any_kind, mentions_gap, without_gaps

_UNMARKED_QUESTION = _patterns.compile(
    r"(?:is|are|was|were|do|does|did|can|could|should|would|will|has|have)\s+(?:this|that|it|there|i|you|we|they|he|"
    r"she|my|your)\b|(?:what|why|which|who)\s", re.IGNORECASE)
_QUESTION_END = _patterns.compile(r"\?[\"'\u201d\u2019)]*(?:\s*[\u2014\u2013-]+\s*[A-Z][\w ,.'-]{0,40})?$")
_CTA_ANYWHERE = guarded(phrases(
    "contact us|call us|email us|reach out to us|schedule (?:a|your) (?:consultation|appointment|visit)|"
    "book (?:a|an|your) (?:consultation|appointment)|"
    "talk to your (?:doctor|healthcare provider|physician|provider)|"
    "speak (?:to|with) your (?:doctor|healthcare provider|physician)|"
    "(?:we|i) (?:\\w+ )?recommend|click here|learn more|today to|call today|request (?:a|an) appointment|please"))
# what a text calls itself
_TEXTS = ("blog post|post|article|guide|piece|page|section|blog|faq|video|leaflet|fact sheet|factsheet|"
          "newsletter|episode|podcast|thread|column|issue|booklet|handout|brochure|e-mail|email|document|"
          "press release|report|sheet|summary")
_SELF_REFERENCE = guarded(phrases(
    "in this (?:" + _TEXTS + ")|"
    "this (?:" + _TEXTS + "|site|website|forum|board) (?:\\w+ )?"
    "(?:aims|will|explores|discusses|covers|looks|collects|is for|is not|isn't|is a|contains|explains|describes|"
    "tells|gives|answers|sets out|summari[sz]es|was (?:last )?(?:revised|updated|reviewed|written|published))|"
    "(?:is|are) available (?:on request|for interview|to download|for download)|can be downloaded|"
    "this is (?:a|an|our) (?:forum|blog|website|site|page)|not medical advice|for general information|"
    "we will (?:explore|discuss|look|examine|cover|review|delve)|"
    "let's (?:explore|take a look|dive|look)|read on|keep reading|as (?:we|i) (?:mentioned|discussed)|"
    # disclaimers: "The views of guests are their own", "Everything here is my own experience"
    "(?:views?|opinions?) (?:of (?:\\w+ ){1,2})?(?:are|is) (?:their|his|her|my|our) own|"
    "(?:is|are) (?:just |only )?(?:my|our) own (?:experiences?|opinions?|views?)"))
# a publisher's blurb: "HeartTalk is a peer support community", "Dr. Lee is a GP at Hill Surgery"
_BLURB = _patterns.compile(
    r"^(?:(?:Dr|Prof|Professor)\.?\s+)?[A-Z][\w'&-]*(?:\s+[A-Z][\w'&-]*){0,3}\s+is\s+an?\s+(?:[\w-]+\s+){0,4}?"
    r"(?:community|forum|website|site|charity|magazine|podcast|newsletter|blog|publication|network|"
    r"(?i:" + ROLE_WORD + r")\s+(?:at|with|in)\b)")
_ADVICE = guarded(_patterns.compile(
    r"\b(?:it is|it's) (?:important|crucial|essential|vital|advisable|recommended|best|wise|key)"
    r" (?:for (?:\w+ ){1,4})?to (?:note|remember|weigh|talk|consult|discuss|speak|find|seek|consider|"
    r"ask|be aware|keep in mind|understand that)\b"
    r"|\b(?:you|patients|readers|one) (?:should|must|need to|ought to|have to)\b"
    # "if you (or your child / a family member) are...": a condition put to the reader
    r"|\bif you (?:or (?:a|an|your) (?:\w+ ){1,2})?(?:are|is|have|has|think|feel|want|would|'re)\b"
    r"|\bif you are considering\b",
    re.IGNORECASE))
# At the start (``match``): what the reader's own clinician will do is the reader's care, not a
# finding; "The recommended dose is two puffs" is a recommendation, like "should" (section 7).
_ADVICE_OPENING = _patterns.compile(
    r"your (?:own )?(?:doctor|gp|pharmacist|nurse|dentist|consultant|care team|specialist|midwife) "
    r"(?:may|will|can|might|could|should|would)\b"
    r"|the (?:usual )?recommended (?:\w+ )?(?:dose|amount|intake|schedule)\b", re.IGNORECASE)
# "It is important to note that X" is a claim about X: strip the frame, not the sentence.
# A recommendation: "Children should get the first dose at 12-15 months."
_SHOULD = _patterns.compile(r"^(?:[A-Z][\w'-]*\s+){0,6}(?:should|must|ought to)\b(?! not be (?:confused|mistaken))")
_YOU_SUBJECT = _patterns.compile(r"^(?:[\w,' ]{0,40}\s)?(?:you|you're|you've|you'll)\b", re.IGNORECASE)
_NOTE_FRAME = _patterns.compile(
    r"^(?:it is|it's) (?:important|worth|crucial|essential) (?:to note|noting|to remember|to mention)"
    r"(?:,? however,?)? that\s+", re.IGNORECASE)
_OPINION = guarded(phrases(
    "looks bright|exciting prospect|exciting|game-changing|revolutioni[sz]e|hope for|new hope|"
    "offers hope|offering hope|breakthrough|frontier|undeniable|remarkable|incredible|amazing"))
_VERB_HINT = _patterns.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|can|could|may|might|will|would|"
    r"shall|should|must)\b|\b(?!(?-i:[A-Z]+)\b)\w+(?:ed|es|s)\b|\b\w+n['\u2019]t\b"
    r"|\b(?:i|we|you|they)\s+[a-z]{2,}", re.IGNORECASE)   # a subject pronoun and a word: "I take 3 g a day"
_PREDICTION = guarded(_patterns.compile(
    # anticipation of what is to come: "looks bright", "(we can) look forward to", "can expect to see"
    r"\blooks? bright\b|\blook(?:s|ing)? forward to\b|\b(?:can|may) (?:expect|anticipate|hope) to see\b"
    r"|\bwill (?:likely|probably|undoubtedly) (?:be|become)\b"
    r"|\bin (?:the )?(?:near )?future,?\s+(?:[\w-]+\s+){1,5}(?:could|may|might|will|would)\s+(?:\w+\s+)?become\b",
    re.IGNORECASE))
_NORM = _patterns.compile(
    r"\b(?:is|are) (?:crucial|essential|vital|key|necessary) (?:to|for) (?:address|ensur|optimi|minimi|"
    r"maximi|mitigat|achiev)\w*", re.IGNORECASE)


class _Then(NamedTuple):
    """``first``, later ``then``, and no ``stop`` character between them: the regex
    ``first[^stop]*then`` (``first.*then`` when ``stop`` is a newline) without its retries."""
    first: re.Pattern[str]
    then: re.Pattern[str]
    stop: str

    def search(self, text: str) -> bool:
        # one try per stretch between two stop characters: the first ``first`` of a stretch
        # leaves the most room (matches of ``first`` cannot nest)
        pos = 0
        while (m := self.first.search(text, pos)) is not None:
            stop = text.find(self.stop, m.end())
            if self.then.search(text, m.end(), len(text) if stop == -1 else stop):
                return True
            if stop == -1:
                return False
            pos = stop + 1
        return False


_LEARN_THEN_CONTACT = _Then(
    guarded(_patterns.compile(r"\bto (?:truly )?(?:learn|find out|grasp|understand) (?:if|whether|more|the topic)\b", re.I)),
    _patterns.compile(r"\b(?:contact|recommend|visit|read|call)\b", re.I), "\n")
_LIKELY_WILL = _Then(guarded(_patterns.compile(r"\bit is likely that\b", re.I)), _patterns.compile(r"\bwill\b", re.I), ".")
_CRUCIAL_TO_BE = _Then(guarded(_patterns.compile(r"\b(?:it is|it's) (?:crucial|essential|important|vital|necessary) for\b",
                                           re.I)),
                       _patterns.compile(r"\bto be\b", re.I), ".")
# The author or publisher speaking of themselves ("I used to...", "We think...",
# "At X, our psychiatrists have offered..."): not a claim about the world.
_FIRST_PERSON = _patterns.compile(
    # after an opening quote, a leading phrase ("At X,", "Unfortunately,", "After the course,",
    # "This month", "Personally") or both
    r"^[\"'\u201c\u2018]?(?:[A-Z]{1,3}:\s*)?(?:[^,\"\u201c\u201d]{1,60},\s*|(?:this|last|next|every) (?:week|month|year|issue|time)\s+"
    r"|\w+ly\s+|(?:here's|here is|this is) (?:what|how|why)\s+)?"
    r"(?:i|we|i'm|we're|i've|we've|i'd|we'd|i'll|we'll|my|our)\b(?!\s+(?:study|studies|trial|results|data|findings|analysis|review)\b)",
    re.IGNORECASE)
# ... unless they report what their research found: "we identified four risk factors",
# "our intervention did not reduce obesity" (an author reporting a study is a finding)
_FIRST_PERSON_FINDING = _patterns.compile(
    r"^(?:i|we)\s+(?:\w+\s+)?(?:found|identified|observed|showed|demonstrated|report(?:ed)?|detected|"
    r"measured|estimated|confirmed)\b"
    r"|^our\s+(?:[\w-]+\s+){0,4}(?:intervention|programme|program|treatment|cohort|model|sample|patients|"
    r"participants)\b", re.IGNORECASE)
# Instructions to the reader: a sentence that opens with a verb in the imperative
# ("Check your records.", "Sit or lie down...", "When your mind wanders, gently bring it back").
_IMPERATIVE = phrases(
    "check|dim|put|sit|lie|close|open|try|give|take|make|keep|avoid|drink|eat|get|ask|talk|"
    "remember|note|consider|start|stop|use|choose|limit|aim|set|turn|breathe|focus|write|go|"
    "bring|let|don't|do not|be sure|make sure|think about|imagine|notice|relax|stay|spend|skip|"
    "book|call|contact|visit|schedule|read|find|discover|explore|learn|see|join|sign|share|follow|"
    "subscribe|download|click|speak|reach out|tell|pick|add|swap|replace|plan|track|write down|"
    "count|wait|repeat|hold|inhale|exhale|stretch|walk|rest|wash|apply|store|mix|measure|weigh|"
    "reduce|increase|cut|switch|consult|seek|monitor|record|log|watch|listen|practise|practice|"
    "prepare|fill|bring|wear|protect|talk|ask|let's|remember|follow|stick|aim|find out|opt|"
    "reapply|re-apply|rinse|shake|spray|swallow|chew|dissolve|cover|seek|sit down|lie down|tell")
# "I honestly believe that everyone can benefit..." still asserts what follows "that"
_BELIEF_THAT = guarded(_patterns.compile(r"\b(?:believe|think|know|found|find|feel|are convinced|conclude|concluded|showed|show) that\b\s+(?!you\b|too\b|either\b|way\b)",
                          re.IGNORECASE))
_LEADING_CLAUSE = _patterns.compile(r"^(?:when|if|before|after|once|while|as soon as|whenever|for|to|during)\b[^,]{1,80},\s*",
                             re.IGNORECASE)
_ADVERB = _patterns.compile(r"^(?:gently|simply|just|always|never|then|now|first|next|finally|also|slowly|"
                     r"please|and|so)\s+", re.IGNORECASE)


class _Facts(NamedTuple):
    text: str          # the sentence
    body: str          # without an "It is important to note that" frame
    has_figure: bool   # states a quantity
    named: bool        # names a journal, institution or researcher
    continues: bool = False   # the unit continues a lead-in or a cut line (detect decides)
    credited: bool = False    # leans on a source, named or not ("a study revealed")
    has_figure_claim: bool = False   # a percentage: never page furniture


# Page furniture that reaches the claims stage as prose (docs/claims.md, section 9): an image's
# alt text or caption label, a line of fields separated by " · " or " | " (byline, address, rating),
# a telephone number, a label that introduces a quoted belief ("MYTH 2: \"...\""), placeholder text.
_CAPTION = _patterns.compile(r"^[\[(](?:image|photo|picture|photograph|caption|figure|fig\.|video|illustration|credit)\b",
                      re.IGNORECASE)
_FIELDS = _patterns.compile(r"\s[\u00b7\u2022|]\s")
_PHONE = _patterns.compile(r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?|0\d{2,4}[\s.-])\d{3}[\s.-]?\d{3,4}(?!\w)"
                    r"|(?<![\w.])\d{3}[.-]\d{3}[.-]\d{4}(?!\w)")
_LABELLED_QUOTE = _patterns.compile(r"^[A-Z][A-Z ]{1,20}(?:\s?\d{1,3})?:\s*[\"\u201c][^\"\u201d]+[\"\u201d]$")
_DIGITS = _patterns.compile(r"\d\d\d")
_PLACEHOLDER_HINT = _patterns.compile(r"psum|PSUM|amet|AMET")
_IDENTIFIER = _patterns.compile(r"[A-Za-z0-9}]_[A-Za-z0-9{]")
_PLACEHOLDER = _patterns.compile(r"\blorem ipsum\b|\bdolor sit amet\b", re.IGNORECASE)


# a data field: a short label and a value of a word or two ("US: C (Risk not ruled out)")
# (each written so that a value splits into words one way only: no backtracking over a long value)
_FIELD = _patterns.compile(r"^[^:.!?]{1,25}:\s+[^\s(]+(?:\s+[^\s(]+)?\s*(?:\([^)]*\))?\s*$"
                    # or a labelled name or address: "Marketing Holder: Pell Pharma Ltd, Unit 4, Danbury DN4 7QE"
                    r"|^(?:[A-Z][\w'-]*\s){0,4}[A-Z][\w'-]*:\s+[A-Z0-9][\w'&.-]*(?:,?\s+[A-Z0-9][\w'&.-]*)*,?\s*$")
# a clinic describing its own service: "Westside Clinic offers TMS therapy to qualifying patients"
_SELF_PROMOTION = _patterns.compile(
    r"^(?:at\s+)?(?:[A-Z][\w'&.-]*\s+){0,5}(?:Clinic|Clinics|Centre|Center|Practice|Pharmacy|Wellness|Spa|Studio|"
    r"Institute|Group|Health|Therapy|Therapies)(?:,\s*|\s+)(?:we\s+)?(?:now\s+|proudly\s+)?"
    r"(?:offers?|provides?|speciali[sz]es?|is proud|welcomes?|accepts?|has been (?:offering|providing)|"
    r"(?:is|are) (?:dedicated|committed|here))\b")


def _furniture(s: _Facts) -> bool:
    text = s.text
    # the searches only run when the characters they need occur (most sentences have none)
    return bool(_CAPTION.match(text) or len(_FIELDS.findall(text)) >= 2 and text[-1:] not in ".!?"
                or _DIGITS.search(text) and _PHONE.search(text)
                or _LABELLED_QUOTE.match(text) or _PLACEHOLDER_HINT.search(text) and _PLACEHOLDER.search(text)
                or _FIELD.match(text) or _SELF_PROMOTION.match(text) or "_" in text and _code_like(text)
                ) and not s.has_figure_claim


def _code_like(text: str) -> bool:
    # a table header or code left in the prose: identifiers joined by "_", no closing punctuation
    return text[-1:] not in ".!?" and len(_IDENTIFIER.findall(text)) >= 2


def _reference_entry(s: _Facts) -> bool:
    # "[2] Figures from the Sun Council.": an entry of a list of sources (or a footnote)
    return bool(re.match(r"\[\d{1,3}\]\s", s.text))


def _question(s: _Facts) -> bool:
    # also a question without its mark ("Is this the statins or am I just getting old lol") and a
    # title in the form of an indirect question ("What the inhaler is and what it is used for")
    return bool(_QUESTION_END.search(s.text)) or s.text[-1:] not in ".!" and bool(_UNMARKED_QUESTION.match(s.text))


def _call_to_action(s: _Facts) -> bool:
    return bool(_CTA_ANYWHERE.search(s.text))


def _instruction(s: _Facts) -> bool:
    rest = _LEADING_CLAUSE.sub("", s.body, count=1)
    rest = _ADVERB.sub("", rest, count=1)
    m = _IMPERATIVE.match(rest)
    if not m:
        return False
    after = rest[m.end():].lstrip()
    # "Read this guide" is an instruction; "Studies show...", "Check-ups are..." or "Use of X
    # reduces..." (the verb's noun) is not
    return not re.match(r"(?i)(?:is|are|was|were|has|have|had|can|may|will|of|-)\b", after)


def _blurb(s: _Facts) -> bool:
    return bool(_BLURB.match(s.text)) and not s.has_figure


def _self_reference(s: _Facts) -> bool:
    # a name in it ("In this episode, X talks to Dr. Y") keeps it a claim only when a finding is reported
    return bool(_SELF_REFERENCE.search(s.text)) and not (s.named and _BELIEF_THAT.search(s.text))


def _first_person(s: _Facts) -> bool:
    exclaims = s.text.rstrip("\"'\u201d\u2019").endswith("!")
    if _ELIDED_I.match(s.body) or exclaims and _TESTIMONIAL.search(s.text) or _OWN_FEELINGS.search(s.text):
        return not s.has_figure
    return bool(_FIRST_PERSON.match(s.body)) and not (
        s.named or s.credited or s.has_figure or _BELIEF_THAT.search(s.body) or _FIRST_PERSON_FINDING.search(s.body))


# "Been on atorvastatin for weeks and my calves ache": the "I" left out of an anecdote
_ELIDED_I = guarded(_patterns.compile(r"(?:been|was|had|got|tried|took|started|used|felt)\b.*\b(?:my|me)\b", re.IGNORECASE))
# a testimonial: an exclamation about "my" ("Finally something that works for my IBS!")
_TESTIMONIAL = _patterns.compile(r"\b(?:my|me)\b[^.?]*![\"'\u201d\u2019]*$", re.IGNORECASE)
# the speaker's own feelings ("We are delighted that...", "I'm thrilled"), credited or not
_OWN_FEELINGS = guarded(_patterns.compile(r"\b(?:we|i)\s*(?:are|am|'re|'m)\s+(?:so\s+|very\s+)?(?:delighted|pleased|proud|thrilled|"
                           r"excited|happy|grateful|honoured|honored)\b", re.IGNORECASE))


def _advice(s: _Facts) -> bool:
    body = s.body
    return bool(_ADVICE_OPENING.match(body) or _ADVICE.search(body) or _LEARN_THEN_CONTACT.search(body) or _NORM.search(body)
                or _CRUCIAL_TO_BE.search(body) or _SHOULD.search(body)) and not s.named


def _prediction(s: _Facts) -> bool:
    # a prediction credited to someone is still a prediction (section 9)
    return bool(_PREDICTION.search(s.body) or _LIKELY_WILL.search(s.body)) and not s.has_figure


def _knowledge_gap(s: _Facts) -> bool:
    # credited or not: a gap in an expert's mouth is still nothing to cite (section 9)
    return mentions_gap(s.body) and not without_gaps(s.body)


def _too_short(s: _Facts) -> bool:
    words = re.findall(r"[A-Za-z][\w'-]*", s.body)
    return len(words) < 4 or not _VERB_HINT.search(s.body)


def _continues_lead_in(s: _Facts) -> bool:
    # a list item continuing a lead-in sentence ("...if you:"); in running prose a lower-case
    # start is only casual writing ("the trial found..."), not a continuation
    return s.continues


def _addressed_to_reader(s: _Facts) -> bool:
    # "If you're worried, mineral sunscreens sit on the skin": the main clause is not about the reader
    main = _LEADING_CLAUSE.sub("", s.body, count=1)
    return bool(_YOU_SUBJECT.match(main)) and not any_kind(s.body) and not s.has_figure


def _opinion(s: _Facts) -> bool:
    enthusiastic = bool(_OPINION.search(s.body)) or s.text.rstrip().endswith("!")
    return enthusiastic and not (s.has_figure or s.named or s.credited) and not _factual_core(s.body)


def _factual_core(text: str) -> bool:
    """Does an enthusiastic sentence still assert something checkable?"""
    t = _OPINION.sub(" ", text)
    return bool(any_kind(t, efficacy=False)
                or re.search(r"\b(?:effective|efficacy|relief|improve\w*|reduc\w*|treat\w*)\b", t, re.I)
                and not re.search(r"\b(?:hope|exciting|bright)\b", t, re.I))


# First rule that applies gives the reason; the order is the guidelines' order.
_RULES: tuple[tuple[str, Callable[[_Facts], bool]], ...] = (
    ("page furniture", _furniture),
    ("reference entry", _reference_entry),
    ("question", _question),
    ("call to action", _call_to_action),
    ("instruction or call to action", _instruction),
    ("the article describing itself", _self_reference),
    ("the publisher describing itself", _blurb),
    ("the author speaking of themselves", _first_person),
    ("advice to the reader", _advice),
    ("prediction", _prediction),
    ("knowledge gap", _knowledge_gap),
    ("fragment", _too_short),
    ("fragment", _continues_lead_in),
    ("addressed to the reader", _addressed_to_reader),
    ("opinion without factual content", _opinion),
)


def is_fragment(text: str) -> bool:
    """Too short to be a claim (the "fragment" rule), whatever its cues: then some
    exclusion applies, so a caller may skip finding the cues (a page of "1. 1. 1."
    has thousands of such sentences)."""
    return _too_short(_Facts(text, _NOTE_FRAME.sub("", text), False, False))


def exclusion_reason(text: str, cues: tuple[Cue, ...], *, continues: bool = False) -> str:
    """Why a prose sentence (or list item) is not a claim, or "" when it is one."""
    facts = _Facts(
        text=text,
        body=_NOTE_FRAME.sub("", text),
        has_figure=any(c.kind in ("percent", "number") for c in cues) and is_statistic(text, cues),
        named=any(c.kind in ("venue", "institution", "researcher") for c in cues),
        continues=continues,
        has_figure_claim=any(c.kind == "percent" for c in cues),
        credited=any(c.kind in ("venue", "institution", "researcher", "vague-attribution", "study-reference")
                     for c in cues),
    )
    for reason, applies in _RULES:
        if applies(facts):
            return reason
    return ""
