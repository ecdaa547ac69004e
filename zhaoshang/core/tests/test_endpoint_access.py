"""Every endpoint of the registries, every role, against the records of the cast's own county: each
role that should reach a page or an API operation does, and a read-only leader is refused every
write. The refusal test beside this one (test_endpoint_permissions.py) proves the opposite side;
together a page that refuses everyone fails here, and one that serves everyone fails there.

Who should reach what follows the role matrix (core/permissions.py) and the services' own rules
(only the owner unit replies to a request or reports a rectification, only the raising unit
evaluates it): a bureau administrator of the county, a township operator on their own township's
records, a leader for reads, and a system administrator for the deployment's indicators.

A page is sent a GET and, if its view takes one, an empty POST. An empty POST is answered with the
form's errors (400 or a redirect with messages) or a version conflict (409): the page was reached.
A refusal is 403, 404, or a PermissionDenied raised anywhere while answering (a service's refusal
that the view shows as a message on a redirect)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.permissions import Role
from zhaoshang.core.tests.endpoints import api_url, kwargs_for, notification_of, scoped_records
from zhaoshang.core.tests.test_endpoint_permissions import API, BODIES, PAGES, url_patterns
from zhaoshang.ledger.models import Indicator

ROLES = ("sysadmin", "admin", "operator", "leader")
EVERYONE = frozenset(ROLES)
WRITERS = EVERYONE - {"leader"}
BUREAU = frozenset({"sysadmin", "admin"})
SYSTEM = frozenset({"sysadmin"})
OWNER = frozenset({"operator"})  # the township's own side of a request or a rectification item
NOBODY: frozenset[str] = frozenset()

# Who reaches a page, by method, where it differs from the default: every role reads (GET) a list,
# an object or a page of one's own; the writers (not the leader) open a create form and POST.
PAGE_REACH: dict[str, dict[str, frozenset[str]]] = {
    **{
        name: {"get": BUREAU, "post": BUREAU}
        for name in PAGES
        if name.startswith("accounts:user_") or name.startswith("accounts:membership_")
    },
    "units:create": {"get": BUREAU, "post": BUREAU},
    "units:edit": {"get": BUREAU, "post": BUREAU},
    "units:import": {"get": BUREAU, "post": BUREAU},
    "units:import_template": {"get": BUREAU},
    "projects:edit": {"get": WRITERS},
    "ledger:indicator_create": {"get": SYSTEM, "post": SYSTEM},
    "ledger:indicator_edit": {"get": SYSTEM, "post": SYSTEM},
    "ledger:rates": {"get": EVERYONE, "post": BUREAU},  # everyone reads the rates; bureau admins keep them
    "ledger:county_rules": {"get": BUREAU, "post": BUREAU},  # the county's bureau keeps its rules
    "projects:thresholds": {"get": BUREAU, "post": BUREAU},  # and its thresholds
    "ledger:funds_verify": {"post": BUREAU},
    "ledger:funds_return": {"post": BUREAU},
    "ledger:funds_bulk_verify": {"post": BUREAU},
    "ledger:manual_define": {"get": BUREAU, "post": BUREAU},
    "ledger:manual_verify": {"post": BUREAU},
    "ledger:manual_return": {"post": BUREAU},
    # Making the subordinates' documents is a read: a leader asks for it too.
    "summaries:batch": {"post": EVERYONE},
    "targets:grid": {"post": BUREAU},
    "targets:unit": {"post": BUREAU},
    "targets:copy": {"post": BUREAU},
    "targets:import": {"get": BUREAU, "post": BUREAU},
    "targets:import_template": {"get": BUREAU},
    "coordination:accept": {"post": BUREAU},
    "coordination:reject": {"post": BUREAU},
    "coordination:reply": {"post": OWNER},
    "coordination:close": {"post": OWNER},
    "coordination:reopen": {"post": OWNER},
    "enterprises:edit": {"get": WRITERS},
    "enterprises:return_verify": {"post": BUREAU},
    "enterprises:return_back": {"post": BUREAU},
    "enterprises:return_correct": {"post": BUREAU},
    "enterprises:return_withdraw": {"post": BUREAU},
    "enterprises:evaluation": {"post": BUREAU},
    # The county's park: its committee and the bureau change it; a township's operator does not see it.
    "parks:detail": {"get": BUREAU | {"leader"}},
    "parks:profile": {"get": BUREAU, "post": BUREAU},
    "parks:infrastructure_add": {"post": BUREAU},
    "parks:factory_add": {"post": BUREAU},
    "assessment:publish": {"post": BUREAU},
    "assessment:person_targets": {"get": BUREAU, "post": BUREAU},  # the bureau sets personal targets
    # A scheme is the county's: a township reads its own points on its unit's page.
    "assessment:scheme": {"get": EVERYONE - OWNER, "post": BUREAU},
    "assessment:scheme_copy": {"post": BUREAU},
    "assessment:scheme_create": {"post": BUREAU},
    "assessment:criticism": {"get": EVERYONE - OWNER},
    "assessment:commendation": {"get": EVERYONE - OWNER},
    "assessment:rectify": {"post": BUREAU},
    "assessment:self_evaluate": {"post": OWNER},
    # a person's points: to the units above the person's own (the cast's user is of town B)
    "assessment:person": {"get": EVERYONE - OWNER},  # the unit's own people, not its superiors
    "assessment:red_black_notice": {"get": EVERYONE - OWNER},
    "inspections:create": {"get": BUREAU, "post": BUREAU},
    "inspections:item_add": {"post": BUREAU},
    "inspections:rectify": {"post": OWNER},
    "inspections:verify": {"post": BUREAU},
    "inspections:return": {"post": BUREAU},
    "dispatch:queue": {"get": BUREAU},
    "dispatch:report_verify": {"post": BUREAU},
    "dispatch:report_return": {"post": BUREAU},
    "dispatch:calendar": {"get": BUREAU, "post": BUREAU},
    "investors:edit": {"get": WRITERS},
    "investors:merge": {"get": WRITERS},
    "activities:edit": {"get": WRITERS},
    "notifications:read": {"post": EVERYONE},  # one's own notification
    "notifications:robot": {"get": BUREAU, "post": BUREAU},
    "ingest:upload": {"get": WRITERS, "post": WRITERS},
    "ingest:review": {"get": WRITERS, "post": WRITERS},
    # A published offer: only the bureau still changes it, asks and records opinions, hands it over.
    "catalogue:edit": {"get": BUREAU, "post": BUREAU},
    "catalogue:opinion_ask": {"post": BUREAU},
    "catalogue:opinion_record": {"post": BUREAU},
    "catalogue:take": {"post": BUREAU},
    "catalogue:profile": {"get": BUREAU, "post": BUREAU},
    "catalogue:brochure": {"post": EVERYONE},  # a reading: the leader takes brochures to fairs too
}

# Writes that refuse the leader otherwise than with 403, as they answer today: 404 (the view looks
# the record up among those the user may edit, so a record the leader may only read is "missing"),
# "refused" (the service's refusal shown as a message on a redirect), or 302 (the form's errors, see
# FORM_FIRST). Pinned so that a change is seen; the API answers all of these 403.
LEADER_WRITE_REFUSED_OTHERWISE: dict[str, int | str] = {
    **dict.fromkeys(
        [
            "units:edit",
            "projects:edit",
            "projects:stage",
            "projects:approvals",
            "projects:attach",
            "ledger:funds_record",
            "dispatch:report_start",
            "dispatch:project_report",
            "investors:edit",
            "investors:merge",
            "activities:edit",
            "activities:delete",
            "activities:step",
            "enterprises:edit",
            "ingest:review",
            "projects:move",
        ],
        404,
    ),
    **dict.fromkeys(
        [
            "ledger:funds_verify",
            "ledger:funds_delete",
            "dispatch:report_submit",
            "dispatch:report_verify",
            "dispatch:line_remove",
        ],
        "refused",
    ),
    # The form first (FORM_FIRST): the empty POST is answered with its errors on a redirect.
    **dict.fromkeys(
        [
            "ledger:funds_return",
            "dispatch:report_save",
            "dispatch:report_funds",
            "dispatch:report_file",
            "dispatch:report_return",
        ],
        302,
    ),
}

# Pages that read an empty POST's form before asking the service, so a role the service would refuse
# is shown the form's errors instead (302 or 400); what the service refuses with data is tested in
# each app.
FORM_FIRST = {
    "ledger:funds_return",
    "coordination:reply",
    "coordination:close",
    "coordination:reopen",
    "inspections:rectify",
    "dispatch:report_save",
    "dispatch:report_funds",
    "dispatch:report_file",
    "dispatch:report_return",
}

PATTERNS = dict(url_patterns())
PAGE_REACHED = {200, 302, 400, 409}
API_REACHED = {200, 201, 204}


def methods_of(name: str) -> list[str]:
    """The methods the page's view answers (a function view answers both)."""
    view_class = getattr(PATTERNS[name].callback, "view_class", None)
    if view_class is None:
        return ["get", "post"]
    return [m for m in ("get", "post") if m in view_class.http_method_names and hasattr(view_class, m)]


