"""Likely duplicates of an investor: the same credit code, the same or a similar name (the rule
of names.py), or a contact with the same phone number or e-mail address.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.investors.models import Contact, Investor
from zhaoshang.investors.names import places_agree, similar, split_name


def phone_key(phone: str) -> str:
    """Digits only, without the country code, so 138-0000-0000 and +86 13800000000 agree."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone or ""))
    return digits[2:] if digits.startswith("86") and len(digits) > 11 else digits


@dataclass(frozen=True)
class Match:
    """A likely duplicate and why."""

    investor: Any
    reason: str
    exact: bool = False


def likely_duplicates(
    candidates: Any,
    *,
    name: str,
    credit_code: str = "",
    phones: list[str] | tuple[str, ...] = (),
    emails: list[str] | tuple[str, ...] = (),
    exclude_pk: int | None = None,
) -> list[Match]:
    """The investors among ``candidates`` (a queryset the user may see) that look like the one
    described: the same credit code first (exact), then the same or a similar name, then a contact
    with the same phone or e-mail."""
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    found: dict[int, Match] = {}
    if credit_code:
        for investor in candidates.filter(credit_code=credit_code):
            found[investor.pk] = Match(investor, str(_("same credit code")), exact=True)
    place, key = split_name(name)
    # A name longer than the field holds is refused by the caller; searching for it first would
    # build one LIKE per character pair (the probe's 1,200 characters made a 500 of an import).
    name_max = Investor._meta.get_field("name").max_length
    if key and name_max is not None and len(name) <= name_max:
        # Only names sharing two consecutive characters with the key can be similar enough: the
        # database narrows the candidates before the comparison in Python.
        shared = Q(name_key=key)
        for pair in sorted({key[i : i + 2] for i in range(len(key) - 1)}):
            shared |= Q(name_key__contains=pair)
        narrowed = candidates.filter(shared).only("pk", "name", "name_key", "unit_id")
        for investor in narrowed.iterator(2000):
            if investor.pk in found or not similar(investor.name_key, key):
                continue
            if not places_agree(place, split_name(investor.name)[0]):
                continue
            reason = _("same name") if investor.name_key == key else _("similar name")
            found[investor.pk] = Match(investor, str(reason))
    wanted_phones = {phone_key(p) for p in phones if len(phone_key(p)) >= 7}
    wanted_emails = {e.strip().lower() for e in emails if e.strip()}
    if wanted_phones or wanted_emails:
        query = Q(email__in=wanted_emails) if wanted_emails else Q(pk__in=[])
        contacts = (
            Contact.objects.filter(investor__in=candidates)
            .filter(query | Q(phone__gt=""))
            .select_related("investor")
        )
        for contact in contacts.iterator(2000):
            if contact.investor_id in found:
                continue
            if phone_key(contact.phone) in wanted_phones:
                found[contact.investor_id] = Match(contact.investor, str(_("same contact phone")))
            elif contact.email and contact.email.lower() in wanted_emails:
                found[contact.investor_id] = Match(contact.investor, str(_("same contact e-mail")))
    return sorted(found.values(), key=lambda m: (not m.exact, m.investor.name))
