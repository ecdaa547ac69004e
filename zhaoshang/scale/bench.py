"""The benchmark behind ``make bench``: every figure of issue 7 measured in one run, beside its reference.

Run through ``manage.py bench_scale`` on a database filled by ``generate_scale``. It prints one table
and exits non-zero when a roll-up differs from the plain GROUP BY over the raw tables (PostgreSQL and
DuckDB) or when the burst leaves wrong totals or errors. Times are printed, never asserted.
"""

from __future__ import annotations

import functools
import io
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.models import Count, Q, Sum
from django.test import Client
from django.utils import timezone

from zhaoshang.core import tree
from zhaoshang.ledger.choices import Kind
from zhaoshang.ledger.counting import PROJECT_COUNTS
from zhaoshang.ledger.models import CountingRule, Event, Total
from zhaoshang.ledger.services import subtree_figures, total_months
from zhaoshang.projects.models import Project
from zhaoshang.scale.generate import NATION_CODE
from zhaoshang.scale.load import hammer, serve
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

Figures = dict[str, tuple[Decimal, Decimal]]


@dataclass
class Line:
    what: str
    figure: str
    reference: str = ""
    goal: str = ""
    ok: bool | None = None


def timed(fn: Callable[[], Any], reps: int, warm: int = 1) -> tuple[list[float], Any]:
    """Milliseconds of each of ``reps`` calls after ``warm`` unmeasured ones, and the last result."""
    result = None
    for _ in range(warm):
        result = fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def p50(times: list[float]) -> float:
    return statistics.median(times)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(times: list[float]) -> str:
    return f"p50 {p50(times):.1f} / p95 {p95(times):.1f} ms"


# --- roll-ups and their references -------------------------------------------------------------------