def page_reach(name: str, method: str) -> frozenset[str]:
    kind = PAGES[name].kind
    if kind in ("public", "self"):
        default = EVERYONE
    elif method == "get":
        default = WRITERS if kind == "create" else EVERYONE
    else:
        default = WRITERS
    return PAGE_REACH.get(name, {}).get(method, default)


# --- the county's records and its people -------------------------------------------------------


@pytest.fixture
def home(cast: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """A record of every kind in the first township, a system administrator beside the cast, one
    notification per role and a target of the township for the target pages of 2025."""
    from zhaoshang.targets.services import set_targets

    settings.MEDIA_ROOT = tmp_path
    sysadmin = User.objects.create_user(username="sysadmin", password="x", display_name="sysadmin")
    Membership.objects.create(user=sysadmin, unit=cast.county, role=Role.SYSTEM_ADMIN)
    users = {"sysadmin": sysadmin, "admin": cast.admin, "operator": cast.operator_a, "leader": cast.leader}
    ids = scoped_records(cast, cast.town_a, cast.county, "本县项目")
    indicator = Indicator.objects.order_by("pk").first()
    assert indicator is not None
    set_targets(None, cast.town_a, 2025, {indicator: Decimal(100)})
    return {
        "cast": cast,
        "users": users,
        "ids": {
            **ids,
            "user": cast.operator_b.pk,
            "membership": cast.operator_b.memberships.get().pk,
            "indicator": indicator.pk,
        },
        "notifications": {role: notification_of(user, "本县通知") for role, user in users.items()},
    }


@pytest.fixture
def refusals(monkeypatch: Any) -> list[str]:
    """The PermissionDenied raised while answering, caught or not: a view may show a service's
    refusal as a message on a redirect, which is a refusal all the same."""
    raised: list[str] = []
    original = PermissionDenied.__init__

    def recording(self: Any, *args: Any, **kwargs: Any) -> None:
        raised.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(PermissionDenied, "__init__", recording)
    return raised


def answer(client: Any, user: Any, refusals: list[str], send: Any) -> tuple[int | str, Any]:
    """The status of one request by ``user`` ("refused" for a PermissionDenied behind a success
    status), its writes rolled back so that every role meets the same records."""
    with transaction.atomic():
        client.force_login(user)
        refusals.clear()
        response = send()
        transaction.set_rollback(True)
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login", response
    if refusals and response.status_code not in (403, 404):
        return "refused", response
    return response.status_code, response


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PAGES))
def test_each_role_that_should_reach_a_page_does(client: Any, home: dict[str, Any], refusals: Any, name: str):
    scope = PAGES[name]
    wrong = []
    for role in ROLES:
        ids = {**home["ids"], "notification": home["notifications"][role]}
        kwargs = kwargs_for(name, PATTERNS[name], scope.target, ids) if scope.target else {}
        url = reverse(name, kwargs=kwargs)
        for method in methods_of(name):
            status, _response = answer(
                client, home["users"][role], refusals, lambda m=method, u=url: getattr(client, m)(u, {})
            )
            if role in page_reach(name, method):
                right = status in PAGE_REACHED or (scope.kind == "public" and status == "login")
            elif role == "leader" and method == "post":
                right = status == LEADER_WRITE_REFUSED_OTHERWISE.get(name, 403)
            else:
                right = status in (403, 404, "refused") or (name in FORM_FIRST and status in (302, 400))
            if not right:
                wrong.append((method, role, status))
    assert not wrong, wrong


