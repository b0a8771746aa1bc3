"""A PICO-style question guessed from a claim's wording, for the journal-club worksheet.

General rules of English health writing, not phrases from any article (docs/output.md,
"Worksheet"): a population is a people word ("patients", "adults", ...) with what
qualifies it ("with X", "diagnosed with X") or an animal word; an intervention follows
"receiving", "treated with", "treatment with", ... or is the word before "therapy",
"treatment", "infusion"; a comparison follows "compared with", "versus", "than",
"unlike"; an outcome starts at a word of change or effect ("reducing", "improvement",
"relief", "response", "remission", "symptoms of"). Each phrase ends at punctuation, at
a word that starts a new clause, or after :data:`MAX_WORDS` words. Anything not found
is left for the club to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import _patterns

MAX_WORDS = 6
_TOKEN = _patterns.compile(r"[\w’'%-]+[.,;:!?)]*|[^\w\s]+")
_PEOPLE = {"patients", "patient", "people", "individuals", "adults", "children", "adolescents",
           "participants", "subjects", "veterans", "women", "men", "persons", "volunteers",
           "users", "sufferers"}
_ANIMALS = {"mice", "rats", "rodents", "animals", "primates", "monkeys"}
_QUALIFIERS = {"with", "suffering", "diagnosed", "experiencing", "having"}
_INTERVENTION_LEADS = {"receiving", "received", "given", "using", "administered", "taking"}
_INTERVENTION_PAIRS = {("treated", "with"), ("treatment", "with"), ("administration", "of"),
                       ("use", "of"), ("doses", "of"), ("dose", "of")}
_INTERVENTION_HEADS = {"therapy", "treatment", "treatments", "infusion", "infusions",
                       "injection", "injections", "therapies"}
_COMPARISON_LEADS = {"than", "unlike", "versus", "vs", "vs."}
_COMPARISON_PAIRS = {("compared", "with"), ("compared", "to"), ("relative", "to"),
                     ("instead", "of"), ("rather", "than")}
_OUTCOME_WORDS = _patterns.compile(r"^(?:reduc|improv|relie|alleviat|response|remission|recover|"
                            r"symptom|relapse|side)")
_STOPS = {"who", "that", "which", "showed", "show", "shows", "were", "was", "is", "are", "had",
          "has", "have", "after", "when", "while", "and", "but", "in", "for", "than", "compared",
          "versus", "by", "because", "as", "within", "over", "can", "may", "might", "could",
          "will", "would", "should", "to", "from", "such", "like", "including", "at", "on"}
_WEAK = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "new",
         "newer", "other", "more", "most", "effective", "traditional", "many", "some", "any",
         "of", "is", "are", "be", "been", "as", "for", "and", "in", "to", "such", "several",
         "it", "they", "we", "one", "research", "studies", "study", "however", "moreover",
         "furthermore", "also", "while", "although", "in", "for", "example", "addition"}
_VERBS = {"is", "are", "was", "were", "has", "have", "had", "can", "may", "might", "could",
          "will", "would", "should", "works", "work", "provides", "offers", "helps", "reduces",
          "improves", "increases", "blocks", "acts", "targets", "leads", "produces", "causes"}
_ADJECTIVE_ENDS = ("ing", "ed", "al", "ive", "ful", "ous", "ary", "ic", "ent", "ant")


@dataclass(frozen=True)
class Question:
    population: str = ""
    intervention: str = ""
    comparison: str = ""
    outcome: str = ""


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _bare(token: str) -> str:
    return token.lower().rstrip(".,;:!?)")


def _phrase(tokens: list[str], start: int, stops: set[str] = _STOPS) -> str:
    out: list[str] = []
    for tok in tokens[start:start + MAX_WORDS]:
        word = _bare(tok)
        if not word[:1].isalnum() or (out and word in stops):
            break
        out.append(tok.rstrip(".,;:!?"))
        if tok != tok.rstrip(".,;:!?)"):
            break
    while out and _bare(out[-1]) in _WEAK:
        out.pop()
    return " ".join(out).rstrip(")")


def _population(tokens: list[str], low: list[str]) -> str:
    for i, word in enumerate(low):
        if word in _ANIMALS:
            return tokens[i].rstrip(".,;:!?") + " (animals)"
        if word not in _PEOPLE:
            continue
        start = i
        while start > 0 and start > i - 2 and ("-" in low[start - 1] or low[start - 1].endswith("ed")):
            start -= 1
        head = " ".join(t.rstrip(".,;:!?") for t in tokens[start:i + 1])
        if i + 1 < len(low) and low[i + 1] in _QUALIFIERS and tokens[i][-1:].isalnum():
            rest = _phrase(tokens, i + 1, _STOPS - {"with", "from"})
            return f"{head} {rest}".strip()
        return head
    return ""


def _after(tokens: list[str], low: list[str], leads: set[str], pairs: set[tuple[str, str]]) -> str:
    for i, word in enumerate(low):
        if word in leads and i + 1 < len(low):
            found = _phrase(tokens, i + 1)
        elif i + 2 < len(low) and (word, low[i + 1]) in pairs:
            found = _phrase(tokens, i + 2)
        else:
            continue
        if found:
            return found
    return ""


def _subject(tokens: list[str], low: list[str]) -> str:
    """The words before the first verb, at the start or after "that": what the claim is about."""
    starts = [0] + [i + 1 for i, w in enumerate(low) if w == "that"]
    for start in starts:
        end = next((j for j in range(start, min(start + 4, len(low))) if low[j] in _VERBS), None)
        words = low[start:end] if end is not None else []
        if words and all(w.isalpha() and w not in _WEAK and w not in _PEOPLE for w in words):
            return " ".join(tokens[start:end])
    return ""


def _intervention(tokens: list[str], low: list[str]) -> str:
    found = _after(tokens, low, _INTERVENTION_LEADS, _INTERVENTION_PAIRS) or _subject(tokens, low)
    if found:
        return found
    for i, word in enumerate(low[1:], 1):
        before = low[i - 1]
        if word in _INTERVENTION_HEADS and before.isalpha() and before not in _WEAK \
                and not before.endswith(_ADJECTIVE_ENDS):
            return f"{tokens[i - 1]} {tokens[i].rstrip('.,;:!?')}"
    return ""


def _outcome(tokens: list[str], low: list[str]) -> str:
    for i, word in enumerate(low):
        if _OUTCOME_WORDS.match(word):
            start = i - 1 if i and low[i - 1] in {"significant", "rapid", "greater", "marked"} else i
            found = _phrase(tokens, start)
            if found:
                return found
    return ""


def question(text: str) -> Question:
    """The PICO parts the claim states; empty strings for the parts it does not."""
    tokens = _words(" ".join(text.split()))
    low = [_bare(t) for t in tokens]
    comparison = _after(tokens, low, _COMPARISON_LEADS, _COMPARISON_PAIRS)
    if not comparison and "placebo" in low:
        comparison = "placebo"
    return Question(population=_population(tokens, low), intervention=_intervention(tokens, low),
                    comparison=comparison, outcome=_outcome(tokens, low))


__all__ = ["MAX_WORDS", "Question", "question"]
