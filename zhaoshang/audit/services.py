"""Writing and verifying the audit trail.

Every service that changes a domain record calls ``record`` inside its own transaction, so the
entry exists exactly when the change does. Entries of one chain are numbered 1, 2, 3 … and each
carries the hash of the one before it: altering, removing or reordering entries breaks the chain
at the first affected entry, which ``verify`` reports.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import operator
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from zhaoshang.audit.context import current_request
from zhaoshang.audit.display import audit_label, display, field_of, model_of
from zhaoshang.audit.models import ChainHead, Entry
from zhaoshang.core import tree
from zhaoshang.core.actors import actor_name
from zhaoshang.core.bulk import tuple_getter
from zhaoshang.core.queries import for_update

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

GENESIS = "0" * 64

Saved = TypeVar("Saved", bound=models.Model)


def to_json(value: Any) -> Any:
    """A JSON-safe, exact form of a field value: Decimals and dates become strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_json(v) for v in value]
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


_PLAIN_JSON = frozenset({str, int, bool, float, type(None)})


@functools.cache
def _snapshot_fields(
    model: type[models.Model], exclude: tuple[str, ...]
) -> tuple[tuple[str, ...], Any, dict[str, Decimal]]:
    """The attnames of the fields ``snapshot`` keeps, one getter of all of them, and the quantum of
    each decimal field."""
    fields = [f for f in model._meta.concrete_fields if f.name not in exclude]
    names = tuple(f.attname for f in fields)
    read = tuple_getter(names, operator.attrgetter)
    quanta = {
        f.attname: Decimal(1).scaleb(-f.decimal_places) for f in fields if isinstance(f, models.DecimalField)
    }
    return names, read, quanta


