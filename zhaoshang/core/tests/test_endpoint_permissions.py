"""Every endpoint, every role, against records of a foreign unit: refused, and nothing leaks.

The registries below declare the scope of each URL pattern and API operation. A test walks the URL
resolver and the OpenAPI schema and fails when an endpoint exists that is not declared here, so a
new page or operation cannot be added without saying how it is scoped (and being tested for it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from zhaoshang.accounts.models import Membership, User
from zhaoshang.activities.models import Activity
from zhaoshang.api import api
from zhaoshang.core.permissions import Role
from zhaoshang.core.tests.endpoints import api_url, kwargs_for, notification_of, scoped_records, text_of
from zhaoshang.investors.models import Investor
from zhaoshang.projects.models import Attachment, Project
from zhaoshang.units.models import Unit

FOREIGN_PROJECT = "邻县机密项目"
NEIGHBOUR_PROJECT = "河口乡机密项目"


@dataclass(frozen=True)
class Scope:
    """How an endpoint is scoped: ``kind`` is public, self, list, create or object; for objects,
    ``target`` names the record its kwargs point at."""

    kind: str
    target: str = ""


PUBLIC, SELF, LIST, CREATE = Scope("public"), Scope("self"), Scope("list"), Scope("create")
# Records shared by the whole deployment (indicators): every signed-in user reads them; only a system
# administrator's pages change them (tested in zhaoshang/ledger/tests/test_indicators.py).
PUBLIC_LIST = Scope("list")

PAGES: dict[str, Scope] = {
    "core:home": LIST,
    "accounts:login": PUBLIC,
    "accounts:login_otp": PUBLIC,
    "accounts:logout": PUBLIC,
    "set_language": PUBLIC,
    "healthz": PUBLIC,
    "accounts:password_change": SELF,
    "accounts:otp_setup": SELF,
    "accounts:otp_disable": SELF,
    "accounts:user_list": LIST,
    "accounts:user_export": LIST,
    "accounts:user_create": CREATE,
    "accounts:user_detail": Scope("object", "user"),
    "accounts:user_edit": Scope("object", "user"),
    "accounts:user_password": Scope("object", "user"),
    "accounts:user_deactivate": Scope("object", "user"),
    "accounts:user_reactivate": Scope("object", "user"),
    "accounts:membership_add": Scope("object", "user"),
    "accounts:membership_remove": Scope("object", "membership"),
    "units:list": LIST,
    "units:export": LIST,
    "units:create": CREATE,
    "units:detail": Scope("object", "unit"),
    "units:edit": Scope("object", "unit"),
    "units:import": CREATE,
    "units:import_template": CREATE,
    "units:options": LIST,
    "projects:list": LIST,
    "projects:export": LIST,
    "projects:create": CREATE,
    "projects:detail": Scope("object", "project"),
    "projects:edit": Scope("object", "project"),
    "projects:stage": Scope("object", "project"),
    "projects:approvals": Scope("object", "project"),
    "projects:attach": Scope("object", "project"),
    "projects:attachment": Scope("object", "attachment"),
    "ledger:funds_queue": LIST,
    # The records behind a figure: ?unit= names a unit of the user's subtree (404 otherwise, tested in
    # zhaoshang/ledger/tests/test_drilldown.py); without it, the user's top unit.
    "ledger:drilldown": LIST,
    "ledger:indicators": PUBLIC_LIST,
    "ledger:indicator_create": CREATE,
    "ledger:indicator_edit": Scope("global", "indicator"),
    "ledger:rates": PUBLIC_LIST,  # the deployment's yearly rates; kept by bureau admins (test_origin.py)
    "ledger:county_rules": Scope("object", "unit"),  # the unit's county's own indicators (test_rule_pages.py)
    "projects:thresholds": Scope("object", "unit"),  # the unit's county's thresholds (test_rule_pages.py)
    "ledger:funds_record": Scope("object", "project"),
    "ledger:funds_evidence": Scope("object", "funds"),
    "ledger:funds_verify": Scope("object", "funds"),
    "ledger:funds_return": Scope("object", "funds"),
    "ledger:funds_delete": Scope("object", "funds"),
    "ledger:manual_entries": LIST,
    "ledger:manual_define": CREATE,
    "ledger:manual_evidence": Scope("object", "manual"),
    "ledger:manual_verify": Scope("object", "manual"),
    "ledger:manual_return": Scope("object", "manual"),
    "ledger:manual_delete": Scope("object", "manual"),
    "projects:import": CREATE,
    "projects:import_template": CREATE,
    "targets:index": LIST,
    "targets:grid": Scope("object", "unit"),
    "targets:unit": Scope("object", "unit"),
    "targets:copy": Scope("object", "unit"),
    "targets:export": Scope("object", "unit"),
    "targets:import": Scope("object", "unit"),
    "targets:import_template": Scope("object", "unit"),
    "targets:agreement": Scope("object", "unit"),
    "targets:agreements": Scope("object", "unit"),
    "coordination:list": LIST,
    "coordination:export": LIST,
    "coordination:overdue": LIST,
    "coordination:create": CREATE,
    "coordination:detail": Scope("object", "request"),
    "coordination:accept": Scope("object", "request"),
    "coordination:reject": Scope("object", "request"),
    "coordination:reply": Scope("object", "request"),
    "coordination:close": Scope("object", "request"),
    "coordination:reopen": Scope("object", "request"),
    "coordination:comment": Scope("object", "request"),
    "coordination:file": Scope("object", "request_file"),
    "enterprises:list": LIST,
    "enterprises:export": LIST,
    "enterprises:returns": LIST,
    "enterprises:returns_export": LIST,
    "enterprises:create": CREATE,
    "enterprises:import": CREATE,
    "enterprises:import_template": CREATE,
    "enterprises:detail": Scope("object", "enterprise"),
    "enterprises:edit": Scope("object", "enterprise"),
    "enterprises:return_add": Scope("object", "enterprise"),
    "enterprises:return_verify": Scope("object", "return"),
    "enterprises:return_back": Scope("object", "return"),
    "enterprises:return_correct": Scope("object", "return"),
    "enterprises:return_withdraw": Scope("object", "return"),
    "enterprises:visit_add": Scope("object", "enterprise"),
    "enterprises:visits": LIST,
    "enterprises:evaluation": LIST,
    "enterprises:evaluation_export": LIST,
    "enterprises:visits_export": LIST,
    "parks:list": LIST,
    "parks:detail": Scope("object", "park"),
    "parks:profile": Scope("object", "park"),
    "parks:infrastructure_add": Scope("object", "park"),
    "parks:factory_add": Scope("object", "park"),
    "parks:idle_list": LIST,
    "parks:idle_export": LIST,
    "parks:idle_create": CREATE,
    "parks:matches": Scope("object", "project"),
    "parks:take": Scope("object", "project"),
    "parks:idle_edit": Scope("object", "idle"),
    "parks:map": LIST,
    "parks:map_points": LIST,
    "assessment:ranking": LIST,
    "assessment:export": LIST,
    "assessment:unit": Scope("object", "unit"),
    "assessment:person": Scope("object", "user"),  # a person ranked: through the units they work at
    "assessment:self_evaluate": Scope("object", "unit"),
    "assessment:publish": Scope("object", "group"),
    "assessment:person_targets": Scope("object", "group"),
    "assessment:scheme": Scope("object", "scheme"),
    "assessment:scheme_create": CREATE,
    "assessment:accountability": LIST,
    "assessment:red_black": LIST,
    "assessment:criticism": Scope("object", "ranking"),
    "assessment:commendation": Scope("object", "ranking"),
    "assessment:rectify": Scope("object", "ranking"),
    "assessment:scheme_copy": Scope("object", "scheme"),
    "assessment:red_black_notice": Scope("object", "ranking"),
    "inspections:list": LIST,
    "inspections:export": LIST,
    "inspections:items": LIST,
    "inspections:items_export": LIST,
    "inspections:create": CREATE,
    "inspections:detail": Scope("object", "inspection"),
    "inspections:item_add": Scope("object", "inspection"),
    "inspections:rectify": Scope("object", "item"),
    "inspections:verify": Scope("object", "item"),
    "inspections:return": Scope("object", "item"),
    "inspections:evidence": Scope("object", "item"),
    "dispatch:rounds": LIST,
    "dispatch:my_reports": LIST,
    "dispatch:queue": LIST,
    "dispatch:round": Scope("object", "round"),
    "dispatch:table_xlsx": Scope("object", "round"),
    "dispatch:table_docx": Scope("object", "round"),
    "dispatch:report_start": Scope("object", "entry"),
    "dispatch:project_report": Scope("object", "project"),
    "dispatch:report": Scope("object", "report"),
    "dispatch:report_save": Scope("object", "report"),
    "dispatch:report_funds": Scope("object", "report"),
    "dispatch:report_file": Scope("object", "report"),
    "dispatch:report_submit": Scope("object", "report"),
    "dispatch:report_verify": Scope("object", "report"),
    "dispatch:report_return": Scope("object", "report"),
    "dispatch:line_remove": Scope("object", "line"),
    "dispatch:evidence": Scope("object", "line"),
    "dispatch:file": Scope("object", "report_file"),
    "dispatch:calendar": Scope("object", "county"),
    "notifications:list": SELF,
    "notifications:read_all": SELF,
    "notifications:read": Scope("object", "notification"),
    "notifications:robots": LIST,
    "notifications:robot": Scope("object", "unit"),
    "jobs:list": LIST,
    "jobs:detail": Scope("object", "job"),
    "jobs:retry": Scope("object", "job"),
    "jobs:output": Scope("object", "job"),
    "investors:list": LIST,
    "investors:export": LIST,
    "investors:create": CREATE,
    "investors:import": CREATE,
    "investors:import_template": CREATE,
    "investors:follow_ups": LIST,
    "investors:double_claims": LIST,
    "investors:detail": Scope("object", "investor"),
    "investors:edit": Scope("object", "investor"),
    "investors:merge": Scope("object", "investor"),
    "investors:options": LIST,
    "activities:list": LIST,
    "activities:export": LIST,
    "activities:create": CREATE,
    "activities:overdue": LIST,
    "activities:detail": Scope("object", "activity"),
    "activities:edit": Scope("object", "activity"),
    "activities:delete": Scope("object", "activity"),
    "activities:step": Scope("object", "activity"),
    "ingest:upload": LIST,
    "ingest:review": Scope("object", "upload"),
    "catalogue:list": LIST,
    "catalogue:export": LIST,
    "catalogue:create": CREATE,
    "catalogue:brochure": LIST,
    "catalogue:detail": Scope("object", "offer"),
    "catalogue:edit": Scope("object", "offer"),
    "catalogue:move": Scope("object", "offer"),
    "catalogue:opinion_ask": Scope("object", "offer"),
    "catalogue:opinion_record": Scope("object", "offer"),
    "catalogue:file_add": Scope("object", "offer"),
    "catalogue:file": Scope("object", "offer_file"),
    "catalogue:take": Scope("object", "offer"),
    "catalogue:profile": Scope("object", "county"),
    "catalogue:fair": Scope("object", "fair"),
    # The public site: no log-in; only published offers, through Offer.objects.published() (tested
    # over every one of these URLs in zhaoshang/catalogue/tests/test_public.py).
    "open:index": PUBLIC,
    "open:sitemap": PUBLIC,
    "open:photo": Scope("public", "offer_file"),
    "open:list": Scope("public", "site"),
    "open:offer": Scope("public", "offer"),
    "open:offer_inquiry": Scope("public", "offer"),
    "open:county": Scope("public", "county"),
    "open:county_inquiry": Scope("public", "county"),
    "open:inquiry_done": Scope("public", "site"),
    "summaries:index": LIST,
    "summaries:summary": Scope("object", "unit"),
    "summaries:summary_docx": Scope("object", "unit"),
    "summaries:summary_pdf": Scope("object", "unit"),
    "summaries:batch": Scope("object", "unit"),
    "summaries:bulletin": Scope("object", "unit"),
    "summaries:bulletin_docx": Scope("object", "unit"),
    "summaries:bulletin_xlsx": Scope("object", "unit"),
    "summaries:bulletin_pdf": Scope("object", "unit"),
    # The kanban board of projects by stage and its move (projects/board.py).
    "projects:board": LIST,
    "projects:move": Scope("object", "project"),
    # Verifying the ticked lines of the funds queue (the ids in the body; another unit's refused).
    "ledger:funds_bulk_verify": CREATE,
}

# API operations by (method, OpenAPI path). Docs and schema are pages of the API namespace.
API: dict[tuple[str, str], Scope] = {
    ("get", "/api/units"): LIST,
    ("post", "/api/units"): CREATE,
    ("get", "/api/units/{unit_id}"): Scope("object", "unit"),
    ("patch", "/api/units/{unit_id}"): Scope("object", "unit"),
    ("get", "/api/projects"): LIST,
    ("post", "/api/projects"): CREATE,
    ("get", "/api/projects/{project_id}"): Scope("object", "project"),
    ("patch", "/api/projects/{project_id}"): Scope("object", "project"),
    ("post", "/api/projects/{project_id}/stage"): Scope("object", "project"),
    ("get", "/api/projects/{project_id}/transitions"): Scope("object", "project"),
    ("get", "/api/requests"): LIST,
    ("post", "/api/requests"): CREATE,
    ("get", "/api/requests/overdue"): LIST,
    ("get", "/api/requests/{request_id}"): Scope("object", "request"),
    ("post", "/api/requests/{request_id}/accept"): Scope("object", "request"),
    ("post", "/api/requests/{request_id}/reject"): Scope("object", "request"),
    ("post", "/api/requests/{request_id}/reply"): Scope("object", "request"),
    ("post", "/api/requests/{request_id}/close"): Scope("object", "request"),
    ("post", "/api/requests/{request_id}/reopen"): Scope("object", "request"),
    ("post", "/api/requests/{request_id}/comment"): Scope("object", "request"),
    ("get", "/api/enterprises"): LIST,
    ("get", "/api/parks"): LIST,
    ("get", "/api/parks/idle"): LIST,
    ("get", "/api/parks/{park_id}"): Scope("object", "park"),
    ("post", "/api/enterprises"): CREATE,
    ("get", "/api/enterprises/returns"): LIST,
    ("get", "/api/enterprises/visits"): LIST,
    ("post", "/api/enterprises/{enterprise_id}/visits"): Scope("object", "enterprise"),
    ("get", "/api/enterprises/{enterprise_id}"): Scope("object", "enterprise"),
    ("post", "/api/enterprises/{enterprise_id}/returns"): Scope("object", "enterprise"),
    ("post", "/api/enterprises/returns/{return_id}/verify"): Scope("object", "return"),
    ("post", "/api/enterprises/returns/{return_id}/return"): Scope("object", "return"),
    ("post", "/api/enterprises/returns/{return_id}/correct"): Scope("object", "return"),
    ("post", "/api/enterprises/returns/{return_id}/withdraw"): Scope("object", "return"),
    ("get", "/api/inspections"): LIST,
    ("post", "/api/inspections"): CREATE,
    ("get", "/api/inspections/items"): LIST,
    ("get", "/api/inspections/{inspection_id}"): Scope("object", "inspection"),
    ("post", "/api/inspections/{inspection_id}/items"): Scope("object", "inspection"),
    ("post", "/api/inspections/items/{item_id}/rectify"): Scope("object", "item"),
    ("post", "/api/inspections/items/{item_id}/verify"): Scope("object", "item"),
    ("post", "/api/inspections/items/{item_id}/return"): Scope("object", "item"),
    ("get", "/api/assessment/schemes"): LIST,
    ("get", "/api/assessment/rankings"): LIST,
    ("get", "/api/assessment/rankings/{ranking_id}"): Scope("object", "ranking"),
    ("get", "/api/dispatch/rounds"): LIST,
    ("get", "/api/dispatch/reports"): LIST,
    ("post", "/api/dispatch/reports"): CREATE,
    ("get", "/api/dispatch/reports/{report_id}"): Scope("object", "report"),
    ("patch", "/api/dispatch/reports/{report_id}"): Scope("object", "report"),
    ("post", "/api/dispatch/reports/{report_id}/submit"): Scope("object", "report"),
    ("post", "/api/dispatch/reports/{report_id}/verify"): Scope("object", "report"),
    ("post", "/api/dispatch/reports/{report_id}/return"): Scope("object", "report"),
    ("get", "/api/investors"): LIST,
    ("post", "/api/investors"): CREATE,
    ("get", "/api/investors/{investor_id}"): Scope("object", "investor"),
    ("patch", "/api/investors/{investor_id}"): Scope("object", "investor"),
    ("get", "/api/activities"): LIST,
    ("post", "/api/activities"): CREATE,
    ("get", "/api/activities/{activity_id}"): Scope("object", "activity"),
    ("delete", "/api/activities/{activity_id}"): Scope("object", "activity"),
    ("patch", "/api/activities/{activity_id}"): Scope("object", "activity"),
    ("post", "/api/activities/{activity_id}/steps"): Scope("object", "activity"),
    ("get", "/api/summaries/{unit_id}"): Scope("object", "unit"),
    ("get", "/api/ledger/indicators"): PUBLIC_LIST,
    ("get", "/api/ledger/units/{unit_id}/drilldown"): Scope("object", "unit"),
    ("get", "/api/ledger/funds"): LIST,
    ("post", "/api/ledger/funds"): CREATE,
    ("post", "/api/ledger/funds/{funds_id}/verify"): Scope("object", "funds"),
    ("post", "/api/ledger/funds/{funds_id}/return"): Scope("object", "funds"),
    ("get", "/api/targets/units/{unit_id}/completion"): Scope("object", "unit"),
}
API_PAGES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


def url_patterns(patterns: list[Any] | None = None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            found += url_patterns(p.url_patterns, p.namespace or namespace)
        else:
            found.append((f"{namespace}:{p.name}" if namespace else str(p.name), p))
    return found


def api_operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return [(method, path) for path, ops in paths.items() for method in ops]


# --- the cast: every role of the county, and records they must never reach ---------------------


@pytest.fixture
def world(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    extra = {}
    for username, role, unit in [
        ("sysadmin", Role.SYSTEM_ADMIN, cast.county),
        ("inspector", Role.INSPECTOR, cast.county),
        ("steward", Role.STEWARD, cast.town_a),
    ]:
        extra[username] = User.objects.create_user(username=username, password="x", display_name=username)
        Membership.objects.create(user=extra[username], unit=unit, role=role)
    foreign = scoped_records(cast, cast.other_town, cast.other_county, FOREIGN_PROJECT)
    neighbour = cast.project(cast.town_b, name=NEIGHBOUR_PROJECT)
    return {
        "cast": cast,
        "county_users": [cast.admin, cast.leader, cast.operator_a, cast.operator_b, *extra.values()],
        "foreign": {
            **foreign,
            "user": cast.stranger.pk,
            "membership": cast.stranger.memberships.get().pk,
            "notification": notification_of(cast.stranger, FOREIGN_PROJECT),
        },
        "neighbour_project": neighbour.pk,
    }


def without_tokens(response: Any, url: str) -> str:
    """The page with its CSRF tokens (masked differently in every response) and its own address (in
    the language switch) blanked."""
    text = response.content.decode().replace(url, "URL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


# --- the registry is complete -----------------------------------------------------------------


def test_every_url_pattern_declares_its_scope():
    names = {name for name, _p in url_patterns()}
    undeclared = {n for n in names if n not in PAGES and not n.startswith("api:")}
    assert not undeclared, f"declare the scope of {sorted(undeclared)} in PAGES and test it"
    assert not set(PAGES) - names, f"PAGES names endpoints that no longer exist: {sorted(set(PAGES) - names)}"


def test_every_api_operation_declares_its_scope():
    operations = set(api_operations())
    assert operations == set(API), f"undeclared: {operations - set(API)}; gone: {set(API) - operations}"
    api_pages = {n for n, _p in url_patterns() if n.startswith("api:")}
    named_ops = {f"api:{p.name}" for n, p in url_patterns() if n.startswith("api:")}
    assert api_pages - named_ops <= API_PAGES | api_pages  # the api: names are the operations + API_PAGES


# --- pages ------------------------------------------------------------------------------------


OBJECT_PAGES = [(n, p, PAGES[n].target) for n, p in url_patterns() if PAGES.get(n, PUBLIC).kind == "object"]
LIST_PAGES = [n for n, s in PAGES.items() if s.kind == "list"]


REFUSED = (403, 404, 405)


@pytest.mark.parametrize(("name", "pattern", "target"), OBJECT_PAGES, ids=[o[0] for o in OBJECT_PAGES])
def test_no_role_of_the_county_reaches_a_foreign_record_by_page(client, world, name, pattern, target):
    """Refused for every role, and refused exactly as a missing id would be, so nothing leaks: 404 for
    a user who may act on such records elsewhere, 403 for one who may not use the page at all."""
    url = reverse(name, kwargs=kwargs_for(name, pattern, target, world["foreign"]))
    missing = reverse(
        name, kwargs=kwargs_for(name, pattern, target, dict.fromkeys(world["foreign"], 99_999_999))
    )
    before = (Project.objects.get(pk=world["foreign"]["project"]).version, Attachment.objects.count())
    for user in world["county_users"]:
        client.force_login(user)
        for method in ("get", "post"):
            status = getattr(client, method)(url, {}).status_code
            assert status in REFUSED, (name, user.username, method, status)
            assert status == getattr(client, method)(missing, {}).status_code, (name, user.username, method)
    assert (Project.objects.get(pk=world["foreign"]["project"]).version, Attachment.objects.count()) == before
    assert User.objects.get(pk=world["foreign"]["user"]).is_active
    assert Unit.objects.get(pk=world["foreign"]["unit"]).name == "邻县镇"
    assert Investor.objects.get(pk=world["foreign"]["investor"]).name.startswith(FOREIGN_PROJECT)
    assert Activity.objects.filter(pk=world["foreign"]["activity"], steps__isnull=True).exists()


@pytest.mark.parametrize(("name", "pattern", "target"), OBJECT_PAGES, ids=[o[0] for o in OBJECT_PAGES])
def test_an_out_of_scope_id_and_a_missing_id_give_the_same_answer(client, world, name, pattern, target):
    missing = dict.fromkeys(world["foreign"], 99_999_999)
    foreign_url = reverse(name, kwargs=kwargs_for(name, pattern, target, world["foreign"]))
    missing_url = reverse(name, kwargs=kwargs_for(name, pattern, target, missing))
    client.force_login(world["cast"].admin)
    a, b = client.get(foreign_url), client.get(missing_url)
    assert a.status_code == b.status_code and without_tokens(a, foreign_url) == without_tokens(b, missing_url)


@pytest.mark.parametrize(
    "name", ["projects:detail", "projects:edit", "projects:stage", "projects:approvals", "projects:attach"]
)
def test_a_township_operator_never_reaches_the_neighbouring_townships_project(client, world, name):
    client.force_login(world["cast"].operator_a)
    url = reverse(name, kwargs={"pk": world["neighbour_project"]})
    assert client.get(url).status_code in REFUSED
    assert client.post(url, {}).status_code in REFUSED
    assert Project.objects.get(pk=world["neighbour_project"]).version == 1


@pytest.mark.parametrize("name", LIST_PAGES)
def test_no_list_or_export_shows_a_foreign_record_to_any_role(client, world, name):
    for user in world["county_users"]:
        client.force_login(user)
        response = client.get(reverse(name))
        assert response.status_code in (200, 403), (name, user.username)
        text = text_of(response)
        assert FOREIGN_PROJECT not in text and "邻县镇" not in text and "邻县管理员" not in text, (name, user)


def test_the_counts_on_the_home_page_leave_out_foreign_projects(client, world):
    client.force_login(world["cast"].admin)
    assert (
        client.get(reverse("core:home")).context["total"]
        == Project.objects.visible_to(world["cast"].admin).count()
    )
    assert Project.objects.visible_to(world["cast"].admin).filter(name=FOREIGN_PROJECT).count() == 0


@pytest.mark.parametrize(
    "name", [n for n, s in PAGES.items() if s.kind in ("list", "create", "object", "self")]
)
def test_anonymous_visitors_are_sent_to_log_in_everywhere(client, world, name):
    pattern = dict(url_patterns())[name]
    scope = PAGES[name]
    kwargs = kwargs_for(name, pattern, scope.target, world["foreign"]) if scope.kind == "object" else {}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- API ----------------------------------------------------------------------------------------


# A well-formed body per write, so that the refusal comes from the scope and not from validation.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("patch", "/api/units/{unit_id}"): {"name": "改名"},
    ("patch", "/api/projects/{project_id}"): {"name": "改名"},
    ("post", "/api/projects/{project_id}/stage"): {"to_stage": "negotiating", "on": "2024-05-01"},
    ("post", "/api/requests/{request_id}/accept"): {"owner_unit_id": 1},
    ("post", "/api/requests/{request_id}/reject"): {"reason": "x"},
    ("post", "/api/requests/{request_id}/reply"): {"text": "x"},
    ("post", "/api/requests/{request_id}/close"): {"rating": 5},
    ("post", "/api/requests/{request_id}/reopen"): {"reason": "x"},
    ("post", "/api/requests/{request_id}/comment"): {"text": "x"},
    ("post", "/api/inspections/{inspection_id}/items"): {
        "description": "x",
        "owner_unit_id": 1,
        "deadline": "2024-05-01",
    },
    ("post", "/api/inspections/items/{item_id}/rectify"): {"evidence": "x"},
    ("post", "/api/enterprises/{enterprise_id}/returns"): {
        "year": 2025,
        "quarter": 4,
        "output": "12",
        "sales": "12",
        "tax": "2",
        "jobs": 6,
    },
    ("post", "/api/enterprises/returns/{return_id}/return"): {"reason": "x"},
    ("post", "/api/enterprises/returns/{return_id}/correct"): {
        "output": "13",
        "sales": "12",
        "tax": "2",
        "jobs": 6,
        "reason": "x",
    },
    ("post", "/api/enterprises/returns/{return_id}/withdraw"): {"reason": "x"},
    ("post", "/api/enterprises/{enterprise_id}/visits"): {
        "visited_on": "2025-05-01",
        "visitors": "包联干部",
        "findings": "生产正常",
    },
    ("post", "/api/inspections/items/{item_id}/return"): {"reason": "x"},
    ("patch", "/api/dispatch/reports/{report_id}"): {"investment": "1"},
    ("post", "/api/dispatch/reports/{report_id}/return"): {"reason": "退回"},
    ("post", "/api/ledger/funds/{funds_id}/return"): {"reason": "退回"},
    ("patch", "/api/investors/{investor_id}"): {"name": "改名"},
    ("patch", "/api/activities/{activity_id}"): {"title": "改名"},
    ("post", "/api/activities/{activity_id}/steps"): {"step": "response", "done_on": "2024-05-02"},
}


def call(client: Any, method: str, url: str, path: str = "") -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=BODIES.get((method, path), {}), content_type="application/json")


OBJECT_OPS = [op for op, s in API.items() if s.kind == "object"]


@pytest.mark.parametrize(("method", "path"), OBJECT_OPS)
def test_no_role_of_the_county_reaches_a_foreign_record_by_api(client, world, method, path):
    url = api_url(path, world["foreign"])
    for user in world["county_users"]:
        client.force_login(user)
        response = call(client, method, url, path)
        assert response.status_code == 404, (method, path, user.username, response.status_code)
    assert Project.objects.get(pk=world["foreign"]["project"]).version == 1
    assert Investor.objects.get(pk=world["foreign"]["investor"]).name.startswith(FOREIGN_PROJECT)
    assert Activity.objects.filter(
        pk=world["foreign"]["activity"], steps__isnull=True, title=FOREIGN_PROJECT
    ).exists()


@pytest.mark.parametrize(("method", "path"), [op for op, s in API.items() if s.kind == "list"])
def test_no_api_list_shows_a_foreign_record_to_any_role(client, world, method, path):
    for user in world["county_users"]:
        client.force_login(user)
        text = client.get(f"{path}?limit=200").content.decode()
        assert FOREIGN_PROJECT not in text and "邻县镇" not in text, (path, user.username)


@pytest.mark.parametrize(("method", "path"), list(API))
def test_every_api_operation_refuses_anonymous_callers(client, world, method, path):
    assert call(client, method, api_url(path, world["foreign"]), path).status_code == 401
