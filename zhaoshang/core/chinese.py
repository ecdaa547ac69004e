"""Simplified and Traditional Chinese: one converter (OpenCC) for every place that folds them.

Reports and spreadsheets that counties keep are often in Traditional script, the records mostly in
Simplified. Search, imports and duplicate detection fold the two; the Traditional interface is
Simplified converted character by character with Taiwan's standard forms but mainland vocabulary
(OpenCC ``s2tw``, not ``s2twp``: 信息 stays 信息, 软件 becomes 軟件, not 軟體).
"""

from __future__ import annotations

import functools

import opencc
from django.db.models import Q


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    return _converter("s2tw").convert(text) if text else text


def script_variants(text: str) -> list[str]:
    """``text`` as typed, in Simplified and in Traditional script, without repeats: what a search
    looks for, so that 綜合 finds 综合 and 综合 finds 綜合."""
    return list(dict.fromkeys([text, to_simplified(text), to_traditional(text)]))


def text_q(value: str, *fields: str) -> Q:
    """Rows where any of ``fields`` contains ``value`` (case-insensitively) in either script: the
    search of every list, so that 綜合 finds 综合."""
    query = Q()
    for text in script_variants(value):
        for field in fields:
            query |= Q(**{f"{field}__icontains": text})
    return query
