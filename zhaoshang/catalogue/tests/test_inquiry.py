"""The public inquiry form: an inquiry becomes an inquiry activity of the offer's unit on the
response clock with a notice to its operators and a reference for the visitor; bad input is refused
with clear Chinese messages and nothing is stored; a honeypot and a per-address limit keep robots
out."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from zhaoshang.activities import services as activities
from zhaoshang.activities.models import Activity
from zhaoshang.catalogue.choices import OfferStatus
from zhaoshang.catalogue.inquiry import RATE_LIMIT
from zhaoshang.catalogue.models import Inquiry
from zhaoshang.catalogue.tests.factories import make_offer
from zhaoshang.notifications.models import Notification

GOOD = {
    "name": "李经理",
    "organisation": "浙江某食品有限公司",
    "contact": "13812345678",
    "message": "想了解用地价格和配套政策。",
}


@pytest.fixture
def offer(cast: Any) -> Any:
    return make_offer(cast, status=OfferStatus.PUBLISHED)


def url(offer: Any, lang: str = "zh-hans") -> str:
    return reverse("open:offer_inquiry", kwargs={"lang": lang, "pk": offer.pk})


def stored() -> tuple[int, int, int]:
    return Inquiry.objects.count(), Activity.objects.count(), Notification.objects.count()


def test_an_inquiry_goes_on_the_units_response_clock_with_a_notice(client, cast, offer):
    response = client.post(url(offer), GOOD)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert response["Location"].endswith(f"?ref={inquiry.reference}")
    done = client.get(response["Location"]).content.decode()
    assert inquiry.reference in done
    activity = inquiry.activity
    assert activity.kind == "inquiry" and activity.unit == cast.town_a and activity.channel == "website"
    assert "想了解用地价格" in activity.content and offer.name in activity.title
    clock = activities.clock(activity)
    assert [row["step"] for row in clock] == ["response", "assessment", "feedback"]
    note = Notification.objects.get(recipient=cast.operator_a)
    assert inquiry.reference in note.title and note.link == activity.get_absolute_url()
    assert not Notification.objects.filter(recipient=cast.operator_b).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("message", "很长" * 1001, "确保该变量包含不超过 2000 字符"),  # Django's own message
        ("message", "<script>alert(1)</script>", "Please write plain text, without HTML tags or scripts."),
        ("name", "李\x00经理", "Remove the invisible control characters (such as NUL) from this field."),
        ("name", "李经理😀", "Please use letters and digits only here, without emoji or symbols."),
        ("contact", "随便写写", "Give a phone number or an e-mail address."),
        ("name", "", "这个字段是必填项。"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_stored(client, offer, field, value, message):
    """Each message is the Simplified Chinese of its msgid (the catalogue's translation, once the
    catalogue of this app is merged: catalogue.zh.json), shown on the field."""
    before = stored()
    response = client.post(url(offer), {**GOOD, field: value})
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = translation.gettext(message)
    errors = response.context["form"].errors[field]
    assert any(expected in error for error in errors), errors
    assert html.escape(expected) in response.content.decode() or expected in response.content.decode()
    assert stored() == before


def test_an_emoji_in_the_message_is_kept_whole(client, offer):
    assert client.post(url(offer), {**GOOD, "message": "期待合作 🤝 谢谢"}).status_code == 302
    assert Inquiry.objects.get().message == "期待合作 🤝 谢谢"


def test_the_honeypot_turns_robots_away(client, offer):
    before = stored()
    response = client.post(url(offer), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 400 and stored() == before


def test_an_address_may_send_only_a_few_inquiries_an_hour(client, offer):
    for _ in range(RATE_LIMIT):
        assert client.post(url(offer), GOOD).status_code == 302
    response = client.post(url(offer), GOOD)
    assert response.status_code == 429 and response.context["form"].non_field_errors()
    assert Inquiry.objects.count() == RATE_LIMIT
    # another address is not held back
    assert client.post(url(offer), GOOD, REMOTE_ADDR="10.9.8.7").status_code == 302


def test_the_english_form_answers_in_english(client, offer):
    response = client.post(url(offer, "en"), {**GOOD, "contact": "x"})
    assert "Give a phone number or an e-mail address." in response.content.decode()


def test_a_withdrawn_offer_takes_no_inquiry(client, cast):
    offer = make_offer(cast, status=OfferStatus.WITHDRAWN)
    assert client.post(url(offer), GOOD).status_code == 404
    assert Inquiry.objects.count() == 0


def test_the_county_page_takes_inquiries_for_the_bureau(client, cast):
    from zhaoshang.catalogue import services

    services.save_profile(cast.county, by=None, data={"intro": "县情", "published": True})
    response = client.post(
        reverse("open:county_inquiry", kwargs={"lang": "zh-hans", "pk": cast.county.pk}), GOOD
    )
    assert response.status_code == 302
    assert Inquiry.objects.get().activity.unit == cast.county
