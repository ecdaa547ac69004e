"""Evidence rules (佐證材料, forms.md section 4.2): which documents a verification of funds needs.

Each indicator lists the documents (``Indicator.evidence``, ``choices.Evidence``) without which the
funds it counts are not verified: the bank slip is the funds record's own voucher, the others are the
project's files of that kind (contract, capital verification report, business licence, local tax
registration). A record of funds needs what every active indicator of its kind asks for. Verifying
without them is refused with the list of what is missing (``check``); the verification queue shows
the vouchers there are and what is missing (``missing_by_funds``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from zhaoshang.core.errors import ValidationError
from zhaoshang.ledger.choices import Evidence, FundsSource, Kind, is_manual
from zhaoshang.ledger.models import FundsArrival, Indicator, ManualEntry


def kind_of(funds: FundsArrival) -> str | None:
    """The ledger kind a record of funds counts for (None: local money counts for nothing)."""
    if funds.source == FundsSource.LOCAL:
        return None
    return Kind.FUNDS_FOREIGN if funds.source == FundsSource.FOREIGN else Kind.FUNDS_DOMESTIC


def required_by_kind() -> dict[str, list[str]]:
    """The documents the active indicators of each kind ask for, in their usual order (one query)."""
    wanted: dict[str, set[str]] = {}
    for kind, evidence in Indicator.objects.filter(is_active=True).values_list("kind", "evidence"):
        wanted.setdefault(kind, set()).update(evidence or [])
    return {kind: [e for e in Evidence.values if e in docs] for kind, docs in wanted.items()}


def missing(
    funds: FundsArrival, attached: Iterable[str], required: dict[str, list[str]] | None = None
) -> list[str]:
    """The documents a record of funds still lacks: ``attached`` are the kinds of its project's files."""
    kind = kind_of(funds)
    if kind is None:
        return []
    have = set(attached) | ({Evidence.BANK_SLIP.value} if funds.evidence else set())
    return [
        doc
        for doc in (required if required is not None else required_by_kind()).get(kind, [])
        if doc not in have
    ]


def _refuse(lacking: list[str], message: str) -> None:
    """Refuse a verification, naming each missing document (one message for funds and manual figures)."""
    if lacking:
        names = "、".join(str(Evidence(doc).label) for doc in lacking)
        raise ValidationError({"evidence": message % {"documents": names}})


def check(funds: FundsArrival) -> None:
    """Refuse to verify funds without the documents their indicators ask for, naming what is missing."""
    attached = funds.project.attachments.values_list("kind", flat=True) if funds.project_id else []
    _refuse(missing(funds, attached), _("These funds cannot be verified without: %(documents)s."))


# --- manual figures (ledger.manual) ------------------------------------------------------------

# What a manual indicator may ask for: the entry's own file. The other documents are a project's.
MANUAL_EVIDENCE = [Evidence.VOUCHER.value]


def allowed(kind: str) -> list[str]:
    """The documents an indicator of ``kind`` may ask for: a manual one its entries' own file, a
    built-in one the funds record's voucher and the project's files."""
    if is_manual(kind):
        return MANUAL_EVIDENCE
    return [e for e in Evidence.values if e not in MANUAL_EVIDENCE]


def missing_manual(entry: ManualEntry) -> list[str]:
    """The documents a manual figure still lacks for its indicator's rule."""
    have = set(MANUAL_EVIDENCE) if entry.evidence else set()
    return [doc for doc in entry.indicator.evidence or [] if doc not in have]


def check_manual(entry: ManualEntry) -> None:
    """Refuse to verify a manual figure without the documents its indicator asks for."""
    _refuse(missing_manual(entry), _("This figure cannot be verified without: %(documents)s."))


def missing_by_funds(page: list[FundsArrival]) -> dict[int, list[str]]:
    """What each record of a page of the verification queue lacks, by funds id (two queries)."""
    from zhaoshang.projects.models import Attachment

    required = required_by_kind()
    if not any(required.values()):
        return {}
    attached: dict[int, set[str]] = {}
    for project_id, kind in Attachment.objects.filter(project__in={f.project_id for f in page}).values_list(
        "project_id", "kind"
    ):
        attached.setdefault(project_id, set()).add(kind)
    return {f.pk: missing(f, attached.get(f.project_id, set()), required) for f in page}
