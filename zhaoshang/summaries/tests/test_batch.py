"""The batch: every subordinate unit's document in one .zip, as a job with progress and as a command."""

from __future__ import annotations

import io
import zipfile

from django.core.management import call_command
from django.urls import reverse

from zhaoshang.jobs.models import Job, JobStatus
from zhaoshang.jobs.testing import run_queued
from zhaoshang.summaries.tests.helpers import YEAR, township_2009

COUNTY_CHILDREN = {"城关镇", "河口乡", "县商务局", "示例经济开发区"}


def names_in(content: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return set(archive.namelist())


def test_the_job_zips_every_subordinates_summary_with_progress(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    township_2009(cast)
    client.force_login(cast.admin)
    url = reverse("summaries:batch", args=[cast.county.pk, YEAR, 1, 12])
    response = client.post(url, {"what": "summary", "script": "simplified"})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    run_queued()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.done, job.total) == (4, 4)
    names = names_in(job.output.read())
    assert len(names) == 4 and {n.split("-")[1] for n in names} == COUNTY_CHILDREN
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-progress"' in page and 'data-testid="job-output"' in page


def test_another_township_cannot_batch_the_county(client, cast):
    client.force_login(cast.operator_b)
    url = reverse("summaries:batch", args=[cast.county.pk, YEAR, 1, 12])
    assert client.post(url, {"what": "bulletin"}).status_code == 404
    assert not Job.objects.exists()


def test_the_command_writes_the_bulletins(cast, tmp_path):
    township_2009(cast)
    out = tmp_path / "bulletins.zip"
    stdout = io.StringIO()
    call_command(
        "summaries_batch",
        "--unit", cast.county.code, "--what", "bulletin", "--year", str(YEAR), "--last", "5",
        "--as", "admin", "--out", str(out), stdout=stdout,
    )  # fmt: skip
    names = names_in(out.read_bytes())
    assert len(names) == 4 and all("5月招商引资工作情况通报" in n for n in names)
    assert "Wrote 4 document(s)" in stdout.getvalue()


def _documents(content: bytes) -> dict[str, bytes]:
    """Each .docx of the .zip by name, as its body's XML (the file's own timestamps left out)."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            with zipfile.ZipFile(io.BytesIO(archive.read(name))) as docx:
                out[name] = docx.read("word/document.xml")
    return out


def test_documents_drawn_in_worker_processes_are_those_drawn_in_one(cast):
    from django.utils import timezone

    from zhaoshang.summaries import generate
    from zhaoshang.summaries.periods import Period

    township_2009(cast)
    made = {}
    for workers in (1, 2):
        out = io.BytesIO()
        count = generate.batch_zip(
            cast.admin, cast.county, generate.BULLETIN, out,
            period=Period(YEAR, 1, 6), today=timezone.localdate(), workers=workers,
        )  # fmt: skip
        assert count == 4
        made[workers] = _documents(out.getvalue())
    assert len(made[2]) == 4 and made[2] == made[1]
    # the township's bulletin holds its figures, drawn in another process
    town = next(xml for name, xml in made[2].items() if "城关镇" in name)
    assert b"650" in town and "城关镇".encode() in town


def test_a_national_batch_takes_every_county_the_user_may_see(cast):
    from django.utils import timezone

    from zhaoshang.accounts.models import Membership, Role
    from zhaoshang.summaries import generate
    from zhaoshang.summaries.periods import Period

    township_2009(cast)
    period, today = Period(YEAR, 1, 12), timezone.localdate()
    counties = {u.name for u in generate.counties_below(cast.admin, cast.county.parent.parent)}
    # the county's administrator sees its own county only, not the neighbour
    assert counties == {"示例县"}
    provincial = type(cast.admin).objects.create_user("province_admin", password="x")
    Membership.objects.create(user=provincial, unit=cast.county.parent.parent, role=Role.BUREAU_ADMIN)
    assert [u.name for u in generate.counties_below(provincial, cast.county.parent.parent)] == [
        "示例县",
        "邻县",
    ]
    out = io.BytesIO()
    count = generate.batch_zip(
        provincial, cast.county.parent.parent, generate.BULLETIN, out,
        period=period, today=today, reach=generate.COUNTIES, workers=2,
    )  # fmt: skip
    names = names_in(out.getvalue())
    assert count == 2 and {n.split("-")[1].split(str(YEAR))[0] for n in names} == {"示例县", "邻县"}
