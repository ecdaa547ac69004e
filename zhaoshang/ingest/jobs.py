"""The ingestion's job: read a batch of old reports (a folder or a .zip) in the background."""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.errors import ValidationError
from zhaoshang.ingest import services
from zhaoshang.ingest.batch import count, members
from zhaoshang.jobs.models import Job
from zhaoshang.jobs.registry import job
from zhaoshang.jobs.services import progress


@job("ingest.batch", label=gettext_lazy("Read a batch of old reports"))
def read_batch(run: Job, path: str, stored: bool = True) -> str:
    """``path``: a .zip kept in the default storage (uploaded), or a folder on the server."""
    local = Path(default_storage.path(path)) if stored else Path(path)
    total = count(local)
    progress(run, 0, total)
    read, refused = 0, []
    for done, (name, data) in enumerate(members(local), start=1):
        try:
            if data is None:
                raise ValidationError(_("The file is too large (more than 20 MB) to be a report."))
            if run.unit is None:
                raise ValidationError(_("Choose the unit the reports speak of."))
            services.read_upload(by=run.requested_by, unit=run.unit, name=name, data=data)
            read += 1
        except ValidationError as error:
            refused.append(f"{name}: {' '.join(error.messages)}")
        progress(run, done, total, name)
    if stored:
        default_storage.delete(path)
    outcome = _("%(read)s of %(total)s reports read, to review.") % {"read": read, "total": total}
    if refused:
        outcome += " " + _("Not read: %(files)s") % {"files": "; ".join(refused)}
    return outcome[:300]
