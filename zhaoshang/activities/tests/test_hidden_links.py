"""An editor's save changes only the links the editor can see; links to other units' records stay."""

from __future__ import annotations

import datetime as dt

from zhaoshang.activities import services
from zhaoshang.investors import services as investors
from zhaoshang.projects import services as projects


def test_an_operator_saving_an_activity_keeps_the_links_to_the_neighbours_investor_and_project(cast):
    neighbours = investors.create_investor(by=cast.admin, data={"name": "乙镇客商", "unit": cast.town_b})
    theirs = cast.project(cast.town_b, by=cast.admin)
    mine = investors.create_investor(by=cast.operator_a, data={"name": "甲镇客商", "unit": cast.town_a})
    activity = services.create_activity(
        by=cast.admin,
        data={"kind": "trip", "unit": cast.town_a, "title": "赴温州招商", "starts_on": dt.date(2025, 5, 12)},
        investors=[neighbours, mine],
        projects=[theirs],
    )
    # The operator's form lists only what the operator may see: their own investor, removed here.
    services.update_activity(activity, by=cast.operator_a, data={}, investors=[], projects=[])
    assert list(activity.investors.all()) == [neighbours]
    assert list(activity.projects.all()) == [theirs]


def test_an_operator_saving_a_project_keeps_the_link_to_the_neighbours_investor(cast):
    neighbours = investors.create_investor(by=cast.admin, data={"name": "乙镇客商", "unit": cast.town_b})
    mine = investors.create_investor(by=cast.operator_a, data={"name": "甲镇客商", "unit": cast.town_a})
    project = cast.project(cast.town_a, by=cast.admin)
    projects.update_project(project, by=cast.admin, data={}, investors=[neighbours, mine])
    projects.update_project(project, by=cast.operator_a, data={}, investors=[])
    assert list(project.investors.all()) == [neighbours]