# What the ledger counts (the rules of ledger.counting: project_figures, with the reports that
# dispatch.services.report_facts tells it, and activity_figures), restated as one GROUP BY over the
# raw tables: each countable item of a project (its dates, contracted amount, funds arrived, and the
# investment and factory area of its submitted or verified progress reports, in the month of the
# round's dispatch day) split among the credited units by share, to four places half-up, the largest
# share (then the lowest unit id) taking the remainder; beside them the people of inbound visits and
# one per outbound trip, credited whole to the activity's unit. A project marked not counted (不予認定,
# ``exclusion``) adds nothing to these kinds (its figures are kept apart), and a capital increase or
# a later phase (``phase_of_id``) counts its amounts but not as a project: no lead, talks, intent,
# signing, start or production (each of which counts once, in the month of its date). Domestic funds also
# count under their origin level relative to the project's county (its GB/T 2260 code: the place code, else
# its code; the generated counties carry real codes): another province (first two digits differ), another
# city of the province (first four), another county of the city; an origin that is a province or city
# containing the county, the county itself or no origin adds no level (units.places.level). A county's
# counting rules (ledger.rules, counting.rule_figures) count each item of a base kind again under the
# rule's kind when the item's project lies in the county and passes the rule's filters (industry
# section; total investment in 万元, a USD project's compared with the minimum divided by the rule's
# rate to four places, none without a rate): the rules' rows are restated as a VALUES list ({rules},
# ``rules_sql``). Runs unchanged in PostgreSQL and DuckDB.
RAW_SQL = """
WITH rules(kind, county_id, base, sections, min_investment, usd_rate) AS (
    {rules}
),
counties AS (
    SELECT p.id AS project_id, k.id AS county_id,
           CASE WHEN length(COALESCE(k.place_code, '')) = 6 THEN k.place_code ELSE substr(k.code, 1, 6) END
               AS code
      FROM {project} p JOIN {unit} u ON u.id = p.unit_id
      -- the unit's ancestors are the prefixes of its path, 8 digits a level: equality joins on the
      -- path, not a range test of every county against every unit
      JOIN (VALUES (8), (16), (24), (32), (40), (48), (56), (64), (72), (80), (88), (96)) AS d(n)
        ON length(u.path) >= d.n
      JOIN {unit} k ON k.path = substr(u.path, 1, d.n) AND k.kind = 'county'
),
levels AS (
    SELECT f.id, CASE
               WHEN length(COALESCE(f.origin, '')) <> 6 THEN NULL
               WHEN substr(f.origin, 1, 2) <> substr(c.code, 1, 2) THEN 'funds_outprovince'
               WHEN substr(f.origin, 3, 4) = '0000' THEN NULL
               WHEN substr(f.origin, 1, 4) <> substr(c.code, 1, 4) THEN 'funds_outcity'
               WHEN substr(f.origin, 5, 2) = '00' OR f.origin = c.code THEN NULL
               ELSE 'funds_intercounty'
           END AS kind
      FROM {funds} f JOIN counties c ON c.project_id = f.project_id
),
items AS (
    {project_counts}
    UNION ALL
    SELECT 'p' || CAST(p.id AS VARCHAR), p.id,
           CASE WHEN p.currency = 'USD' THEN 'contracted_usd' ELSE 'contracted_cny' END,
           p.signed_on, CAST(p.contracted_amount AS DECIMAL(18, 4)), TRUE
      FROM {project} p WHERE p.signed_on IS NOT NULL AND p.contracted_amount <> 0
    UNION ALL
    SELECT 'f' || CAST(f.id AS VARCHAR), f.project_id,
           CASE WHEN f.source = 'foreign' THEN 'funds_foreign' ELSE 'funds_domestic' END,
           f.arrived_on, CAST(f.amount AS DECIMAL(18, 4)), f.status = 'verified'
      FROM {funds} f WHERE NOT f.is_deleted AND f.status <> 'returned' AND f.source <> 'local'
    UNION ALL
    SELECT 'f' || CAST(f.id AS VARCHAR), f.project_id, l.kind, f.arrived_on, CAST(f.amount AS DECIMAL(18, 4)),
           f.status = 'verified'
      FROM {funds} f JOIN levels l ON l.id = f.id
     WHERE NOT f.is_deleted AND f.status <> 'returned' AND f.source = 'domestic' AND l.kind IS NOT NULL
    UNION ALL
    SELECT 'r' || CAST(r.id AS VARCHAR), r.project_id, 'investment', d.due_on,
           CAST(r.investment AS DECIMAL(18, 4)), r.status = 'verified'
      FROM {report} r JOIN {rounds} d ON d.id = r.round_id
     WHERE r.status IN ('submitted', 'verified') AND r.investment <> 0
    UNION ALL
    SELECT 'r' || CAST(r.id AS VARCHAR), r.project_id, 'factory_area', d.due_on,
           CAST(r.factory_area AS DECIMAL(18, 4)), r.status = 'verified'
      FROM {report} r JOIN {rounds} d ON d.id = r.round_id
     WHERE r.status IN ('submitted', 'verified') AND r.factory_area <> 0
),
ruled AS (
    SELECT i.item || ':' || i.kind AS item, i.project_id, r.kind, i.on_date, i.amount, i.verified
      FROM items i JOIN counties c ON c.project_id = i.project_id
      JOIN rules r ON r.county_id = c.county_id AND r.base = i.kind
      JOIN {project} x ON x.id = i.project_id
     WHERE (r.sections IS NULL OR strpos(r.sections, ',' || x.industry_section || ',') > 0)
       AND (r.min_investment IS NULL
            OR (x.currency <> 'USD' AND COALESCE(x.total_investment, 0) >= r.min_investment)
            OR (x.currency = 'USD' AND r.usd_rate IS NOT NULL
                AND COALESCE(x.total_investment, 0) >= round(r.min_investment / r.usd_rate, 4)))
),
shares AS (
    SELECT c.project_id, c.unit_id, c.share,
           row_number() OVER (PARTITION BY c.project_id ORDER BY c.share DESC, c.unit_id) AS rank
      FROM {credit} c
),
parts AS (
    SELECT i.item, i.kind, i.on_date, i.verified, i.amount, s.unit_id, s.rank,
           round(i.amount * s.share * 0.01, 4) AS part
      FROM (SELECT * FROM items UNION ALL SELECT * FROM ruled) i JOIN shares s ON s.project_id = i.project_id
      JOIN {project} x ON x.id = i.project_id
     WHERE COALESCE(x.exclusion, '') = ''
       AND i.on_date >= DATE '{year}-01-01' AND i.on_date < DATE '{next_year}-01-01'
),
counted AS (
    SELECT kind, verified, unit_id,
           CASE WHEN rank = 1 THEN amount - (sum(part) OVER (PARTITION BY item, kind) - part) ELSE part END
               AS part
      FROM parts
    UNION ALL
    SELECT 'visitors', TRUE, a.unit_id, CAST(a.people AS DECIMAL(18, 4))
      FROM {activity} a
     WHERE a.kind = 'visit' AND a.people > 0
       AND a.starts_on >= DATE '{year}-01-01' AND a.starts_on < DATE '{next_year}-01-01'
    UNION ALL
    SELECT 'trips', TRUE, a.unit_id, CAST(1 AS DECIMAL(18, 4))
      FROM {activity} a
     WHERE a.kind = 'trip' AND a.starts_on >= DATE '{year}-01-01' AND a.starts_on < DATE '{next_year}-01-01'
)
SELECT c.kind, sum(CASE WHEN c.verified THEN c.part ELSE 0 END),
       sum(CASE WHEN c.verified THEN 0 ELSE c.part END)
  FROM counted c JOIN {unit} u ON u.id = c.unit_id
 WHERE u.path >= '{low}' AND u.path < '{high}'
 GROUP BY c.kind
"""
# ledger.counting.new_project: neither a capital increase nor a later phase of an earlier project.
NEW_PROJECT = "NOT COALESCE({p}.capital_increase, FALSE) AND {p}.phase_of_id IS NULL"
TABLES = {"project": "projects_project", "funds": "ledger_fundsarrival", "credit": "projects_creditshare"}
TABLES.update(
    unit="units_unit", report="dispatch_report", rounds="dispatch_round", activity="activities_activity"
)


