"""The audit trail: every change is recorded, entries are append-only, and tampering is found."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from zhaoshang.audit.models import Entry
from zhaoshang.audit.services import verify
from zhaoshang.projects import services
from zhaoshang.projects.models import Project


@pytest.fixture
def busy(cast):
    """A county with a handful of audited changes."""
    project = cast.project(by=cast.operator_a, name="审计项目")
    services.update_project(project, by=cast.operator_a, data={"total_investment": Decimal("6000.5")})
    services.change_stage(project, "negotiating", by=cast.operator_a, on=dt.date(2024, 5, 1), note="洽谈")
    services.set_approval(project, "land", by=cast.admin, done=True, done_on=dt.date(2024, 5, 2))
    return project


def county_chain(cast) -> str:
    return cast.county.path


def entries(cast) -> list[Entry]:
    return list(Entry.objects.filter(chain=county_chain(cast)).order_by("seq"))


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_change_is_recorded_with_who_what_and_before_after(cast, busy):
    project_entries = Entry.objects.filter(object_type="projects.project", object_id=str(busy.pk)).order_by(
        "seq"
    )
    assert [e.action for e in project_entries] == ["create", "update", "stage"]
    update = project_entries[1]
    assert (
        update.user == cast.operator_a and update.user_name == "城关镇填报员" and update.unit_name == "城关镇"
    )
    assert (update.before["total_investment"], update.after["total_investment"]) == ("5000.0000", "6000.5000")
    stage = project_entries[2]
    assert (stage.before["stage"], stage.after["stage"], stage.note) == ("lead", "negotiating", "洽谈")
    assert Entry.objects.filter(object_type="projects.approval", action="create").count() == 1


def test_a_normal_edit_leaves_every_chain_valid(cast, busy, capsys):
    services.update_project(busy, by=cast.admin, data={"remarks": "正常修改"})
    assert list(verify()) == []
    call_command("verify_audit")
    assert "OK" in capsys.readouterr().out


def test_an_edit_that_changes_nothing_writes_no_entry(cast, busy):
    before = Entry.objects.count()
    services.update_project(busy, by=cast.admin, data={"remarks": busy.remarks})
    assert Entry.objects.count() == before


def test_the_application_cannot_change_or_remove_an_entry(cast, busy):
    entry = Entry.objects.first()
    entry.note = "篡改"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        Entry.objects.filter(pk=entry.pk).update(note="篡改")
    with pytest.raises(PermissionError):
        Entry.objects.all().delete()


def test_an_altered_entry_is_named(cast, busy):
    target = entries(cast)[-2]
    raw(f"UPDATE {Entry._meta.db_table} SET user_name = %s WHERE id = %s", ["别人", target.pk])
    broken = list(verify())
    assert [(b.chain, b.seq) for b in broken] == [(county_chain(cast), target.seq)]
    assert "altered" in broken[0].reason
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_an_altered_before_value_is_named(cast, busy):
    target = next(e for e in entries(cast) if e.action == "update" and e.object_type == "projects.project")
    raw(
        f"UPDATE {Entry._meta.db_table} SET after = %s WHERE id = %s",
        ['{"total_investment": "1.0000"}', target.pk],
    )
    assert [b.seq for b in verify()] == [target.seq]


def test_a_removed_entry_is_named(cast, busy):
    target = entries(cast)[3]
    raw(f"DELETE FROM {Entry._meta.db_table} WHERE id = %s", [target.pk])
    broken = list(verify())
    assert [b.seq for b in broken] == [target.seq] and "missing" in broken[0].reason


def test_removing_the_last_entries_is_noticed(cast, busy):
    last = entries(cast)[-1]
    raw(f"DELETE FROM {Entry._meta.db_table} WHERE id = %s", [last.pk])
    assert [b.seq for b in verify()] == [last.seq]


def test_reordered_entries_are_named(cast, busy):
    first, second = entries(cast)[2], entries(cast)[3]
    table = Entry._meta.db_table
    raw(f"UPDATE {table} SET seq = %s WHERE id = %s", [-1, first.pk])
    raw(f"UPDATE {table} SET seq = %s WHERE id = %s", [first.seq, second.pk])
    raw(f"UPDATE {table} SET seq = %s WHERE id = %s", [second.seq, first.pk])
    assert [b.seq for b in verify()] == [first.seq]


def test_each_county_has_its_own_chain(cast, busy):
    cast.project(cast.other_town, by=cast.stranger, name="邻县项目")
    chains = set(Entry.objects.values_list("chain", flat=True))
    assert {cast.county.path, cast.other_county.path} <= chains
    assert list(verify()) == []


def test_entries_made_in_a_request_carry_the_client_address_and_request_id(client, cast):
    project = cast.project()
    client.force_login(cast.operator_a)
    response = client.post(
        reverse("projects:stage", args=[project.pk]),
        {"to_stage": "negotiating", "on": "2024-05-01"},
        REMOTE_ADDR="10.1.2.3",
    )
    entry = Entry.objects.get(action="stage")
    assert entry.client_ip == "10.1.2.3" and entry.request_id == response["X-Request-ID"]


def test_the_project_page_shows_its_history(client, cast, busy):
    client.force_login(cast.admin)
    response = client.get(reverse("projects:detail", args=[busy.pk]))
    actions = [entry.action for entry, _changes in response.context["history"]]
    assert actions == ["stage", "update", "create"]
    assert "6,000.5" in response.content.decode()  # the changed amount, as amounts read elsewhere


def test_a_failed_change_leaves_no_entry(cast):
    project = cast.project()
    before = Entry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        services.change_stage(project, "operating", by=cast.operator_a, on=dt.date(2024, 5, 1))
    assert Entry.objects.count() == before
    assert Project.objects.get(pk=project.pk).stage == "lead"


def test_the_history_names_changed_fields_as_the_pages_do(cast, busy):
    from django.utils.translation import override

    from zhaoshang.audit.services import history

    with override("en"):
        rows = history(busy)
        update = next(changed for entry, changed in rows if entry.action == "update")
        assert [c.field for c in update] == ["total investment"]
        created = next(changed for entry, changed in rows if entry.action == "create")
        assert created == []


def test_a_user_with_entries_cannot_be_deleted_only_deactivated(cast, busy):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        cast.operator_a.delete()
    assert list(verify()) == []


def test_step_notes_and_the_system_actor_are_shown_in_the_readers_language(cast):
    from django.utils import translation

    from zhaoshang.audit import services as audit
    from zhaoshang.audit.models import Entry

    project = cast.project()
    audit.record(Entry.Action.UPDATE, project, by=None, unit=project.unit, note="submitted")
    audit.record(Entry.Action.UPDATE, project, by=cast.admin, unit=project.unit, note="自由填写的说明")
    by_system, by_admin = Entry.objects.order_by("-pk")[1], Entry.objects.order_by("-pk")[0]
    assert (by_system.note, by_system.user_name) == ("submitted", "system")  # stored as written
    with translation.override("zh-hans"):
        assert (by_system.note_display, by_system.user_display) == ("已提交", "系统")
        assert (by_admin.note_display, by_admin.user_display) == ("自由填写的说明", str(cast.admin))
    with translation.override("en"):
        assert (by_system.note_display, by_system.user_display) == ("submitted", "system")


def test_the_history_shows_words_not_codes(client, cast):
    # Issue 18: the change log read "项目阶段: intent → signed", "1100.0000" and
    # "项目责任人: [] → [['王建华', ...]]".
    import datetime as dt
    from decimal import Decimal

    from zhaoshang.projects.services import StewardData

    project = cast.project(name="词语项目", stage="intent", intent_on=dt.date(2024, 3, 1))
    services.update_project(
        project,
        by=cast.admin,
        data={"total_investment": Decimal("1100")},
        stewards=[StewardData("王建华", "副镇长", "13800000000")],
    )
    services.change_stage(
        project, "signed", by=cast.admin, on=dt.date(2024, 4, 1), contracted_amount=Decimal(900)
    )
    client.force_login(cast.admin)
    page = client.get(project.get_absolute_url()).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "意向 → 签约" in history and "1,100" in history and "王建华 副镇长 13800000000" in history
    for code in ("intent", "signed", "1100.0000", "[[", "['", "5000.0000"):
        assert code not in history, code
