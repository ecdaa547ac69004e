"""Upload, review and confirm: records through the services, all or nothing, scoped to the unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.ingest import services
from zhaoshang.ingest.models import HistoricalFigure, ReportUpload
from zhaoshang.projects.models import Project

REPORT = (
    "城关镇2023年招商引资工作总结\n"
    "2023年,全镇共引进项目9个,实现引进外资650万美元,境内市外到位资金2.07亿元,接待客商考察120人次。\n"
    "(1)已开工建设项目1个:\n"
    "1、恒达新材料项目,总投资5000万元,占地120亩。\n"
).encode()


def _upload(client: Any, unit: Any, content: bytes = REPORT, name: str = "总结.txt") -> Any:
    return client.post(reverse("ingest:upload"), {"unit": unit.pk, "file": SimpleUploadedFile(name, content)})


def _accept_all(upload: ReportUpload, unit: Any, year: int = 2023, **changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {"unit": unit.pk, "year": year}
    for i, f in enumerate(upload.reading["figures"]):
        data.update({f"f{i}-accept": "on", f"f{i}-value": f["value"], f"f{i}-label": f["indicator"]})
    for i, p in enumerate(upload.reading["projects"]):
        data.update({f"p{i}-accept": "on", f"p{i}-name": p["name"], f"p{i}-stage": p["stage"]})
        data[f"p{i}-total"] = (p["total_investment"] or {}).get("value", "")
    data.update(changes)
    return data


def test_upload_review_confirm(client: Any, cast: Any) -> None:
    client.force_login(cast.operator_a)
    response = _upload(client, cast.town_a)
    upload = ReportUpload.objects.get()
    assert response.status_code == 302 and response.url == reverse("ingest:review", args=[upload.pk])
    page = client.get(response.url).content.decode()
    assert 'id="mark-f0"' in page and "恒达新材料项目" in page
    assert upload.year == 2023
    # The user corrects one figure (the count of projects) and confirms.
    response = client.post(response.url, _accept_all(upload, cast.town_a, **{"f0-value": "10"}))
    assert response.status_code == 302
    figures = {
        (f.label, f.value, f.measure, f.indicator.code if f.indicator else None)
        for f in HistoricalFigure.objects.all()
    }
    assert ("引进项目", Decimal(10), "count", "projects_signed") in figures
    assert ("引进外资", Decimal(650), "万美元", "funds_foreign") in figures
    assert ("境内市外到位资金", Decimal(20700), "万元", "funds_domestic") in figures
    project = Project.objects.get()
    assert (project.name, project.stage, project.total_investment, project.land_mu) == (
        "恒达新材料项目",
        "started",
        Decimal(5000),
        Decimal(120),
    )
    assert project.started_on is not None and project.started_on.year == 2023
    upload.refresh_from_db()
    assert upload.status == ReportUpload.Status.CONFIRMED


def test_a_project_already_in_the_ledger_is_not_created_twice(client: Any, cast: Any) -> None:
    cast.project(cast.town_a, name="恒达新材料项目")
    client.force_login(cast.operator_a)
    _upload(client, cast.town_a)
    upload = ReportUpload.objects.get()
    response = client.post(upload.get_absolute_url(), _accept_all(upload, cast.town_a), follow=True)
    assert Project.objects.filter(name="恒达新材料项目").count() == 1
    assert "恒达新材料项目 已作为“恒达新材料项目”在台账中，未重复创建。" in response.content.decode()


def test_confirm_is_all_or_nothing(client: Any, cast: Any) -> None:
    client.force_login(cast.operator_a)
    _upload(client, cast.town_a)
    upload = ReportUpload.objects.get()
    # A project without its total investment cannot be recorded: then nothing is.
    response = client.post(upload.get_absolute_url(), _accept_all(upload, cast.town_a, **{"p0-total": ""}))
    assert response.status_code == 400
    assert not HistoricalFigure.objects.exists() and not Project.objects.exists()
    upload.refresh_from_db()
    assert upload.status == ReportUpload.Status.READ


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.txt"),
        (bytes(range(256)) * 100, "binary.txt"),
        (b"plain english text only\n" * 50, "x.txt"),
    ],
)
def test_bad_files_leave_nothing_behind(client: Any, cast: Any, content: bytes, name: str) -> None:
    client.force_login(cast.operator_a)
    response = _upload(client, cast.town_a, content, name)
    assert response.status_code == 400
    assert 'data-testid="upload-error"' in response.content.decode()
    assert not ReportUpload.objects.exists()


def test_another_units_operator_is_refused(client: Any, cast: Any) -> None:
    client.force_login(cast.operator_a)
    _upload(client, cast.town_a)
    upload = ReportUpload.objects.get()
    client.force_login(cast.operator_b)
    assert client.get(upload.get_absolute_url()).status_code == 404
    assert client.post(upload.get_absolute_url(), _accept_all(upload, cast.town_a)).status_code == 404
    # Nor can a report be read in for a unit outside one's own.
    assert _upload(client, cast.town_a).status_code == 400
    assert ReportUpload.objects.count() == 1


def test_historical_figures_are_never_ledger_events(cast: Any) -> None:
    from zhaoshang.ledger.models import Event

    upload = services.read_upload(by=cast.operator_a, unit=cast.town_a, name="a.txt", data=REPORT)
    services.confirm(
        upload,
        by=cast.operator_a,
        unit=cast.town_a,
        year=2023,
        figures=[services.FigureChoice(label="境内市外到位资金", value=Decimal(20700), measure="万元")],
        projects=[],
    )
    assert not Event.objects.exists()
    assert services.last_year(cast.admin, cast.town_a, 2024) == {"funds_domestic": Decimal(20700)}
    assert services.last_year(cast.stranger, cast.town_a, 2024) == {}


def test_the_dashboard_shows_last_years_figure_beside_this_year(client: Any, cast: Any, today: Any) -> None:
    upload = services.read_upload(by=cast.admin, unit=cast.town_a, name="a.txt", data=REPORT)
    services.confirm(
        upload,
        by=cast.admin,
        unit=cast.town_a,
        year=today.year - 1,
        figures=[services.FigureChoice(label="境内市外到位资金", value=Decimal(20700), measure="万元")],
        projects=[],
    )
    client.force_login(cast.admin)
    page = client.get(reverse("core:home"), {"unit": cast.town_a.pk, "year": today.year}).content.decode()
    card = page.split('data-testid="indicator-funds_domestic"', 1)[1].split('data-testid="indicator-', 1)[0]
    assert 'data-testid="yoy-last">20,700' in card or 'data-testid="yoy-last">20700' in card
    assert 'data-testid="yoy-change">-100.0%' in card
    # Another county's administrator sees nothing of it.
    client.force_login(cast.stranger)
    assert client.get(reverse("core:home")).content.decode().count('data-testid="yoy"') == 0


def test_a_zip_of_reports_is_read_by_a_background_job(client: Any, cast: Any) -> None:
    import io
    import zipfile

    from zhaoshang.jobs.models import Job
    from zhaoshang.jobs.testing import run_queued

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("一.txt", REPORT)
        archive.writestr("二.txt", REPORT.decode().replace("9个", "7个").encode("gb18030"))
        archive.writestr("空.txt", b"")
        archive.writestr("readme.md", b"not a report kind")
    client.force_login(cast.operator_a)
    response = client.post(
        reverse("ingest:upload"),
        {"unit": cast.town_a.pk, "batch": SimpleUploadedFile("reports.zip", buffer.getvalue())},
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    run_queued()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert (job.done, job.total) == (3, 3)
    assert ReportUpload.objects.filter(unit=cast.town_a).count() == 2
    assert "空.txt" in job.message


def test_a_file_too_large_is_refused_on_the_page(client: Any, cast: Any) -> None:
    client.force_login(cast.operator_a)
    big = "全年引进项目9个。".encode() * (21 * 1024 * 1024 // 24)
    response = _upload(client, cast.town_a, big, "big.txt")
    assert response.status_code == 400
    assert "20 MB" in response.content.decode()
    assert not ReportUpload.objects.exists()


TWO_REPORTS = (
    "城关镇2023年招商引资工作总结\n"
    "2023年,全镇共引进项目9个,境内市外到位资金2.07亿元。\n"
    "1、恒达新材料项目,总投资5000万元,已开工。\n"
    "河口乡2022年招商引资工作总结\n"
    "2022年,全乡共引进项目4个,境内市外到位资金8000万元。\n"
    "1、宏远食品项目,总投资3000万元,已签约。\n"
).encode()


def _accept_parts(upload: ReportUpload, unit: Any, **parts: Any) -> dict[str, Any]:
    data = _accept_all(upload, unit, year=2023)
    data.update(parts)
    return data


def test_a_file_of_two_units_reports_is_recorded_part_by_part(client: Any, cast: Any) -> None:
    client.force_login(cast.admin)
    response = _upload(client, cast.county, TWO_REPORTS)
    upload = ReportUpload.objects.get()
    page = client.get(response.url).content.decode()
    # Each part is offered under the unit its title names, with its own year.
    part_2 = page.split('data-testid="part-2"', 1)[1].split("</tr>", 1)[0]
    assert f'<option value="{cast.town_b.pk}" selected>' in part_2 and 'value="2022"' in part_2
    data = _accept_parts(
        upload,
        cast.county,
        **{"r1-unit": cast.town_a.pk, "r1-year": "2023", "r2-unit": cast.town_b.pk, "r2-year": "2022"},
    )
    assert client.post(response.url, data).status_code == 302
    figures = {(f.unit_id, f.year, f.label, f.value) for f in HistoricalFigure.objects.all()}
    assert (cast.town_a.pk, 2023, "境内市外到位资金", Decimal(20700)) in figures
    assert (cast.town_b.pk, 2022, "境内市外到位资金", Decimal(8000)) in figures
    assert not any(unit == cast.county.pk for unit, *_ in figures)
    projects = {p.name: (p.unit_id, p.signed_on.year if p.signed_on else None) for p in Project.objects.all()}
    assert projects == {"恒达新材料项目": (cast.town_a.pk, 2023), "宏远食品项目": (cast.town_b.pk, 2022)}


def test_a_part_under_a_unit_outside_ones_scope_is_refused_and_nothing_is_recorded(
    client: Any, cast: Any
) -> None:
    client.force_login(cast.operator_a)
    response = _upload(client, cast.town_a, TWO_REPORTS)
    upload = ReportUpload.objects.get()
    # 河口乡 is not the operator's: the page does not offer it, and a forged choice is refused.
    part_2 = (
        client.get(response.url).content.decode().split('data-testid="part-2"', 1)[1].split("</tr>", 1)[0]
    )
    assert f'value="{cast.town_b.pk}"' not in part_2
    data = _accept_parts(upload, cast.town_a, **{"r2-unit": cast.town_b.pk})
    response = client.post(response.url, data)
    assert response.status_code == 400 and 'data-testid="review-error"' in response.content.decode()
    assert not HistoricalFigure.objects.exists() and not Project.objects.exists()
    upload.refresh_from_db()
    assert upload.status == ReportUpload.Status.READ


def test_the_service_checks_every_parts_unit(cast: Any) -> None:
    from zhaoshang.core.errors import OutOfScope

    upload = services.read_upload(by=cast.operator_a, unit=cast.town_a, name="a.txt", data=TWO_REPORTS)
    figure = services.FigureChoice(label="引进项目", value=Decimal(4), measure="count", unit=cast.town_b)
    with pytest.raises(OutOfScope):
        services.confirm(
            upload, by=cast.operator_a, unit=cast.town_a, year=2023, figures=[figure], projects=[]
        )
    assert not HistoricalFigure.objects.exists()
