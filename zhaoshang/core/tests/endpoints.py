"""Records for the endpoint matrices: one of every kind that a page or API operation can point at,
in a given township and county, and how a URL pattern's kwargs or an API path are filled from
them. The refusal test (test_endpoint_permissions.py) builds them in the next county, the
positive-access test (test_endpoint_access.py) in the county of the cast; both read the registries
of test_endpoint_permissions.py."""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern

from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

# The day the dispatch records are made on: a round of every county is open then.
DISPATCH_DAY = dt.date(2026, 3, 9)


def scoped_records(cast: Any, town: Unit, county: Unit, name: str) -> dict[str, Any]:
    """A record of every kind in ``town`` (of ``county``), by id: a project with an attachment and
    funds, a request and an inspection, a dispatch round with a report, an investor and an activity."""
    from zhaoshang.activities.services import create_activity
    from zhaoshang.ledger.funds import record_funds

    project = cast.project(town, name=name)
    attachment = project_services.add_attachment(
        project, by=None, kind="contract", file=SimpleUploadedFile("合同.pdf", b"secret")
    )
    funds = record_funds(
        project,
        by=None,
        arrived_on=dt.date(2024, 5, 1),
        source="domestic",
        amount=Decimal(9),
        evidence=SimpleUploadedFile("银行回单.pdf", b"slip"),
    )
    investor = project.investors.get()
    activity = create_activity(
        by=None,
        data={"kind": "inquiry", "unit": town, "title": name, "starts_on": dt.date(2024, 5, 1)},
        investors=[investor],
        projects=[project],
    )
    return {
        "project": project.pk,
        "unit": town.pk,
        "attachment": attachment.pk,
        "funds": funds.pk,
        **request_and_inspection(project, town, name),
        **dispatch_records(cast, town, county, name),
        "investor": investor.pk,
        "activity": activity.pk,
        "manual": manual_entry_of(town, name),
        "job": job_with_output(town, name),
        "upload": upload_of(town, name),
        **offer_records(town, name),
        **enterprise_records(town, name),
        **park_records(town, county, name),
        **assessment_records(county),
    }


def manual_entry_of(town: Unit, name: str) -> int:
    """A reported figure of a manual indicator (ledger.manual) of the township, with its evidence."""
    from zhaoshang.ledger import manual
    from zhaoshang.ledger.models import Indicator

    indicator = Indicator.objects.filter(code="m_endpoints").first() or manual.define(
        by=None, slug="endpoints", name_zh="劳务输出", name_en="labour export", measure="persons"
    )
    entry = manual.record_entry(
        indicator,
        town,
        by=None,
        year=2024,
        month=5,
        amount=Decimal(27),
        evidence=SimpleUploadedFile("花名册.pdf", b"roster"),
        note=name,
    )
    return entry.pk


def upload_of(town: Unit, name: str) -> int:
    """An old report of ``town`` read in and waiting for review (ingest)."""
    from zhaoshang.ingest.models import ReportUpload

    reading = {"figures": [], "projects": [], "reports": [], "debris_lines": []}
    return ReportUpload.objects.create(unit=town, file_name=f"{name}.txt", text=name, reading=reading).pk


def offer_records(town: Unit, name: str) -> dict[str, int]:
    """A published offer of ``town`` (catalogue app) with a photo, and the county's published
    profile."""
    from zhaoshang.activities.services import create_activity
    from zhaoshang.catalogue import services as catalogue
    from zhaoshang.catalogue.tests.factories import make_offer

    offer = make_offer(None, town, status="published", name=f"{name}招商项目")
    photo = catalogue.add_file(offer, by=None, kind="photo", file=SimpleUploadedFile("现场.jpg", b"jpg"))
    catalogue.save_profile(offer.county, by=None, data={"intro": f"{name}县情", "published": True})
    fair = create_activity(
        by=None,
        data={"kind": "fair", "unit": town, "title": f"{name}推介会", "starts_on": dt.date(2024, 5, 1)},
    )
    catalogue.set_fair_offers(fair, [offer], by=None)
    return {"offer": offer.pk, "offer_file": photo.pk, "site": 0, "fair": fair.pk}


