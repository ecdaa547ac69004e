"""Project codes in one format for every path (issue 18, item 8): XM + year recorded + running
number; the old codes (XM00000362) renumbered by migration 0012 and still found by search and
import."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from zhaoshang.projects.codes import PATTERN, format_code, next_codes, reserve_through
from zhaoshang.projects.importing import import_projects
from zhaoshang.projects.models import Project, ProjectCodeSequence
from zhaoshang.projects.tests.test_import import new_row, sheet
from zhaoshang.projects.tests.test_pages import form_data

renumber = import_module("zhaoshang.projects.migrations.0014_project_codes").renumber


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def year() -> int:
    return timezone.localdate().year


def test_the_format_and_the_running_number():
    assert format_code(2026, 108) == "XM2026-0108" and format_code(2026, 12345) == "XM2026-12345"
    assert PATTERN.match("XM2026-0108") and not PATTERN.match("XM00000362")


def test_every_path_gives_a_code_of_one_format_in_order(client, cast):
    service = cast.project(name="服务")  # the service, as the demo, ingest and catalogue call it
    client.force_login(cast.operator_a)
    assert client.post(reverse("projects:create"), form_data(cast, name="表单")).status_code == 302
    bulk = import_projects(cast.operator_a, sheet([new_row("批量一"), new_row("批量二")]))  # bulk twin
    rows = import_projects(cast.operator_a, sheet([new_row("逐行")]), keep_valid=True)  # row by row
    assert (bulk.created, rows.created) == (2, 1)
    codes = list(Project.objects.order_by("pk").values_list("code", flat=True))
    assert codes == [format_code(year(), n) for n in range(1, 6)], codes
    assert service.code == format_code(year(), 1)


def test_numbers_are_never_drawn_twice_and_skip_reserved_ones(db):
    assert next_codes(2031, 2) == ["XM2031-0001", "XM2031-0002"]
    reserve_through(2031, 40)
    reserve_through(2031, 7)  # never backwards
    assert next_codes(2031) == ["XM2031-0041"] and next_codes(2032) == ["XM2032-0001"]


def test_an_explicit_code_in_the_format_reserves_its_number(cast):
    from decimal import Decimal

    from zhaoshang.projects.services import create_project

    data = {"name": "甲", "unit": cast.town_a, "total_investment": Decimal(1)}
    create_project(by=None, data=data, code=format_code(year(), 9))
    assert cast.project(name="乙").code == format_code(year(), 10)


def test_the_migration_renumbers_old_codes_keeping_them_as_former_codes(client, cast):
    a, b, c, custom = (cast.project(name=n) for n in ("甲", "乙", "丙", "自编"))
    Project.objects.filter(pk=a.pk).update(code="XM00000001")
    Project.objects.filter(pk=b.pk).update(code="XM00000362")
    Project.objects.filter(pk=custom.pk).update(code="县-2020-7")  # typed by a caller: left alone
    ProjectCodeSequence.objects.all().delete()
    renumber(apps, None)
    # c kept its code in the format (number 3); the old ones follow it, in recording order.
    got = dict(Project.objects.values_list("name", "code"))
    assert got == {
        "甲": format_code(year(), 4),
        "乙": format_code(year(), 5),
        "丙": format_code(year(), 3),
        "自编": "县-2020-7",
    }
    assert Project.objects.get(pk=b.pk).former_code == "XM00000362"
    assert len(set(got.values())) == 4
    assert cast.project(name="丁").code == format_code(year(), 6)  # the sequence continues after them
    # The old code still finds the project, in the list's search and in an import.
    client.force_login(cast.operator_a)
    page = client.get(reverse("projects:list"), {"q": "XM00000362"}).content.decode()
    assert f"/projects/{b.pk}/" in page and f"/projects/{c.pk}/" not in page
    result = import_projects(cast.operator_a, sheet([new_row("乙改", code="XM00000362")]))
    assert (result.errors, result.updated) == ([], 1)
    assert Project.objects.get(pk=b.pk).name == "乙改"
