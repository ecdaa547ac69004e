"""List pages cost a fixed number of queries, however many rows they show (no N+1)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.activities import services
from zhaoshang.investors import services as investors


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add(cast, n, offset=0):
    for i in range(offset, offset + n):
        investor = investors.create_investor(
            by=cast.admin,
            data={"name": f"第{i}号客商", "unit": cast.town_a},
            contacts=[investors.ContactData(name=f"联系人{i}", phone=f"1380000{i:04d}")],
        )
        services.create_activity(
            by=cast.admin,
            data={
                "kind": "visit",
                "unit": cast.town_a,
                "title": f"来访{i}",
                "starts_on": dt.date(2025, 3, 1),
                "people": 2,
            },
            investors=[investor],
            projects=[cast.project(name=f"项目{i}")],
        )


def test_the_investor_and_activity_lists_do_not_grow_with_their_rows(client, cast):
    add(cast, 2)
    client.force_login(cast.admin)
    few = {name: queries(client, reverse(name)) for name in ("investors:list", "activities:list")}
    add(cast, 8, offset=2)
    many = {name: queries(client, reverse(name)) for name in ("investors:list", "activities:list")}
    assert few == many
