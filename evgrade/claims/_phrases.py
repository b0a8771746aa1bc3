"""Word-list patterns shared by the claim rules (cues, kinds, exclusions)."""

from __future__ import annotations

import re


def phrases(words: str) -> re.Pattern[str]:
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
