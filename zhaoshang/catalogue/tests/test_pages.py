"""The private pages, end to end through the views: a township drafts and submits, the bureau asks
and records an opinion, publishes and hands the offer to the ledger; the export is the 《重點招商項目表》."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.catalogue.models import Offer
from zhaoshang.catalogue.tests.factories import make_offer
from zhaoshang.core.tests.endpoints import text_of


def form_data(cast: Any, **data: Any) -> dict[str, Any]:
    return {
        "name": "标准化厂房招商项目",
        "industry": "C",
        "unit": cast.town_a.pk,
        "content": "建设标准化厂房5万平方米。",
        "currency": "CNY",
        "total_investment": "15000",
        "sought_amount": "15000",
        "cooperation": "lease",
        "prep": ["filing", "planning"],
        "contact_name": "张主任",
        "contact_phone": "0571-12345678",
        "year": "2026",
        **data,
    }


def test_the_offer_goes_through_its_pages(client, cast, settings, tmp_path, department_operator):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.operator_a)
    response = client.post(reverse("catalogue:create"), form_data(cast))
    offer = Offer.objects.get()
    assert response.status_code == 302 and response["Location"] == offer.get_absolute_url()
    assert offer.prep == ["filing", "planning"] and offer.created_by == cast.operator_a
    assert client.post(reverse("catalogue:create"), form_data(cast, unit=cast.town_b.pk)).status_code == 400
    edit = reverse("catalogue:edit", args=[offer.pk])
    assert client.post(edit, form_data(cast, name="标准化厂房二期")).status_code == 302
    client.post(
        reverse("catalogue:file_add", args=[offer.pk]),
        {"kind": "photo", "file": SimpleUploadedFile("厂房.jpg", b"jpg"), "caption": "厂房"},
    )
    assert offer.files.count() == 1
    client.post(reverse("catalogue:move", args=[offer.pk]), {"to": "review"})
    offer.refresh_from_db()
    assert offer.status == "review" and offer.version == 2
    assert client.get(edit).status_code == 403  # the unit's part is done

    client.force_login(cast.admin)
    page = client.get(offer.get_absolute_url()).content.decode()
    assert 'data-testid="ask-form"' in page and 'data-testid="move-published"' in page
    client.post(reverse("catalogue:opinion_ask", args=[offer.pk]), {"department": cast.department.pk})
    opinion = offer.opinions.get()
    client.post(
        reverse("catalogue:opinion_record", args=[offer.pk]),
        {"opinion": opinion.pk, "agrees": "1", "text": "同意推介"},
    )
    client.post(reverse("catalogue:move", args=[offer.pk]), {"to": "published"})
    offer.refresh_from_db()
    assert offer.status == "published"
    investor = cast.project(cast.town_a, name="老项目").investors.get()
    client.post(reverse("catalogue:take", args=[offer.pk]), {"investor": investor.pk})
    offer.refresh_from_db()
    assert offer.status == "taken" and offer.project is not None
    page = client.get(offer.get_absolute_url()).content.decode()
    assert 'data-testid="taken-project"' in page and "同意推介" in page


def test_the_leader_reads_but_does_not_write(client, cast):
    offer = make_offer(cast, status="review")
    client.force_login(cast.leader)
    assert client.get(offer.get_absolute_url()).status_code == 200
    assert client.get(reverse("catalogue:create")).status_code == 403
    assert client.post(reverse("catalogue:move", args=[offer.pk]), {"to": "published"}).status_code == 403
    assert Offer.objects.get(pk=offer.pk).status == "review"


def test_the_township_sees_its_own_offers_only(client, cast):
    make_offer(cast, cast.town_a, name="城关镇的项目")
    make_offer(cast, cast.town_b, name="河口乡的项目")
    client.force_login(cast.operator_a)
    text = client.get(reverse("catalogue:list")).content.decode()
    assert "城关镇的项目" in text and "河口乡的项目" not in text


def test_the_export_is_the_key_project_table(client, cast):
    make_offer(cast, name="富硒大米加工项目")
    client.force_login(cast.admin)
    response = client.get(reverse("catalogue:export"))
    assert response.status_code == 200
    text = text_of(response)
    assert "富硒大米加工项目" in text and "12000" in text
    assert "立项" in text or "Project approval or filing" in text


def test_the_bureau_writes_the_county_profile(client, cast):
    client.force_login(cast.admin)
    url = reverse("catalogue:profile", args=[cast.county.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"intro": "示例县位于长江中游。", "published": "on"})
    page = client.get(
        reverse("open:county", kwargs={"lang": "zh-hans", "pk": cast.county.pk})
    ).content.decode()
    assert "示例县位于长江中游。" in page
    client.force_login(cast.operator_a)
    assert client.get(url).status_code == 404
