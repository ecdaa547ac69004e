"""The batch of a period: every subordinate unit's summary or bulletin in one .zip, as a job."""

from __future__ import annotations

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.jobs.models import Job
from zhaoshang.jobs.registry import job
from zhaoshang.jobs.services import progress
from zhaoshang.summaries import generate
from zhaoshang.summaries.periods import Period
from zhaoshang.units.models import Unit


@job("summaries.batch", label=gettext_lazy("Summaries or bulletins of all subordinate units"))
def batch(
    run: Job,
    unit: int,
    what: str,
    year: int,
    first: int = 1,
    last: int = 12,
    script: str = "simplified",
    reach: str = generate.CHILDREN,
) -> str:
    """Made with the scope of the user who asked: a unit they may not see is not in the .zip."""
    user = run.requested_by
    parent = Unit.objects.visible_to(user).get(pk=unit)
    period = Period(year, first, last)
    with generate.spooled() as out:
        count = generate.batch_zip(
            user,
            parent,
            what,
            out,
            period=period,
            today=timezone.localdate(),
            script=script,
            reach=reach,
            progress=lambda done, total: progress(run, done, total),
        )
        out.seek(0)
        run.output.save(generate.batch_name(parent, what, period), File(out), save=True)
    return _("%(count)s documents in the .zip") % {"count": count}