def snapshot(instance: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The concrete field values of a record (foreign keys as ids). A bulk import takes one per row,
    so the fields are listed once per model and plain values skip ``to_json``."""
    names, read, quanta = _snapshot_fields(type(instance), exclude)
    data = dict(zip(names, read(instance), strict=True))
    for name, value in data.items():
        if type(value) in _PLAIN_JSON:
            continue
        if isinstance(value, Decimal) and name in quanta:
            value = value.quantize(quanta[name])  # as the database keeps it
        data[name] = to_json(value)
    return data


def chain_for(unit: Any) -> str:
    """The chain a record of ``unit`` belongs to: its county's path, or the root's above counties."""
    if unit is None:
        return "system"
    from zhaoshang.units.models import Unit

    county = Unit.objects.county_of(unit)
    return county.path if county is not None else unit.path[: tree.SEGMENT_WIDTH]


def _locked_head(unit: Any) -> ChainHead | None:
    """The locked head of the chain of a unit below a county, found with its county in one
    statement (``chain_for``'s rule as a subquery); None when that chain has no head yet or the unit
    has no county (the caller then takes ``chain_for``'s way). Every write of a county passes here."""
    if unit is None:
        return None
    from zhaoshang.units.models import Unit

    county = Unit.objects.counties_above(unit).values("path")[:1]
    return for_update(ChainHead.objects).filter(chain=models.Subquery(county)).first()


def _digest(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# The fields an entry's hash covers, in the order of the model.
HASHED = (
    "chain",
    "seq",
    "at",
    "user_id",
    "user_name",
    "unit_name",
    "client_ip",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "note",
    "prev_hash",
)


def entry_hash(entry: Entry | Mapping[str, Any]) -> str:
    """The hash of an entry, given as the model instance or as a dict of its field attnames (a bulk
    path's rows, which never become instances)."""
    if isinstance(entry, Mapping):
        fields = {name: entry[name] for name in HASHED}
    else:
        fields = {name: getattr(entry, name) for name in HASHED}
    fields["at"] = fields["at"].astimezone(dt.UTC).isoformat()
    return _digest(fields)


def record(
    action: str,
    obj: models.Model,
    *,
    by: User | None,
    unit: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> Entry:
    """Append one entry to the chain of ``unit``; must run inside the transaction of the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    head = _locked_head(unit)
    if head is None:  # the chain's first entry (or a unit above the counties): the slow way
        chain = chain_for(unit)
        head = for_update(ChainHead.objects).filter(chain=chain).first()
        if head is None:  # the chain's first entry: create its head, then lock it like any other
            ChainHead.objects.get_or_create(chain=chain)
            head = for_update(ChainHead.objects).get(chain=chain)
    chain = head.chain
    info = current_request()
    actor = by if by is not None and getattr(by, "is_authenticated", False) else None
    entry = Entry(
        chain=chain,
        seq=head.length + 1,
        at=timezone.now(),
        user=actor,
        user_name=actor_name(actor),
        unit_name=str(unit) if unit is not None else "",
        client_ip=info.client_ip if info else None,
        request_id=info.request_id if info else "",
        action=action,
        object_type=audit_label(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=to_json(before) if before is not None else None,
        after=to_json(after) if after is not None else None,
        note=note[:500],
        prev_hash=head.last_hash or GENESIS,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    ChainHead.objects.filter(pk=head.pk).update(length=entry.seq, last_hash=entry.hash)
    return entry


def save_change(obj: Saved, before: dict[str, Any], *, by: User | None, unit: Any, note: str) -> Saved:
    """Save ``obj`` and record it in ``unit``'s chain as an update from ``before`` (its snapshot
    when loaded) to what it is now; inside the transaction of the change, as ``record``."""
    obj.save()
    record(Entry.Action.UPDATE, obj, by=by, unit=unit, before=before, after=snapshot(obj), note=note)
    return obj


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def changes(entry: Entry) -> list[Change]:
    """The fields an entry changed, labelled as the pages label them and with values in words
    (``audit.display``), for the history tab. A creation lists nothing: the record's page shows
    what it holds."""
    if entry.action == Entry.Action.CREATE:
        return []
    before, after = entry.before or {}, entry.after or {}
    keys = sorted(set(before) | set(after))
    kind = entry.object_type
    return [
        Change(field_label(kind, k), display(kind, k, before.get(k)), display(kind, k, after.get(k)))
        for k in keys
        if before.get(k) != after.get(k)
    ]


def field_label(object_type: str, key: str) -> str:
    """The verbose name of a snapshot key (a field's attname or a relation's name)."""
    field = field_of(model_of(object_type), key)
    if field is None:
        return key
    return str(getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural)


def history(obj: models.Model) -> list[tuple[Entry, list[Change]]]:
    """The latest entries of one record, newest first, each with the fields it changed."""
    entries = Entry.objects.filter(object_type=audit_label(obj), object_id=str(obj.pk))
    return [(entry, changes(entry)) for entry in entries.order_by("-at", "-seq")[:200]]


@dataclass(frozen=True)
class Break:
    chain: str
    seq: int
    reason: str


def verify(chain: str | None = None) -> Iterator[Break]:
    """Yield the first break of each chain (or of one chain); nothing when every chain is intact."""
    heads = ChainHead.objects.all() if chain is None else ChainHead.objects.filter(chain=chain)
    for head in heads.order_by("chain"):
        broken = _verify_chain(head)
        if broken is not None:
            yield broken


def _verify_chain(head: ChainHead) -> Break | None:
    expected_seq, prev_hash = 1, GENESIS
    for entry in Entry.objects.filter(chain=head.chain).order_by("seq").iterator(2000):
        if entry.seq != expected_seq:
            return Break(
                head.chain, expected_seq, f"entry {expected_seq} is missing (found {entry.seq} next)"
            )
        if entry.prev_hash != prev_hash:
            return Break(head.chain, entry.seq, "does not follow the entry before it (removed or reordered)")
        if entry_hash(entry) != entry.hash:
            return Break(head.chain, entry.seq, "its contents were altered")
        expected_seq, prev_hash = expected_seq + 1, entry.hash
    if expected_seq - 1 != head.length:
        return Break(head.chain, expected_seq, f"entries {expected_seq}–{head.length} were removed")
    if head.length and prev_hash != head.last_hash:
        return Break(head.chain, head.length, "the last entry was replaced")
    return None
