"""The brochure (招商項目冊) for trade fairs: a cover, the contents, and one page per offer with its
photo and its facts, in the official layout of core/documents (Word; the PDF is made from it by
LibreOffice, in a job since it takes seconds)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Length, Mm

from zhaoshang.catalogue.choices import FileKind, Prep
from zhaoshang.catalogue.models import Offer
from zhaoshang.core import documents

CHINESE_NUMBERS = "一二三四五六七八九十"


def _amount(value: object, currency: str) -> str:
    from decimal import Decimal

    return f"{documents.format_amount(value)} {currency}" if isinstance(value, Decimal) else "—"


def _photo(offer: Offer) -> bytes | None:
    for attached in offer.files.all():
        if attached.kind == FileKind.PHOTO:
            try:
                with attached.file.open("rb") as handle:
                    return handle.read()
            except OSError:
                return None
    return None


def brochure_docx(offers: Sequence[Offer], *, title: str, issuer: str) -> bytes:
    """The brochure of ``offers`` (in this order) as a .docx."""
    document = documents.new_document()
    # The cover.
    for _blank in range(5):
        documents.add_paragraph(document, "", indent=False)
    documents.add_title(document, title)
    cover = documents.add_paragraph(document, issuer, indent=False)
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date = documents.add_paragraph(document, f"{timezone.localdate():%Y年%m月}", indent=False)
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_page_break()
    # The contents: the offers numbered, grouped by industry as the brochures of the reports are.
    documents.add_title(document, _("Contents"))
    groups: dict[str, list[tuple[int, Offer]]] = {}
    for number, offer in enumerate(offers, start=1):
        groups.setdefault(offer.get_industry_display(), []).append((number, offer))
    for index, (industry, members) in enumerate(groups.items()):
        label = CHINESE_NUMBERS[index] if index < len(CHINESE_NUMBERS) else str(index + 1)
        documents.add_heading(document, f"{label}、{industry}", level=1)
        for number, offer in members:
            documents.add_paragraph(document, f"{number}. {offer.name}", indent=True)
    # One page per offer.
    preps = dict(Prep.choices)
    for number, offer in enumerate(offers, start=1):
        document.add_page_break()
        heading = documents.add_paragraph(
            document, f"{number}. {offer.name}", indent=False, face=documents.HEITI
        )
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        photo = _photo(offer)
        if photo:
            try:
                document.add_picture(io.BytesIO(photo), width=Mm(110))
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            except (UnrecognizedImageError, ValueError, KeyError):
                pass  # not an image python-docx reads: the page goes without it
        currency = offer.get_currency_display()
        table = documents.DocumentTable(
            document,
            [_("Item"), _("Content")],
            widths=[Length(Mm(38)), Length(documents.TEXT_WIDTH - Mm(38))],
            size=documents.SIZE_5,
        )
        place = "、".join(
            p for p in (offer.unit.name, offer.park.name if offer.park else "", offer.place) if p
        )
        rows = [
            (_("Industry"), f"{offer.get_industry_display()} {offer.chain}".strip()),
            (_("Project location"), place),
            (_("Construction content and scale"), offer.content),
            (_("Total investment"), _amount(offer.total_investment, currency)),
            (_("Investment sought"), _amount(offer.sought_amount, currency)),
            (_("Form of cooperation"), offer.get_cooperation_display()),
            (_("Advantages and conditions"), offer.advantages or "—"),
            (_("Market analysis and expected returns"), offer.market or "—"),
            (_("Preparatory work done"), "、".join(str(preps[p]) for p in offer.prep if p in preps) or "—"),
            (_("Lead unit"), offer.unit.name),
            (
                _("Contact"),
                " ".join(
                    x
                    for x in (
                        offer.contact_name,
                        offer.contact_phone if offer.phone_public else "",
                        offer.contact_email,
                    )
                    if x
                ),
            ),
        ]
        for label, value in rows:
            table.add_row([str(label), value])
    return documents.to_bytes(document)