def test_every_page_is_reached_by_someone():
    for name in PAGES:
        for method in methods_of(name):
            assert page_reach(name, method), (name, method)
    assert set(LEADER_WRITE_REFUSED_OTHERWISE) <= set(PAGES)


# --- API --------------------------------------------------------------------------------------

# Who may call an operation, where it differs from the default (every role reads, the writers write).
API_REACH: dict[tuple[str, str], frozenset[str]] = {
    ("post", "/api/units"): BUREAU,
    ("patch", "/api/units/{unit_id}"): BUREAU,
    ("post", "/api/requests/{request_id}/accept"): BUREAU,
    ("post", "/api/requests/{request_id}/reject"): BUREAU,
    ("post", "/api/requests/{request_id}/reply"): OWNER,
    ("post", "/api/requests/{request_id}/close"): OWNER,
    ("post", "/api/requests/{request_id}/reopen"): OWNER,
    ("post", "/api/enterprises/returns/{return_id}/verify"): BUREAU,
    # The county's park, as its page (parks:detail): a township's operator does not see it.
    ("get", "/api/parks/{park_id}"): BUREAU | {"leader"},
    ("post", "/api/enterprises/returns/{return_id}/return"): BUREAU,
    ("post", "/api/enterprises/returns/{return_id}/correct"): BUREAU,
    ("post", "/api/enterprises/returns/{return_id}/withdraw"): BUREAU,
    ("post", "/api/inspections"): BUREAU,
    ("post", "/api/inspections/{inspection_id}/items"): BUREAU,
    ("post", "/api/inspections/items/{item_id}/rectify"): OWNER,
    ("post", "/api/inspections/items/{item_id}/verify"): BUREAU,
    ("post", "/api/inspections/items/{item_id}/return"): BUREAU,
    ("post", "/api/dispatch/reports/{report_id}/verify"): BUREAU,
    ("post", "/api/dispatch/reports/{report_id}/return"): BUREAU,
    ("post", "/api/ledger/funds/{funds_id}/verify"): BUREAU,
    ("post", "/api/ledger/funds/{funds_id}/return"): BUREAU,
    # A county's ranking is read at the county; a township reads its own line on its unit's page.
    ("get", "/api/assessment/rankings/{ranking_id}"): EVERYONE - OWNER,
}

