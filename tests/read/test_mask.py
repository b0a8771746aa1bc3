"""The prose mask (read/_common.py): the text with ranges blanked, newlines kept, read
whole or in part; one byte per character, whatever the script."""

from __future__ import annotations

import random
import tracemalloc

from evgrade.read._common import Mask


def reference(text: str, blanked: list[tuple[int, int]]) -> str:
    """What blanking means, character by character."""
    chars = list(text)
    for start, end in blanked:
        for i in range(max(start, 0), min(end, len(chars))):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def test_blanking_keeps_line_ends_and_offsets_in_any_order_of_ranges() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice("ab \n\r’é\t氯") for _ in range(rng.randint(0, 60)))
        mask, done = Mask(text), []
        for _ in range(rng.randint(0, 8)):
            start, end = rng.randint(-5, len(text) + 5), rng.randint(-5, len(text) + 5)
            mask.blank(start, end)
            done.append((start, end))
            a, b = rng.randint(-3, len(text) + 3), rng.randint(-3, len(text) + 3)
            assert mask.text(a, b) == reference(text, done)[a:b]
        assert str(mask) == reference(text, done)
        assert len(str(mask)) == len(text)


def test_a_mask_costs_a_byte_a_character_outside_latin_1_too() -> None:
    text = "氯胺酮治疗抑郁症\n" * 125_000            # a million characters, none of them Latin-1
    tracemalloc.start()
    try:
        mask = Mask(text)
        for start in range(0, len(text), 9):
            mask.blank(start, start + 4)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 1.5 * len(text)       # a list of the characters would hold 8 bytes + an object each
    assert str(mask).count("\n") == 125_000 and str(mask)[:9] == "    疗抑郁症\n"