# One project count of ``ledger.counting.PROJECT_COUNTS``: a count of 1 on the date it is stamped on.
PROJECT_COUNT_SQL = """SELECT 'p' || CAST(p.id AS VARCHAR) AS item, p.id AS project_id, '{kind}' AS kind,
           p.{column} AS on_date, CAST(1 AS DECIMAL(18, 4)) AS amount, TRUE AS verified
      FROM {project} p WHERE p.{column} IS NOT NULL AND {new_project}"""


def _project_counts(project: str, new_project: str) -> str:
    """The ledger's project counts, one of each kind, for ``RAW_SQL``."""
    return "\n    UNION ALL\n    ".join(
        PROJECT_COUNT_SQL.format(kind=kind.value, column=column, project=project, new_project=new_project)
        for kind, column in PROJECT_COUNTS
    )


def _literal(value: Any) -> str:
    if value is None:
        return "CAST(NULL AS DECIMAL(18, 4))"
    return f"CAST({Decimal(value)} AS DECIMAL(18, 4))"


def rules_sql() -> str:
    """The counties' counting rules as rows of ``RAW_SQL``'s ``rules``: one per base kind, the
    sections as ",B,C," (NULL: any), read from ``ledger_countingrule``. Filters the generator does not
    use (新建/续建, introducer, key) are refused rather than silently left out of the restatement."""
    rows = []
    for rule in CountingRule.objects.select_related("indicator").order_by("pk"):
        assert not (rule.construction or rule.introducer_types or rule.key_only), "not restated in SQL"
        sections = f"',{','.join(rule.industry_sections)},'" if rule.industry_sections else "NULL"
        for base in rule.kinds:
            rows.append(
                f"('{rule.indicator.kind}', CAST({rule.indicator.county_id} AS BIGINT), '{base}', "
                f"CAST({sections} AS VARCHAR), {_literal(rule.min_investment)}, {_literal(rule.usd_rate)})"
            )
    if not rows:  # no rule: one row matching nothing, so that the CTE keeps its columns
        rows.append("('', CAST(NULL AS BIGINT), '', CAST(NULL AS VARCHAR), CAST(NULL AS DECIMAL(18, 4)), "
                    "CAST(NULL AS DECIMAL(18, 4)))")  # fmt: skip
    return "VALUES " + ",\n           ".join(rows)


def rule_kinds() -> list[str]:
    """The kinds the counties' counting rules count ("c_" and the indicator's id)."""
    return list(CountingRule.objects.order_by("pk").values_list("indicator__kind", flat=True))


def raw_sql(unit: Unit, year: int, tables: dict[str, str]) -> str:
    low, high = unit.subtree_range
    new_project = NEW_PROJECT.format(p="p")
    return RAW_SQL.format(
        **tables,
        rules=rules_sql(),
        year=year,
        next_year=year + 1,
        low=low,
        high=high,
        new_project=new_project,
        project_counts=_project_counts(tables["project"], new_project),
    )


def clean(rows: Any) -> Figures:
    return {
        kind: (Decimal(v or 0).quantize(Decimal("0.0001")), Decimal(r or 0).quantize(Decimal("0.0001")))
        for kind, v, r in rows
        if v or r
    }


def rollup(unit: Unit, year: int) -> Figures:
    """The dashboard's figures of a subtree in a year: what every card and chart sums (the kinds
    indicators count; the figures kept apart of projects not counted are not among them)."""
    kinds = [*Kind.values, *rule_kinds()]
    return clean((k, v, r) for k, (v, r) in subtree_figures(unit, year, kinds=kinds).items())


def postgres_raw(unit: Unit, year: int) -> Figures:
    with connection.cursor() as cursor:
        cursor.execute(raw_sql(unit, year, TABLES))
        return clean(cursor.fetchall())


