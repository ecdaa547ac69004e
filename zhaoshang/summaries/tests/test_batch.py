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