# Operations that a role reaches but that the records' state refuses by a rule (422), not by scope:
# the request is accepted already (not raised, not replied), the item is rectified already, the
# report is submitted already and its project has its report of the round, the quarterly return is
# reported and not verified (only a verified one is corrected or withdrawn; the permission is checked first).
BY_RULE_422: set[tuple[str, str]] = {
    ("post", "/api/enterprises/returns/{return_id}/correct"),
    ("post", "/api/enterprises/returns/{return_id}/withdraw"),
    ("post", "/api/requests/{request_id}/accept"),
    ("post", "/api/requests/{request_id}/reject"),
    ("post", "/api/requests/{request_id}/close"),
    ("post", "/api/requests/{request_id}/reopen"),
    ("post", "/api/inspections/items/{item_id}/rectify"),
    ("post", "/api/dispatch/reports"),
    ("patch", "/api/dispatch/reports/{report_id}"),
    ("post", "/api/dispatch/reports/{report_id}/submit"),
}


def bodies(ids: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Well-formed bodies naming the county's records, so that an answer comes from the scope (or
    a rule of BY_RULE_422), not from validation; the rest are the refusal test's."""
    town, today = ids["unit"], dt.date.today().isoformat()
    return {
        **BODIES,
        ("post", "/api/units"): {
            "parent_id": town,
            "kind": "village",
            "name": "新村",
            "code": "990101001201",
        },
        ("post", "/api/projects"): {"name": "新项目", "unit_id": town, "total_investment": "100"},
        ("post", "/api/requests"): {
            "kind": "staff_problem",
            "title": "诉求",
            "description": "x",
            "unit_id": town,
        },
        ("post", "/api/requests/{request_id}/accept"): {"owner_unit_id": town},
        ("post", "/api/inspections"): {
            "unit_id": town,
            "year": dt.date.today().year,
            "quarter": (dt.date.today().month - 1) // 3 + 1,
            "inspected_on": today,
            "inspectors": "督查组",
            "findings": "发现",
        },
        ("post", "/api/inspections/{inspection_id}/items"): {
            "description": "整改",
            "owner_unit_id": town,
            "deadline": today,
        },
        ("post", "/api/dispatch/reports"): {"round_id": ids["round"], "project_id": ids["project"]},
        ("post", "/api/investors"): {"name": "新投资方", "unit_id": town},
        ("post", "/api/ledger/funds"): {
            "project_id": ids["project"],
            "arrived_on": today,
            "source": "domestic",
            "amount": "10",
        },
        ("post", "/api/enterprises"): {"name": "新企业", "unit_id": town},
        ("post", "/api/activities"): {
            "kind": "inquiry",
            "unit_id": town,
            "title": "来电",
            "starts_on": today,
        },
    }


@pytest.mark.parametrize(("method", "path"), list(API))
def test_each_role_that_should_reach_an_api_operation_does(
    client: Any, home: dict[str, Any], refusals: Any, method: str, path: str
):
    url, body = api_url(path, home["ids"]), bodies(home["ids"]).get((method, path), {})
    reach = API_REACH.get((method, path), EVERYONE if method == "get" else WRITERS)
    for role in ROLES:

        def send(m: str = method) -> Any:
            if m == "get":
                return client.get(url)
            return getattr(client, m)(url, data=body, content_type="application/json")

        status, response = answer(client, home["users"][role], refusals, send)
        if role in reach:
            expected = API_REACHED | ({422} if (method, path) in BY_RULE_422 else set())
            assert status in expected, (method, path, role, status, response.content[:300])
        elif method != "get" and role == "leader":
            assert status == 403, (method, path, role, status)
        else:
            assert status in (403, 404, "refused"), (method, path, role, status)