class DuckRaw:
    """The raw tables exported to Parquet once, queried by DuckDB with the same SQL."""

    def __init__(self, directory: Path) -> None:
        import duckdb

        self.directory = directory
        exports = {
            "project": ("SELECT id, currency, signed_on, started_on, operating_on, contracted_amount, "
                        "exclusion, capital_increase, unit_id, first_contact_on, contacted_on, intent_on, "
                        "phase_of_id, industry_section, total_investment FROM projects_project",
                        "id BIGINT, currency VARCHAR, signed_on DATE, started_on DATE, operating_on DATE, "
                        "contracted_amount DECIMAL(18,4), exclusion VARCHAR, capital_increase BOOLEAN, "
                        "unit_id BIGINT, first_contact_on DATE, contacted_on DATE, intent_on DATE, "
                        "phase_of_id BIGINT, industry_section VARCHAR, total_investment DECIMAL(18,4)"),
            "funds": ("SELECT id, project_id, arrived_on, source, status, amount, is_deleted, origin "
                      "FROM ledger_fundsarrival",
                      "id BIGINT, project_id BIGINT, arrived_on DATE, source VARCHAR, status VARCHAR, "
                      "amount DECIMAL(18,4), is_deleted BOOLEAN, origin VARCHAR"),
            "credit": ("SELECT project_id, unit_id, share FROM projects_creditshare",
                       "project_id BIGINT, unit_id BIGINT, share DECIMAL(5,2)"),
            "unit": ("SELECT id, path, kind, code, place_code FROM units_unit",
                     "id BIGINT, path VARCHAR, kind VARCHAR, code VARCHAR, place_code VARCHAR"),
            "report": ("SELECT id, project_id, round_id, status, investment, factory_area "
                       "FROM dispatch_report",
                       "id BIGINT, project_id BIGINT, round_id BIGINT, status VARCHAR, "
                       "investment DECIMAL(18,4), factory_area DECIMAL(18,4)"),
            "rounds": ("SELECT id, due_on FROM dispatch_round", "id BIGINT, due_on DATE"),
            "activity": ("SELECT id, kind, unit_id, starts_on, people FROM activities_activity",
                         "id BIGINT, kind VARCHAR, unit_id BIGINT, starts_on DATE, people BIGINT"),
        }  # fmt: skip
        self.db = duckdb.connect()
        self.tables = {}
        started = time.monotonic()
        for name, (query, schema) in exports.items():
            csv_path, parquet = directory / f"{name}.csv", directory / f"{name}.parquet"
            with (
                connection.cursor() as cursor,
                csv_path.open("wb") as out,
                cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy,
            ):
                for block in copy:
                    out.write(block)
            columns = ", ".join(f"'{c.split()[0]}': '{c.split()[1]}'" for c in schema.split(", "))
            self.db.execute(
                f"COPY (SELECT * FROM read_csv('{csv_path}', header=false, columns={{{columns}}})) "  # noqa: S608
                f"TO '{parquet}' (FORMAT parquet)"
            )
            csv_path.unlink()
            self.db.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{parquet}')")  # noqa: S608
            self.tables[name] = name
        self.export_seconds = time.monotonic() - started

    def __call__(self, unit: Unit, year: int) -> Figures:
        return clean(self.db.execute(raw_sql(unit, year, self.tables)).fetchall())


def levels() -> list[tuple[str, Unit]]:
    """The national root, the province, county and township with the most projects."""
    nation = Unit.objects.get(code=NATION_CODE)
    chosen = [("nation", nation)]
    generated = Project.objects.filter(created_by=None)  # not the rows earlier bench imports added
    busiest = generated.values("unit__parent").annotate(n=Count("pk")).order_by("-n", "unit__parent").first()
    assert busiest is not None and busiest["unit__parent"] is not None, "no generated projects"
    county = Unit.objects.get(pk=busiest["unit__parent"])
    province = Unit.objects.ancestors_of(county).get(kind=UnitKind.PROVINCE)
    township = (
        Unit.objects.filter(parent=county, kind=UnitKind.TOWNSHIP)
        .annotate(n=Count("projects", filter=Q(projects__created_by=None)))
        .order_by("-n", "pk")
        .first()
    )
    return [*chosen, ("province", province), ("county", county), ("township", township)]


# --- pages and the API ---------------------------------------------------------------------------


def bench_user(unit: Unit | None = None) -> Any:
    """A bureau administrator at ``unit``, the national root by default (created once)."""
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.core.permissions import Role

    unit = unit or Unit.objects.get(code=NATION_CODE)
    name = "bench" if unit.code == NATION_CODE else f"bench-{unit.code}"
    user, created = User.objects.get_or_create(username=name, defaults={"display_name": name})
    if created:
        Membership.objects.create(user=user, unit=unit, role=Role.BUREAU_ADMIN)
    return user


LIST_QUERY = "stage=started&sort=-total_investment"

# The other list pages, first page with their default filters and order.
OTHER_LISTS = (
    ("activities", "/activities/"),
    ("investors", "/investors/"),
    ("requests", "/requests/"),
    ("inspections", "/inspections/"),
    ("rectification items", "/inspections/items/"),
    ("units", "/units/"),
    ("users", "/accounts/users/"),
    ("reports to review", "/dispatch/review/"),
    ("funds to verify", "/ledger/funds/"),
)


