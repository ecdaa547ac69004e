"""Project codes: one format for every path that records a project (form, import, API, demo,
ingest, the bulk import and the scale generator): ``XM`` + the year the project is recorded + ``-``
+ that year's running number, at least four digits (XM2026-0108, then XM2026-10000 past 9,999).

The numbers run per year across the installation, not per county: codes are unique in the whole
database, and a county's own year of numbers would repeat in the next county. Each year's last
number is a row of ``ProjectCodeSequence``, locked while numbers are drawn, so two projects recorded
at once never draw the same one. Codes of the old form (XM00000362) were renumbered by migration
0012, the old code kept in ``Project.former_code`` (decision "entry" in docs/decisions.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from zhaoshang.core.queries import for_update

PATTERN = re.compile(r"^XM(?P<year>\d{4})-(?P<number>\d{4,})$")


def format_code(year: int, number: int) -> str:
    return f"XM{year}-{number:04d}"


def next_codes(year: int, count: int = 1, *, units: Iterable[Any] = ()) -> list[str]:
    """``count`` new codes of ``year``, in order, for projects of ``units``.

    The year's row stays locked until the transaction ends. The audit chain heads of ``units``
    (which the creation takes anyway, in ``audit.record``) are locked first, in a fixed order: so
    the sequence is only ever waited for by a write that already holds its county's head, and a
    write holding the sequence never waits for a head another holder of the sequence wants."""
    from zhaoshang.projects.models import ProjectCodeSequence

    with transaction.atomic():
        _lock_chains(units)
        ProjectCodeSequence.objects.get_or_create(year=year)
        sequence = for_update(ProjectCodeSequence.objects.filter(year=year)).get()
        first = sequence.last + 1
        sequence.last += count
        sequence.save(update_fields=["last"])
    return [format_code(year, number) for number in range(first, first + count)]


def _lock_chains(units: Iterable[Any]) -> None:
    from zhaoshang.audit.models import ChainHead
    from zhaoshang.audit.services import chain_for

    for chain in sorted({chain_for(unit) for unit in units}):  # the order bulk_import locks them in
        ChainHead.objects.get_or_create(chain=chain)
        for_update(ChainHead.objects.filter(chain=chain)).get()


def reserve_through(year: int, number: int) -> None:
    """Numbers up to ``number`` of ``year`` are taken (by codes written without ``next_codes``:
    an explicit code in the format, the scale generator): the next code is drawn after them."""
    from zhaoshang.projects.models import ProjectCodeSequence

    with transaction.atomic():
        ProjectCodeSequence.objects.get_or_create(year=year)
        sequence = for_update(ProjectCodeSequence.objects.filter(year=year)).get()
        if sequence.last < number:
            sequence.last = number
            sequence.save(update_fields=["last"])


def note_explicit(code: str) -> None:
    """A code given by a caller: when it is in the format, its number is taken."""
    match = PATTERN.match(code)
    if match:
        reserve_through(int(match["year"]), int(match["number"]))
