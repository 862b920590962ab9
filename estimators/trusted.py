"""Pydantic models built from values the engine has already checked, without re-validation.

`BaseModel.model_construct` skips validation but walks every field's aliases and defaults on
each call, which in pydantic 2.x costs about twice a validating `__init__`; an estimate builds
~70 line items, so that walk alone was a tenth of `estimate()`. `trusted` sets the same state
`model_construct` does for a call that gives every field, and no more. Arrays of draws (the
uncertainty analysis) pass through it untouched, as they do through `model_construct`.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


@cache
def _field_names(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.__pydantic_fields__)


def trusted(model: type[M], **values: Any) -> M:
    """`model.model_construct(**values)` for a model without aliases, extras, private attributes
    or post-init, given every field: the instance's fields in declaration order, as
    `model_construct` orders them (repr and dumps read that order)."""
    names = _field_names(model)
    if tuple(values) != names:  # another order, or fields missing or unknown
        if values.keys() != set(names):
            raise TypeError(f"{model.__name__}: expected the fields {', '.join(names)}")
        values = {name: values[name] for name in names}
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(names))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance
