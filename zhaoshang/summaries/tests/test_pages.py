"""The summary page: the unit's operator writes the sections (versions kept), others of the county
read them, another township neither reads nor writes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhaoshang.core.errors import OutOfScope
from zhaoshang.summaries import services
from zhaoshang.summaries.models import SectionText
from zhaoshang.summaries.periods import Period
from zhaoshang.summaries.tests.helpers import YEAR, township_2009


def url(unit):
    return reverse("summaries:summary", args=[unit.pk, YEAR, 1, 12])


def test_the_operator_saves_a_section_as_versions(client, cast):
    unit = township_2009(cast)
    client.force_login(cast.operator_a)
    page = client.get(url(unit))
    assert page.status_code == 200
    assert "全镇共引进项目9个" in page.content.decode()
    for text in ("第一稿", "第二稿", "第二稿"):
        response = client.post(url(unit), {"section": "problems", "text": text})
        assert response.status_code == 302
    rows = SectionText.objects.filter(unit=unit, section="problems").order_by("version")
    assert [(r.version, r.text, r.saved_by_name) for r in rows] == [
        (1, "第一稿", "城关镇填报员"),
        (2, "第二稿", "城关镇填报员"),
    ]
    assert "第二稿" in client.get(url(unit)).content.decode()


def test_an_empty_section_starts_from_the_facts(client, cast):
    unit = township_2009(cast)
    client.force_login(cast.operator_a)
    text = client.get(url(unit)).content.decode()
    assert "加快推进在谈项目签约落地：铜坑湖老龄公寓房产建设项目" in text


def test_another_township_neither_reads_nor_writes(client, cast):
    unit = township_2009(cast)
    client.force_login(cast.operator_b)
    assert client.get(url(unit)).status_code == 404
    assert client.post(url(unit), {"section": "problems", "text": "x"}).status_code == 404
    assert not SectionText.objects.exists()
    with pytest.raises(OutOfScope):
        services.save_section(unit, Period(YEAR), "problems", "x", by=cast.operator_b)


def test_a_leader_reads_but_does_not_write(client, cast):
    unit = township_2009(cast)
    services.save_section(unit, Period(YEAR), "practice", "领导挂点招商。", by=cast.operator_a)
    client.force_login(cast.leader)
    page = client.get(url(unit))
    assert page.status_code == 200 and "领导挂点招商。" in page.content.decode()
    assert client.post(url(unit), {"section": "practice", "text": "x"}).status_code == 403


def test_the_index_leads_to_the_chosen_period(client, cast):
    client.force_login(cast.operator_a)
    response = client.get(
        reverse("summaries:index"), {"unit": cast.town_a.pk, "year": YEAR, "first": 1, "last": 6}
    )
    assert response.status_code == 302 and response.url == reverse(
        "summaries:summary", args=[cast.town_a.pk, YEAR, 1, 6]
    )
    assert (
        client.get(
            reverse("summaries:index"), {"unit": cast.town_b.pk, "year": YEAR, "first": 1, "last": 6}
        ).status_code
        == 200
    )
    assert client.get(reverse("summaries:summary", args=[cast.town_a.pk, YEAR, 7, 3])).status_code == 404
