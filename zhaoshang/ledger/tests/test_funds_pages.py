"""The funds pages: an operator records, the bureau verifies or returns, and the figures follow."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhaoshang.ledger.choices import FundsStatus, Kind
from zhaoshang.ledger.models import FundsArrival
from zhaoshang.ledger.services import subtree_figures


def county_funds(cast):
    zero = (Decimal(0), Decimal(0))
    return subtree_figures(cast.county, 2024, kinds=[Kind.FUNDS_DOMESTIC]).get(Kind.FUNDS_DOMESTIC, zero)


def test_an_operator_records_funds_and_the_bureau_verifies_them(client, cast):
    project = cast.project()
    client.force_login(cast.operator_a)
    page = client.get(project.get_absolute_url())
    assert "verified" not in page.context["funds_form"].fields
    client.post(
        reverse("ledger:funds_record", args=[project.pk]),
        {"arrived_on": "2024-05-10", "source": "domestic", "amount": "1234.5678", "verified": "on"},
    )
    funds = FundsArrival.objects.get()
    assert (funds.status, funds.amount) == (FundsStatus.REPORTED, Decimal("1234.5678"))  # the tick is ignored
    assert county_funds(cast) == (Decimal(0), Decimal("1234.5678"))
    assert client.post(reverse("ledger:funds_verify", args=[funds.pk])).status_code == 302
    assert FundsArrival.objects.get().status == FundsStatus.REPORTED  # an operator cannot verify
    client.force_login(cast.admin)
    queue = client.get(reverse("ledger:funds_queue"))
    assert [f.pk for f in queue.context["page_obj"]] == [funds.pk]
    client.post(reverse("ledger:funds_verify", args=[funds.pk]))
    assert county_funds(cast) == (Decimal("1234.5678"), Decimal(0))


def test_the_bureau_returns_a_figure_with_its_reason(client, cast):
    project = cast.project()
    client.force_login(cast.admin)
    client.post(
        reverse("ledger:funds_record", args=[project.pk]),
        {"arrived_on": "2024-05-10", "source": "domestic", "amount": "10"},
    )
    funds = FundsArrival.objects.get()
    client.post(reverse("ledger:funds_return", args=[funds.pk]), {"reason": "缺少银行进账单"})
    funds.refresh_from_db()
    assert (funds.status, funds.return_reason) == (FundsStatus.RETURNED, "缺少银行进账单")
    assert county_funds(cast) == (Decimal(0), Decimal(0))


def test_the_bureau_records_and_verifies_in_one_step(client, cast):
    project = cast.project()
    client.force_login(cast.admin)
    client.post(
        reverse("ledger:funds_record", args=[project.pk]),
        {"arrived_on": "2024-05-10", "source": "foreign", "amount": "50", "verified": "on"},
    )
    funds = FundsArrival.objects.get()
    assert (funds.status, funds.currency) == (FundsStatus.VERIFIED, "USD")


def test_operators_and_leaders_have_no_verification_queue(client, cast):
    for user in (cast.operator_a, cast.leader):
        client.force_login(user)
        assert not client.get(reverse("ledger:funds_queue")).context["page_obj"].object_list


def test_the_return_address_after_a_decision_stays_on_this_site(client, cast):
    project = cast.project()
    client.force_login(cast.admin)
    client.post(
        reverse("ledger:funds_record", args=[project.pk]),
        {"arrived_on": "2024-05-10", "source": "domestic", "amount": "10"},
    )
    funds = FundsArrival.objects.get()
    response = client.post(reverse("ledger:funds_verify", args=[funds.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == project.get_absolute_url()


def test_the_queue_lists_the_newest_funds_first_or_the_oldest_and_counts_at_most_to_its_cap(
    client, cast, monkeypatch
):
    project = cast.project()
    client.force_login(cast.admin)
    for day in ("2024-05-10", "2024-03-01", "2024-04-15"):
        client.post(
            reverse("ledger:funds_record", args=[project.pk]),
            {"arrived_on": day, "source": "domestic", "amount": "10"},
        )
    queue = client.get(reverse("ledger:funds_queue"))
    days = [str(f.arrived_on) for f in queue.context["page_obj"]]
    assert days == ["2024-05-10", "2024-04-15", "2024-03-01"]
    oldest = client.get(reverse("ledger:funds_queue"), {"status": "reported", "order": "oldest"})
    assert [str(f.arrived_on) for f in oldest.context["page_obj"]] == [
        "2024-03-01",
        "2024-04-15",
        "2024-05-10",
    ]
    assert not queue.context["page_obj"].paginator.capped
    monkeypatch.setattr("zhaoshang.ledger.views.LIST_COUNT_CAP", 2)
    queue = client.get(reverse("ledger:funds_queue"))
    assert queue.context["page_obj"].paginator.capped and len(queue.context["page_obj"]) == 2
    assert "超过2" in queue.content.decode()  # "more than 2", in the default language


def test_a_voucher_over_the_size_limit_is_refused_and_nothing_recorded(client, cast, settings):
    # The probe stored a 100 MB voucher: record_funds did not ask check_attachment.
    settings.MAX_ATTACHMENT_BYTES = 1024
    project = cast.project()
    client.force_login(cast.operator_a)
    big = SimpleUploadedFile("银行回单.pdf", b"%PDF" + b"0" * 2048, content_type="application/pdf")
    response = client.post(
        reverse("ledger:funds_record", args=[project.pk]),
        {"arrived_on": "2024-05-10", "source": "domestic", "amount": "10", "evidence": big},
        follow=True,
    )
    assert any("MB" in str(m) for m in response.context["messages"])
    assert not FundsArrival.objects.exists()


def test_the_voucher_is_downloaded_by_its_unit_and_the_bureau_only(client, cast):
    project = cast.project()
    client.force_login(cast.operator_a)
    slip = SimpleUploadedFile("银行回单.pdf", b"%PDF-1.4 slip", content_type="application/pdf")
    client.post(
        reverse("ledger:funds_record", args=[project.pk]),
        {"arrived_on": "2024-05-10", "source": "domestic", "amount": "10", "evidence": slip},
    )
    funds = FundsArrival.objects.get()
    url = reverse("ledger:funds_evidence", args=[funds.pk])
    assert url in client.get(project.get_absolute_url()).content.decode()
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 slip"
    client.force_login(cast.admin)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("ledger:funds_queue")).content.decode()
    for outsider in (cast.operator_b, cast.stranger):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_the_queue_finds_funds_by_project_unit_or_investor_in_either_script(client, cast):
    mine = cast.project(name="综合物流园")  # its investor is 综合物流园投资方 (the cast's rule)
    other = cast.project(cast.town_b, name="河口水厂")
    for project in (mine, other):
        client.force_login(cast.admin)
        client.post(
            reverse("ledger:funds_record", args=[project.pk]),
            {"arrived_on": "2024-05-10", "source": "domestic", "amount": "10"},
        )
    for words, expected in (
        ("綜合", ["综合物流园"]),
        ("河口", ["河口水厂"]),
        ("投资方", ["综合物流园", "河口水厂"]),
    ):
        queue = client.get(reverse("ledger:funds_queue"), {"status": "reported", "q": words})
        assert sorted(f.project.name for f in queue.context["page_obj"]) == sorted(expected), words


def test_verifying_asks_for_confirmation_with_the_amount(client, cast):
    project = cast.project(name="确认项目")
    client.force_login(cast.admin)
    client.post(
        reverse("ledger:funds_record", args=[project.pk]),
        {"arrived_on": "2024-05-10", "source": "domestic", "amount": "1234.5"},
    )
    page = client.get(reverse("ledger:funds_queue")).content.decode()
    question = page.split('data-confirm="', 1)[1].split('"', 1)[0]
    assert question.startswith("确认核实“确认项目”的 1,234.5 万元")