def park_records(town: Unit, county: Unit, name: str) -> dict[str, int]:
    """A park of ``county`` with its profile, and an idle building offered by ``town``; the park and
    the town's projects are on the map (so the map's points have something to leak)."""
    from zhaoshang.parks import services as parks
    from zhaoshang.units.services import create_unit

    park = create_unit(by=None, parent=county, kind="park", name=f"{name}园区", code=f"{county.code}P77")
    place = {"longitude": Decimal("113.6"), "latitude": Decimal("28.7")}
    areas = {"planned_mu": Decimal(300), "developed_mu": Decimal(100)}
    parks.save_profile(park, by=None, data=areas | place)
    Project.objects.filter(unit=town).update(**place)
    asset = parks.record_idle_asset(
        by=None,
        data={
            "unit": town,
            "kind": "building",
            "name": f"{name}闲置厂房",
            "area": Decimal(900),
            "owner": "x",
        },
    )
    return {"park": park.pk, "idle": asset.pk}


def enterprise_records(town: Unit, name: str) -> dict[str, int]:
    """A landed enterprise of ``town`` with a reported (not yet verified) quarterly return."""
    from zhaoshang.enterprises import services as enterprises

    place = {"longitude": Decimal("113.6"), "latitude": Decimal("28.7")}  # on the map
    enterprise = enterprises.register_enterprise(by=None, data={"name": f"{name}企业", "unit": town, **place})
    record, _outcome = enterprises.record_return(
        enterprise,
        by=None,
        year=2025,
        quarter=4,
        output=Decimal(10),
        sales=Decimal(10),
        tax=Decimal(1),
        jobs=5,
    )
    enterprises.record_visit(
        enterprise, by=None, visited_on=dt.date(2025, 5, 1), visitors="包联干部", findings=f"{name}走访"
    )
    return {"enterprise": enterprise.pk, "return": record.pk}


def assessment_records(county: Unit) -> dict[str, int]:
    """An assessment scheme of ``county`` with a group of its townships, published."""
    from zhaoshang.assessment import services as assessment
    from zhaoshang.assessment.models import Group, Item
    from zhaoshang.ledger.models import Indicator

    scheme = assessment.create_scheme(by=None, county=county, year=2026, name="考核办法")
    group = Group.objects.create(scheme=scheme, name="乡镇组", unit_kinds=["township"])
    funds = Indicator.objects.get(code="funds_domestic")
    item = Item(group=group, code="funds", name="到位资金", max_points=Decimal(50), source="completion")
    item.indicator, item.formula, item.params = funds, "ratio", {"weight": "50"}
    assessment.save_item(item, by=None)
    ranking = assessment.publish(group, by=None, year=2026, period="quarter", month=3)
    return {"group": group.pk, "ranking": ranking.pk, "scheme": scheme.pk}


def job_with_output(town: Unit, name: str) -> int:
    """A failed job of ``town`` that made a file (so it may be retried and its file downloaded)."""
    from django.core.files.base import ContentFile

    from zhaoshang.jobs.models import JobStatus
    from zhaoshang.jobs.services import enqueue

    job = enqueue("dispatch.reminders", unit=town, params={"today": "2026-03-10"})
    job.output.save(f"{name}.txt", ContentFile(name.encode()), save=False)
    job.status, job.message = JobStatus.FAILED, name
    job.save()
    return job.pk


def request_and_inspection(project: Project, town: Unit, name: str) -> dict[str, int]:
    """A request of ``town`` (accepted by it, with a file) and an inspection of it with a
    rectification item reported done, so that every action has something to act on."""
    from zhaoshang.coordination import services as coordination
    from zhaoshang.inspections import services as inspections

    request = coordination.raise_request(
        kind="staff_problem",
        title=f"{name}诉求",
        description="x",
        unit=town,
        by=None,
        project=project,
        file=SimpleUploadedFile("诉求.pdf", b"secret"),
    )
    coordination.accept_request(request, by=None, owner_unit=town)
    today = dt.date.today()
    inspection = inspections.create_inspection(
        by=None,
        unit=town,
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        inspected_on=today,
        inspectors="督查组",
        findings=f"{name}发现",
        items=[inspections.ItemData("整改", town, today)],
    )
    item = inspection.items.get()
    inspections.report_rectification(
        item, by=None, evidence="已整改", file=SimpleUploadedFile("证据.pdf", b"s")
    )
    return {
        "request": request.pk,
        "request_file": request.activities.get(kind="raised").pk,
        "inspection": inspection.pk,
        "item": item.pk,
    }


