"""The catalogue's long work: the brochure as PDF (LibreOffice takes seconds a page)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.catalogue.brochure import brochure_docx
from zhaoshang.catalogue.models import Offer
from zhaoshang.core import documents
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.registry import job


@job("catalogue.brochure_pdf", label=gettext_lazy("Make the project brochure as PDF"))
def brochure_pdf(run: Job, offers: list[int], title: str, issuer: str) -> str:
    found = {
        o.pk: o
        for o in Offer.objects.filter(pk__in=offers).select_related("unit", "park").prefetch_related("files")
    }
    ordered = [found[pk] for pk in offers if pk in found]
    pdf = documents.to_pdf(brochure_docx(ordered, title=title, issuer=issuer))
    run.output.save(f"{title}-{timezone.localtime():%Y%m%d-%H%M}.pdf", ContentFile(pdf), save=True)
    return _("%(count)s projects in the brochure") % {"count": len(ordered)}
