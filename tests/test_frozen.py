"""evgrade._frozen: the models' base shares the sets of field names given, and nothing else changes."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from pydantic import ValidationError

from evgrade.claims.detect import extract_claims
from evgrade.models import Claim, Document, Span
from evgrade.read import read_path

ROOT = Path(__file__).resolve().parents[1]


def _span(start: int, end: int) -> Span:
    return Span(start=start, end=end, line=1, col=start + 1, end_line=1, end_col=end + 1)


def test_instances_given_the_same_names_share_one_set() -> None:
    a, b = _span(0, 3), _span(4, 9)
    assert a.model_fields_set == {"start", "end", "line", "col", "end_line", "end_col"}
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    nested = Document.model_validate({"path": "a.txt", "format": "text", "text": "abc", "prose": "abc"})
    again = Document.model_validate_json(nested.model_dump_json(exclude_unset=True))
    assert nested.model_fields_set == again.model_fields_set == {"path", "format", "text", "prose"}
    assert nested.__pydantic_fields_set__ is again.__pydantic_fields_set__


def test_what_pydantic_does_with_the_set_is_unchanged() -> None:
    a, b = _span(0, 3), _span(4, 9)
    doc = Document(path="a.txt", format="text", text="abc", prose="abc")
    copied = doc.model_copy(update={"title": "A"})
    assert copied.model_fields_set == doc.model_fields_set | {"title"}
    assert "title" not in doc.model_fields_set      # the shared set was copied, not changed
    assert doc.model_dump(exclude_unset=True) == {"path": "a.txt", "format": "text", "text": "abc",
                                                  "prose": "abc"}
    assert pickle.loads(pickle.dumps(a)) == a
    with pytest.raises(ValidationError):
        a.start = 2            # still frozen
    with pytest.raises(ValidationError):
        Span(start=0, end=1, line=1, col=1, end_line=1, end_col=2, extra=1)   # still no unknown fields
    assert a != b and a == _span(0, 3)


def test_the_claims_of_a_real_article_share_a_handful_of_sets() -> None:
    doc = read_path(ROOT / "articles" / "why-does-ketamine-therapy-work.txt")
    claims = extract_claims(doc)
    objects = [m for c in claims for m in (c, c.span, *c.cues)] + [b for b in doc.blocks]
    assert len(objects) > 100
    assert len({id(m.__pydantic_fields_set__) for m in objects}) <= 8
    assert all(isinstance(c, Claim) for c in claims)
