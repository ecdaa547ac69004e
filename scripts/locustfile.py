"""The mixed-role load of issue 25 (scripts/load.sh), against the demo county of `load_demo`.

- Operators (town_a, town_b) file progress reports: their to-report page, then one of their draft
  or returned reports through the API, changed and submitted.
- The bureau (admin) reviews: the review and funds queues, then a submitted report verified (its
  funds lines become verified funds) or, two times in three, returned with a reason, so that the
  operators have reports to file again for the whole run.
- Leaders (leader) read the dashboard of the county and of a township, the project list and its
  export.
- Burst (only when named on the command line, as load.sh does for the replica comparison): an
  operator recording projects through the API as fast as the server takes them.

The public site does not exist yet, so there are no anonymous visitors. Every request is named by
its page (ids folded), so the table has one line per page.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from typing import Any, ClassVar

from locust import HttpUser, between, constant, events, task

PASSWORD = "Zhaoshang-2026"  # noqa: S105 - the published password of the demo accounts (README)
_counter = itertools.count()
RACES: Counter[str] = Counter()


@events.test_stop.add_listener
def _print_races(**_: Any) -> None:
    print(f"writes answered 409/422 (two users on one report at once): {dict(RACES) or 0}", flush=True)


class Role(HttpUser):
    abstract = True
    usernames: ClassVar[list[str]] = []

    def on_start(self) -> None:
        self.username = random.choice(self.usernames)  # noqa: S311 - load, not security
        self.client.get("/accounts/login/", name="login page")
        response = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
            name="log in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not log in ({response.status_code})")

    def csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken", ""))

    def api(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        """A write through the API. Two users of one account may act on the same report at once
        (the second one's submit or review finds it moved on): the API's 409 or 422 is then the right
        answer, not an error; such answers are counted apart and printed at the end."""
        headers = {"X-CSRFToken": self.csrf()}
        with self.client.request(
            method, path, name=name, headers=headers, catch_response=True, **kwargs
        ) as response:
            if response.status_code in (409, 422):
                RACES[name] += 1
                response.success()
            return response

    def reports(self, status: str) -> list[dict[str, Any]]:
        response = self.client.get(f"/api/dispatch/reports?status={status}&limit=50", name="api reports")
        return list(response.json()["items"]) if response.ok else []


class Operator(Role):
    weight = 3
    usernames: ClassVar[list[str]] = ["town_a", "town_b"]
    wait_time = between(1, 3)

    @task(2)
    def to_report(self) -> None:
        self.client.get("/dispatch/to-report/", name="page to-report")

    @task(3)
    def file_report(self) -> None:
        waiting = self.reports("returned") or self.reports("draft")
        if not waiting:
            return
        report = random.choice(waiting)  # noqa: S311
        percent = random.randint(10, 90)  # noqa: S311
        fields = {"progress_percent": percent, "progress_text": "按计划推进，本月完成主体施工。"}
        response = self.api("PATCH", f"/api/dispatch/reports/{report['id']}", "api report save", json=fields)
        if response.status_code == 200:
            self.api("POST", f"/api/dispatch/reports/{report['id']}/submit", "api report submit")

    @task(1)
    def projects(self) -> None:
        self.client.get("/projects/", name="page projects")


class Bureau(Role):
    weight = 1
    usernames: ClassVar[list[str]] = ["admin"]
    wait_time = between(1, 3)

    @task(2)
    def review_queue(self) -> None:
        self.client.get("/dispatch/review/", name="page review queue")

    @task(2)
    def funds_queue(self) -> None:
        self.client.get("/ledger/funds/", name="page funds queue")

    @task(3)
    def review(self) -> None:
        submitted = self.reports("submitted")
        if not submitted:
            return
        report = random.choice(submitted)  # noqa: S311
        if random.random() < 1 / 3:  # noqa: S311
            self.api("POST", f"/api/dispatch/reports/{report['id']}/verify", "api report verify")
        else:
            reason = {"reason": "请补充本月投资完成额的依据。"}
            self.api("POST", f"/api/dispatch/reports/{report['id']}/return", "api report return", json=reason)


class Leader(Role):
    weight = 2
    usernames: ClassVar[list[str]] = ["leader"]
    wait_time = between(1, 3)
    towns: ClassVar[list[str]] = []

    def on_start(self) -> None:
        super().on_start()
        page = self.client.get("/", name="page dashboard").text
        # The township links of the dashboard's completion chart: a leader drills into them.
        self.towns = sorted(set(re.findall(r"[?&]unit=(\d+)", page)))

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/", name="page dashboard")

    @task(2)
    def township_dashboard(self) -> None:
        if self.towns:
            self.client.get(f"/?unit={random.choice(self.towns)}", name="page dashboard of a unit")  # noqa: S311

    @task(2)
    def projects(self) -> None:
        self.client.get("/projects/?sort=-total_investment", name="page projects")

    @task(1)
    def export(self) -> None:
        self.client.get("/projects/export.xlsx", name="export projects.xlsx")


class Burst(Role):
    """Writes as fast as they are answered (the write burst of the replica comparison)."""

    fixed_count = 2
    usernames: ClassVar[list[str]] = ["town_a"]
    wait_time = constant(0)
    unit: int | None = None

    def on_start(self) -> None:
        super().on_start()
        units = self.client.get("/api/units?limit=200", name="api units").json()["items"]
        self.unit = next(u["id"] for u in units if u["name"] == "城关镇")

    @task
    def record(self) -> None:
        body = {"name": f"压测项目{next(_counter)}", "unit_id": self.unit, "total_investment": "100"}
        self.api("POST", "/api/projects", "api project create (burst)", json=body)