def get_latency(user: Any, paths: list[str], reps: int) -> list[list[float]]:
    """Milliseconds of ``reps`` GET requests of each path, as ``user`` (each must answer 200)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])

    return [timed(functools.partial(get, path), reps)[0] for path in paths]


def list_latency(user: Any, reps: int) -> tuple[list[float], list[float]]:
    api, page = get_latency(user, [f"/api/projects?limit=50&{LIST_QUERY}", f"/projects/?{LIST_QUERY}"], reps)
    return api, page


def other_list_lines(at_levels: list[tuple[str, Unit]], reps: int) -> list[Line]:
    """One line per list page: its p95 for the user of each level, p50 beside it."""
    times = {
        level: get_latency(bench_user(unit), [p for _n, p in OTHER_LISTS], reps) for level, unit in at_levels
    }
    lines = []
    for n, (name, path) in enumerate(OTHER_LISTS):
        per_level = [(level, times[level][n]) for level, _unit in at_levels]
        lines.append(
            Line(
                f"{name} page {path}, p95 by user level",
                " / ".join(f"{level} {p95(t):.1f}" for level, t in per_level) + " ms",
                "p50 " + " / ".join(f"{p50(t):.1f}" for _level, t in per_level) + " ms",
                "p95 <= 60 ms",
                all(p95(t) <= 60 for _level, t in per_level),
            )
        )
    return lines


def load_test(user: Any, seconds: int, threads: int = 8) -> dict[str, Any]:
    """Requests/s and errors of the list API under ``threads`` concurrent clients, against gunicorn
    with 2 workers (the client runs on the same machine and takes CPU from it: a floor)."""
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    del session
    port = int(os.environ.get("BENCH_PORT", "8765"))
    with serve(port, "/accounts/login/", SECURE_COOKIES="0"):
        load = hammer(port, [f"/api/projects?limit=50&{LIST_QUERY}"], seconds, threads, {"Cookie": cookie})
    return {"rps": load["rps"], "errors": load["errors"], "seconds": load["seconds"], "threads": threads}


# --- export and import ----------------------------------------------------------------------------


def export_in_subprocess(rows: int) -> dict[str, Any]:
    """Export ``rows`` projects as the export view does, in a child process: seconds and the child's
    own peak RSS (it reports its VmHWM; see ``bench_export.own_peak_mb``)."""
    manage = Path(settings.BASE_DIR).parent / "manage.py"
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        started = time.monotonic()
        child = subprocess.run(  # noqa: S603
            [sys.executable, str(manage), "bench_export", str(rows), out.name],
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        seconds = time.monotonic() - started
        size = Path(out.name).stat().st_size
    if child.returncode:
        raise RuntimeError(f"the export failed (status {child.returncode})")
    peak = [line for line in child.stdout.splitlines() if line.startswith("peak_mb ")]
    return {"seconds": seconds, "peak_mb": float(peak[-1].split()[1]), "bytes": size}


# --- the burst ------------------------------------------------------------------------------------


def bench_verifier(counties: list[Unit]) -> Any:
    """``bench-verifier``: a bureau administrator of each given county, who verifies (and, to make
    reports ready for the burst, returns) what ``bench`` submits: a report's submitter may not
    decide on it."""
    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.core.permissions import Role

    user, _created = User.objects.get_or_create(username="bench-verifier", defaults={"display_name": "bench"})
    for county in counties:
        Membership.objects.get_or_create(user=user, unit=county, role=Role.BUREAU_ADMIN)
    return user


BURST_INVESTMENT = Decimal("12.5")
BURST_FUNDS = Decimal("3.5")


def ready_reports(
    entries: Any, n: int, submitter: Any, verifier: Any, per_county: int | None = None
) -> list[int]:
    """Up to ``n`` reports to submit, for the given dispatch entries, latest rounds first (at most
    ``per_county`` of a county), made ready through the dispatch services before the burst (not
    measured): a missing report is started, a submitted one returned by the bureau (a verified one
    is final and skipped), and each gets an investment figure and a funds line with its evidence, as
    an operator fills it in. A small database may have fewer than ``n`` in one county."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.dispatch import services as dispatch
    from zhaoshang.dispatch.choices import EDITABLE, ReportStatus
    from zhaoshang.dispatch.models import Report

    today = timezone.localdate()
    ready: list[int] = []
    taken: dict[int, int] = {}
    for entry in (
        entries.select_related("round", "project").order_by("-round__due_on", "project_id").iterator(500)
    ):
        county = entry.round.county_id
        if per_county is not None and taken.get(county, 0) >= per_county:
            continue
        report = Report.objects.filter(round=entry.round, project=entry.project).first()
        if report is not None and report.status == ReportStatus.VERIFIED:
            continue
        if report is None:
            report = dispatch.create_report(entry.round, entry.project, by=submitter)
        elif report.status not in EDITABLE:
            report = dispatch.return_report(report, by=verifier, reason="基准测试：请更正后重报")
        dispatch.update_report(report, by=submitter, data={"investment": BURST_INVESTMENT})
        evidence = SimpleUploadedFile("bench-slip.pdf", b"%PDF-1.4 bench", content_type="application/pdf")
        arrived = min(entry.round.due_on, today)
        dispatch.add_funds_line(
            report, by=submitter, source="domestic", amount=BURST_FUNDS, arrived_on=arrived, evidence=evidence
        )
        ready.append(report.pk)
        taken[county] = taken.get(county, 0) + 1
        if len(ready) == n:
            break
    return ready


