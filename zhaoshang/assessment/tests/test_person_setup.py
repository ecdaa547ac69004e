"""Setting up a ranking of persons from the pages (issue 20): the bureau adds a group of persons
to a scheme and sets each person's target on its items; only what changed is written and audited;
a published scheme, a group of units, a wrong figure and another county's bureau are refused."""

from __future__ import annotations

from decimal import Decimal as D

from django.urls import reverse

from zhaoshang.accounts.models import Membership, Role, User
from zhaoshang.assessment import services
from zhaoshang.assessment.models import Group, Item, PersonTarget
from zhaoshang.audit.models import Entry


def staff_group(client, cast, scheme, **extra):
    client.force_login(cast.admin)
    data = {"action": "person_group", "name": "招商员", "unit_kinds": ["township"], **extra}
    return client.post(reverse("assessment:scheme", args=[scheme.pk]), data)


def test_the_bureau_adds_a_group_of_persons_and_sets_their_targets(client, cast, scheme):
    zhang = User.objects.create_user(username="zhang", password="x", display_name="招商员张三")
    Membership.objects.create(user=zhang, unit=cast.town_a, role=Role.OPERATOR)
    page = (
        client.get(reverse("assessment:scheme", args=[scheme.pk]))
        if client.force_login(cast.admin) is None
        else None
    )
    assert page is not None and b'data-testid="person-group-form"' in page.content
    response = staff_group(client, cast, scheme)
    group = Group.objects.get(scheme=scheme, name="招商员")
    assert response.status_code == 302 and response.url == reverse(
        "assessment:person_targets", args=[group.pk]
    )
    assert (group.subjects, group.unit_kinds) == ("persons", ["township"])
    assert Entry.objects.filter(
        object_type__endswith="group", object_id=str(group.pk), action="create"
    ).exists()
    item = services.save_item(
        Item(
            group=group,
            code="introduced",
            name="引进项目",
            max_points=D(40),
            source="introduced",
            formula="ratio",
            params={"weight": "40"},
        ),
        by=cast.admin,
    )
    page = client.get(reverse("assessment:person_targets", args=[group.pk]))
    assert page.status_code == 200 and "招商员张三".encode() in page.content
    field = f"t-{item.pk}-{zhang.pk}"
    assert f'name="{field}"'.encode() in page.content
    # every person of the group's townships is a row: the two operators and 张三
    assert page.content.count(f'name="t-{item.pk}-'.encode()) == 3

    response = client.post(reverse("assessment:person_targets", args=[group.pk]), {field: "3"})
    assert response.status_code == 302
    assert PersonTarget.objects.get(item=item, person=zhang).value == D(3)
    audited = Entry.objects.filter(object_type__endswith="persontarget").count()
    assert audited == 1
    # saving again unchanged writes nothing; an emptied cell removes the target
    client.post(reverse("assessment:person_targets", args=[group.pk]), {field: "3"})
    assert Entry.objects.filter(object_type__endswith="persontarget").count() == audited
    client.post(reverse("assessment:person_targets", args=[group.pk]), {field: ""})
    assert not PersonTarget.objects.filter(item=item, person=zhang).exists()


def test_a_wrong_figure_is_shown_beside_its_cell_and_nothing_is_saved(client, cast, scheme):
    staff_group(client, cast, scheme)
    group = Group.objects.get(scheme=scheme, name="招商员")
    item = services.save_item(
        Item(
            group=group,
            code="visits",
            name="走访企业",
            max_points=D(10),
            source="visits",
            formula="ratio",
            params={"weight": "10"},
        ),
        by=cast.admin,
    )
    good, bad = (f"t-{item.pk}-{u.pk}" for u in (cast.operator_a, cast.operator_b))
    response = client.post(reverse("assessment:person_targets", args=[group.pk]), {good: "2", bad: "两个"})
    assert response.status_code == 400 and b"is-invalid" in response.content
    assert "两个".encode() in response.content  # what was typed stays in its cell
    assert not PersonTarget.objects.exists()
    response = client.post(reverse("assessment:person_targets", args=[group.pk]), {good: "-1"})
    assert response.status_code == 302 and not PersonTarget.objects.exists()  # refused by the service


def test_a_group_of_units_and_a_bad_name_are_refused(client, cast, scheme):
    units = Group.objects.filter(scheme=scheme, subjects="units").first()
    client.force_login(cast.admin)
    page = client.get(reverse("assessment:person_targets", args=[units.pk]))
    assert page.status_code == 200 and b'data-testid="not-persons"' in page.content
    client.post(reverse("assessment:person_targets", args=[units.pk]), {})
    assert not PersonTarget.objects.exists()
    before = Group.objects.count()
    assert staff_group(client, cast, scheme, name="  ").status_code == 400
    assert staff_group(client, cast, scheme, unit_kinds=["county"]).status_code == 400
    assert Group.objects.count() == before


def test_only_the_county_bureau_sets_up_persons(client, cast, scheme):
    staff_group(client, cast, scheme)
    group = Group.objects.get(scheme=scheme, name="招商员")
    url = reverse("assessment:person_targets", args=[group.pk])
    # another county's bureau does not see the group; the county's township and leader may not set it
    for user in (cast.stranger, cast.operator_a, cast.leader):
        client.force_login(user)
        assert client.get(url).status_code in ((404,) if user == cast.stranger else (403, 404))
        assert client.post(url, {}).status_code in (403, 404)
        response = client.post(
            reverse("assessment:scheme", args=[scheme.pk]), {"action": "person_group", "name": "另一组"}
        )
        assert response.status_code in (403, 404)
    assert not Group.objects.filter(name="另一组").exists()