def dispatch_records(cast: Any, town: Unit, county: Unit, name: str) -> dict[str, int]:
    """A round of ``county`` listing a signed project of ``town``, its report (submitted) with
    funds and a photo, and the county itself (its calendar)."""
    from zhaoshang.dispatch import services as dispatch
    from zhaoshang.dispatch.models import Entry, Round

    signed = cast.project(  # signed, so that it owes a report (the first project stays at version 1)
        town,
        name=f"{name}二期",
        stage="signed",
        signed_on=dt.date(2026, 1, 5),
        contracted_amount=Decimal(100),
    )
    dispatch.open_rounds(DISPATCH_DAY)
    round_ = Round.objects.get(county=county)
    report = dispatch.create_report(round_, signed, by=None)
    line = dispatch.add_funds_line(
        report,
        by=None,
        source="domestic",
        amount=Decimal(3),
        arrived_on=dt.date(2026, 3, 1),
        evidence=SimpleUploadedFile("进账单.pdf", b"slip"),
    )
    photo = dispatch.add_file(report, by=None, file=SimpleUploadedFile("现场.jpg", b"jpg"))
    dispatch.submit_report(report, by=None, today=dt.date(2026, 3, 10))
    return {
        "round": round_.pk,
        "entry": Entry.objects.get(round=round_, project=signed).pk,
        "report": report.pk,
        "line": line.pk,
        "report_file": photo.pk,
        "county": county.pk,
    }


def notification_of(user: Any, title: str) -> int:
    from zhaoshang.notifications.services import notify

    (note,) = notify([user], title=title, body="", key=f"{title}-{user.pk}")
    return note.pk


def kwargs_for(name: str, pattern: URLPattern, target: str, ids: dict[str, int]) -> dict[str, int]:
    keys = set(pattern.pattern.converters)
    if "lang" in keys:  # the public site (catalogue/open_urls.py), in Simplified Chinese
        return {"lang": "zh-hans", **({"pk": ids[target]} if "pk" in keys else {})}
    if target == "offer_file" and "file_pk" in keys:  # an offer's file (the public photo: its own id)
        return {"pk": ids["offer"], "file_pk": ids["offer_file"]}
    if target == "attachment":
        return {"pk": ids["project"], "attachment_pk": ids["attachment"]}
    if target == "membership":
        return {"pk": ids["user"], "membership_pk": ids["membership"]}
    if keys == {"pk", "year"}:  # a unit's targets of one year
        return {"pk": ids[target], "year": 2025}
    if keys == {"pk", "year", "first", "last"}:  # a unit's summary of months first..last of a year
        return {"pk": ids[target], "year": 2025, "first": 1, "last": 12}
    if keys == {"pk", "year", "month"}:  # a unit's bulletin of one month
        return {"pk": ids[target], "year": 2025, "month": 12}
    assert keys == {"pk"}, f"{name}: declare how its kwargs {keys} are filled"
    return {"pk": ids[target]}


def api_url(path: str, ids: dict[str, int]) -> str:
    for key in (
        "project",
        "unit",
        "request",
        "inspection",
        "item",
        "report",
        "investor",
        "activity",
        "enterprise",
        "return",
        "ranking",
        "park",
        "funds",
    ):
        path = path.replace("{" + key + "_id}", str(ids[key]))
    return path


def text_of(response: Any) -> str:
    """The response as text; an .xlsx is unzipped so that its cells can be searched."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            xml = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))
            return html.unescape(xml)  # openpyxl writes Chinese as character references (&#37051;)
    return content.decode("utf-8", "ignore")