def burst(
    submitter: Any, verifier: Any, reports: list[int], threads: int, processes: int = 1
) -> dict[str, Any]:
    """Each report on its own thread and connection: ``submit_report`` (its funds recorded, the
    ledger synced), then the bureau's ``verify_report``. The threads are spread over ``processes``
    forked writer processes, as the deployed server's worker processes take requests (gunicorn
    ``--workers``), at most ``threads`` connections at once in all; every writer starts at one
    barrier and the time runs from it to the last writer's end."""
    if processes <= 1:
        return _burst_threads(submitter, verifier, reports, threads, None)
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    shares = [share for share in (reports[i::processes] for i in range(processes)) if share]
    gate = ctx.Barrier(len(shares) + 1)  # fewer reports than processes: fewer writers
    results = ctx.Queue()
    per = max(1, -(-threads // processes))
    connections.close_all()  # a forked child must not share the parent's connection

    def child(share: list[int]) -> None:
        try:
            results.put(_burst_threads(submitter, verifier, share, per, gate))
        except BaseException as exc:  # a writer that fails outside its threads is an error too
            results.put({"errors": [repr(exc)[:200]], "deadlocks": 0})

    pool = [ctx.Process(target=child, args=(share,)) for share in shares]
    for p in pool:
        p.start()
    try:
        gate.wait(timeout=300)
    except threading.BrokenBarrierError:  # a writer never reached the start
        for p in pool:
            p.terminate()
        return {"writes_per_s": 0.0, "errors": ["the writer processes did not start"], "deadlocks": 0}
    started = time.monotonic()
    outcomes: list[dict[str, Any]] = []
    while len(outcomes) < len(pool):
        try:
            outcomes.append(results.get(timeout=1))
        except queue.Empty:
            if not any(p.is_alive() for p in pool) and results.empty():
                break  # a writer died without a word: counted below, never waited for
    elapsed = time.monotonic() - started
    for p in pool:
        p.join()
    outcomes += [{"errors": ["a writer process died"], "deadlocks": 0}] * (len(pool) - len(outcomes))
    return {
        "writes_per_s": 2 * len(reports) / elapsed,
        "errors": [e for o in outcomes for e in o["errors"]],
        "deadlocks": sum(o["deadlocks"] for o in outcomes),
    }


def _burst_threads(
    submitter: Any, verifier: Any, reports: list[int], threads: int, between: Any
) -> dict[str, Any]:
    """One process's part of the burst: a thread per report, at most ``threads`` at once; the
    threads start together (and, with ``between``, with the other processes)."""
    from django.db import OperationalError

    from zhaoshang.dispatch.models import Report
    from zhaoshang.dispatch.services import submit_report, verify_report

    errors: list[str] = []
    deadlocks = 0
    gate = threading.Barrier(len(reports) + 1)
    sem = threading.Semaphore(threads)

    def one(pk: int) -> None:
        nonlocal deadlocks
        try:
            gate.wait()
            with sem:  # at most ``threads`` connections at once
                report = submit_report(Report.objects.get(pk=pk), by=submitter)
                verify_report(report, by=verifier)
        except OperationalError as exc:  # a deadlock or serialisation failure surfaces here
            if "deadlock" in str(exc).lower():
                deadlocks += 1
            errors.append(repr(exc)[:200])
        except Exception as exc:  # every failure is counted and shown
            errors.append(repr(exc)[:200])
        finally:
            connections.close_all()

    pool = [threading.Thread(target=one, args=(pk,)) for pk in reports]
    for t in pool:
        t.start()
    if between is not None:
        between.wait(timeout=300)
    gate.wait()
    started = time.monotonic()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    return {"writes_per_s": 2 * len(reports) / elapsed, "errors": errors, "deadlocks": deadlocks}


def totals_agree(unit_ids: set[int]) -> bool:
    """The kept totals of the given units (and their counties) equal a recomputation from the events
    credited in their subtrees (the ``rebuild_rollups --check`` rule, restricted to them)."""
    units = list(Unit.objects.filter(pk__in=unit_ids))
    for unit in units:
        events = (
            Event.objects.filter(tree.subtree_q(unit.path))
            .values("kind", "year", "month", "verified")
            .annotate(total=Sum("amount"))
        )
        want: dict[tuple[str, int, int], list[Decimal]] = {}
        for row in events:
            for month in total_months(row["month"]):
                cell = want.setdefault((row["kind"], row["year"], month), [Decimal(0), Decimal(0)])
                # SQLite sums decimals as floats: every amount has four places, so the exact sum is
                # the float sum quantized (the order of the events must not decide the comparison)
                cell[0 if row["verified"] else 1] += Decimal(row["total"]).quantize(Decimal("0.0001"))
        have = {(t.kind, t.year, t.month): [t.verified, t.reported] for t in Total.objects.filter(unit=unit)}
        zero = [Decimal(0), Decimal(0)]
        if any(want.get(k, zero) != have.get(k, zero) for k in set(want) | set(have)):
            return False
    return True


# --- the whole run --------------------------------------------------------------------------------


def run(say: Callable[[str], None]) -> tuple[list[Line], bool]:
    reps = int(os.environ.get("BENCH_REPS", "30"))
    raw_reps = int(os.environ.get("BENCH_RAW_REPS", "3"))
    year = timezone.localdate().year
    lines: list[Line] = []
    good = True
    user = bench_user()
    projects = Project.objects.count()
    say(f"{projects} projects, {Event.objects.count()} events, {Total.objects.count()} totals")
    at_levels = levels()  # found once: a grouped count of every project

    with tempfile.TemporaryDirectory() as directory:
        duck = DuckRaw(Path(directory))
        say(f"raw tables exported to Parquet in {duck.export_seconds:.1f} s")
        for level, unit in at_levels:
            times, figures = timed(functools.partial(rollup, unit, year), reps)
            pg_times, pg_figures = timed(functools.partial(postgres_raw, unit, year), raw_reps, warm=0)
            duck_times, duck_figures = timed(functools.partial(duck, unit, year), raw_reps, warm=0)
            same = figures == pg_figures == duck_figures
            good &= same
            if not same:
                say(
                    f"DIFFERENCE at {level} {unit}: rollup {figures}\n"
                    f"  postgres {pg_figures}\n  duckdb {duck_figures}"
                )
            speedup = p95(pg_times) / max(p95(times), 0.001)
            lines.append(
                Line(
                    f"roll-up {level} ({unit.name})",
                    ms(times),
                    f"PG GROUP BY {ms(pg_times)}; DuckDB {ms(duck_times)}; x{speedup:.0f}",
                    "p95 <= 100 ms, >= 20x, equal",
                    same and p95(times) <= 100 and speedup >= 20,
                )
            )
            say(
                lines[-1].what
                + ": "
                + lines[-1].figure
                + " | "
                + lines[-1].reference
                + (" equal" if same else " DIFFERENT")
            )

    from django.http import QueryDict

    from zhaoshang.overview.dashboard import dashboard

    for level, unit in at_levels:

        def page_data(unit: Unit = unit) -> Any:
            return dashboard(user, QueryDict(f"unit={unit.pk}"), timezone.localdate())

        times, _result = timed(page_data, max(3, reps // 5))
        lines.append(Line(f"dashboard page data {level}", ms(times), "", "", None))
        say(lines[-1].what + ": " + lines[-1].figure)

    # The list as each level's own users see it: their scope is part of every query (a national
    # user's is no test at all, a province's names 1,800 units).
    for level, unit in at_levels:
        api_times, page_times = list_latency(bench_user(unit), reps)
        for what, times in (("API", api_times), ("page", page_times)):
            lines.append(
                Line(
                    f"project list {what} (50 rows), {level} user",
                    ms(times),
                    LIST_QUERY,
                    "p95 <= 60 ms",
                    p95(times) <= 60,
                )
            )
        say(f"list, {level} user: api {ms(api_times)}, page {ms(page_times)}")
    for line in other_list_lines(at_levels, max(5, reps // 2)):
        lines.append(line)
        say(f"{line.what}: {line.figure} ({line.reference})")

    seconds = int(os.environ.get("BENCH_SECONDS", "60"))
    load = load_test(user, seconds)
    lines.append(
        Line(
            "list API under load (gunicorn -w 2)",
            f"{load['rps']:.1f} req/s, {load['errors']} errors",
            f"{load['threads']} client threads, {load['seconds']:.0f} s",
            "0 errors",
            load["errors"] == 0,
        )
    )
    say(lines[-1].what + ": " + lines[-1].figure)

    export_rows = min(int(os.environ.get("BENCH_EXPORT_ROWS", "100000")), projects)
    export = export_in_subprocess(export_rows)
    lines.append(
        Line(
            f"export .xlsx {export_rows} rows",
            f"{export['seconds']:.1f} s, peak {export['peak_mb']:.0f} MB",
            f"{export['bytes'] / 1e6:.1f} MB file",
            "<= 20 s, <= 300 MB (100,000 rows)",
            export["seconds"] <= 20 and export["peak_mb"] <= 300,
        )
    )
    say(lines[-1].what + ": " + lines[-1].figure)

    import_rows = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
    rate = import_rate(import_rows)
    lines.append(
        Line(
            f"import .xlsx {import_rows} new rows",
            f"{rate:.0f} rows/s",
            "full validation",
            ">= 2,000 rows/s",
            rate >= 2000,
        )
    )
    say(lines[-1].what + ": " + lines[-1].figure)

    burst_threads = int(os.environ.get("BENCH_BURST_THREADS", "50"))
    # the writers' processes: the deployed server's worker processes (deploy/systemd, --workers 3)
    burst_processes = int(os.environ.get("BENCH_BURST_PROCESSES", "3"))
    for scope, counties, per_county in burst_scopes(100):
        line, ok = burst_line(
            user, scope, counties, per_county, 100, (burst_threads, burst_processes), year, say
        )
        good &= ok
        lines.append(line)
    return lines, good


def burst_line(
    user: Any,
    scope: str,
    counties: list[Unit],
    per_county: int | None,
    n: int,
    writers: tuple[int, int],
    year: int,
    say: Callable[[str], None],
) -> tuple[Line, bool]:
    """One burst of ``n`` report submissions and verifications in the given counties, and whether
    it left no error and every total right (the touched units', and the nation's against the raw
    GROUP BY)."""
    from zhaoshang.dispatch.models import Entry, Report

    verifier = bench_verifier(counties)
    entries = Entry.objects.filter(round__county__in=counties)
    reports = ready_reports(entries, n, user, verifier, per_county)
    projects = {
        r.project_id: r.project for r in Report.objects.filter(pk__in=reports).select_related("project")
    }
    touched = {p.unit_id for p in projects.values()}
    touched |= set(Unit.objects.filter(pk__in=touched).values_list("parent_id", flat=True))
    threads, processes = writers
    result = burst(user, verifier, reports, threads, processes)
    nation = Unit.objects.get(code=NATION_CODE)
    right = totals_agree(touched) and rollup(nation, year) == postgres_raw(nation, year)
    ok = right and not result["errors"]
    for error in result["errors"][:5]:
        say(f"burst error: {error}")
    line = Line(
        f"burst {len(reports)} report submit+verify, {scope} ({len(projects)} projects)",
        f"{result['writes_per_s']:.0f} writes/s, {result['deadlocks']} deadlocks, "
        f"{len(result['errors'])} errors",
        f"{threads} connections in {processes} processes; totals {'right' if right else 'WRONG'} "
        "up to the nation",
        "0 errors, totals right",
        ok,
    )
    say(line.what + ": " + line.figure + "; " + line.reference)
    return line, ok


def burst_scopes(n: int) -> list[tuple[str, list[Unit], int | None]]:
    """The county with most projects owing reports (every report of the burst in it), and the
    first ``n`` counties by path that list any (one report in each)."""
    from zhaoshang.dispatch.models import Entry

    busiest = Entry.objects.values("round__county").annotate(k=Count("pk")).order_by("-k", "round__county")
    first = busiest.first()
    assert first is not None, "no generated reports"
    county = Unit.objects.get(pk=first["round__county"])
    listing = Entry.objects.values("round__county")
    across = list(Unit.objects.filter(kind=UnitKind.COUNTY, pk__in=listing).order_by("path")[:n])
    return [("one county", [county], None), (f"{len(across)} counties", across, 1)]


def import_rate(rows: int) -> float:
    """New rows per second through the project import (full validation), in a county."""
    from openpyxl import Workbook

    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.core.permissions import Role
    from zhaoshang.projects.importing import SHEET, import_projects

    county = Unit.objects.filter(kind=UnitKind.COUNTY, code__regex=r"^\d{6}$").order_by("pk").first()
    assert county is not None, "no generated county"
    townships = list(
        Unit.objects.filter(parent=county, kind=UnitKind.TOWNSHIP).values_list("name", flat=True)
    )
    user, created = User.objects.get_or_create(username="bench-county", defaults={"display_name": "bench"})
    if created:
        Membership.objects.create(user=user, unit=county, role=Role.BUREAU_ADMIN)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("projects")
    keys = ["name", "unit", "total_investment", "stage", "signed_on", "contracted_amount"]
    ws.append([str(SHEET.labels[k]) for k in keys])
    stamp = int(time.time())
    for n in range(rows):
        ws.append([f"导入项目{stamp}-{n}", townships[n % len(townships)], "8000.5", "在谈", None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "bench.xlsx"
    started = time.monotonic()
    result = import_projects(user, buffer)
    elapsed = time.monotonic() - started
    if result.errors:
        raise RuntimeError(f"the import refused rows: {result.errors[:3]}")
    return rows / elapsed


def table(lines: list[Line]) -> str:
    """The figures as one Markdown table (the same text goes into docs/performance.md)."""
    head = ("measure", "figure", "reference (same run)", "goal", "met")
    rows = [head] + [
        (x.what, x.figure, x.reference, x.goal, "" if x.ok is None else ("yes" if x.ok else "NO"))
        for x in lines
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    out = io.StringIO()
    for n, row in enumerate(rows):
        out.write("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |\n")
        if n == 0:
            out.write("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")
    return out.getvalue()
