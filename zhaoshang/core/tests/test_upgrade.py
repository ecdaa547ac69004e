"""An upgrade from the previous release: a database at the migration state of that release, holding a
county's data, migrates to this code with every row kept, a valid audit chain, totals that agree with
the ledger and nothing left unapplied (docs/operations.md, Upgrades; decision 35).

The previous release is the end of the first wave (commit 73e0a97, 2026-11-24), the code the county
deploys of issue 26 ran. Its state is named here by each app's last migration at that commit, so the
test needs neither git nor the old code; a second test checks the names against git when the history
is there. At the next release, move PREVIOUS_RELEASE and RELEASE_MIGRATIONS to it.

The data is the demo county, written by today's code into the release's schema, with the
investors' name keys set as the release computed them (before OpenCC), which the upgrade must
recompute. Today's demo writer sets a few columns added since the release (WRITER_NEEDS): those
additive migrations run before the data is written, and so do the apps added since the release
(their tables are new: nothing to upgrade); every other migration since the release runs in the
upgrade itself. A new column the demo writes into an existing table joins WRITER_NEEDS.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from zhaoshang.core.tests import scratch
from zhaoshang.core.tests.scratch import PROJECT_DIR, manage

PREVIOUS_RELEASE = "73e0a97"
RELEASE_MIGRATIONS = {
    "accounts": "0002_alter_user_managers",
    "activities": "0002_activity_date",
    "audit": "0002_entry_user_protect",
    "coordination": "0001_initial",
    "dispatch": "0002_report_due_on",
    "inspections": "0001_initial",
    "investors": "0003_credit_code_unique_per_unit",
    "ledger": "0005_funds_queue",
    "notifications": "0001_initial",
    "projects": "0008_project_unit_stage_covering",
    "targets": "0001_initial",
    "units": "0002_unit_depth_path",
}

# Columns added since the release that today's demo writer fills (plain AddField with a default).
WRITER_NEEDS = {
    "dispatch": "0003_entry_late_joined",
    # the demo places its projects on the map, dates talks (contacted_on) and draws its codes from
    # the code sequences
    "projects": "0014_project_codes",
    # the demo reads the indicators, every column of them, writes manual figures and records funds
    # with their origin; every sync reads the county's counting rules (Indicator.county, CountingRule)
    "ledger": "0012_county_rules",
    "notifications": "0002_unitrobot_groupmessage",  # the catalogue's notices look up unit robots
    "units": "0003_place_code",  # the demo county's GB/T 2260 code
    "investors": "0006_origin_code",  # an investor keeps the code of its origin with the words
}

# In a fresh process on the scratch database: migrate to the release's state (our apps at their
# release migration, apps added since not at all, Django's and third-party apps at their latest),
# add the writer's columns, write the demo county, give every investor the stale key "old:<name>",
# and print the fingerprint.
AT_RELEASE = """
import json, sys, django
django.setup()
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from zhaoshang.core.tests.test_backups import fingerprint

release = json.loads(sys.argv[1])
writer_needs = json.loads(sys.argv[2])
executor = MigrationExecutor(connection)
targets = []
for app, leaf in executor.loader.graph.leaf_nodes():
    ours = apps.get_app_config(app).name.startswith("zhaoshang.")
    if app in release:
        targets.append((app, release[app]))
    elif not ours:
        targets.append((app, leaf))
executor.migrate(targets)
# What manage.py migrate does next: content types and permissions of the migrated state.
from django.core.management.sql import emit_post_migrate_signal
emit_post_migrate_signal(0, False, "default", apps=executor.loader.project_state(targets).apps, plan=[])
executor.loader.build_graph()
# Apps added since the release hold nothing to upgrade; the demo writes their tables, so they are
# created at their latest state before the data (with what their migrations depend on).
added = {app: leaf for app, leaf in executor.loader.graph.leaf_nodes()
         if apps.get_app_config(app).name.startswith("zhaoshang.") and app not in release}
writer_needs = {**added, **writer_needs}
executor.migrate([*(t for t in targets if t[0] not in writer_needs), *writer_needs.items()])
executor.loader.build_graph()
plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
left = sorted(f"{m.app_label}.{m.name}" for m, _ in plan)

from zhaoshang.demo.demo import MIN_PROJECTS, load_demo
from zhaoshang.investors.models import Investor
load_demo(projects=MIN_PROJECTS)
# The writer needed the investors' origin code; step back to before the name keys were folded, so
# that the upgrade folds them (and reads the origins again from their words).
executor.loader.build_graph()
executor.migrate([("investors", "0004_typed_dates_in_bounds")])
executor.loader.build_graph()
plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
left = sorted(f"{m.app_label}.{m.name}" for m, _ in plan)
with connection.cursor() as cursor:
    cursor.execute("UPDATE investors_investor SET name_key = 'old:' || name")
print(json.dumps({"left": left, "rows": fingerprint()}))
"""

AFTER = """
import json, django
django.setup()
from zhaoshang.core.tests.test_backups import fingerprint
from zhaoshang.investors.models import Investor
from zhaoshang.investors.names import name_key
stale = [i.pk for i in Investor.objects.all() if i.name_key != name_key(i.name)]
print(json.dumps({"stale": stale, "rows": fingerprint()}))
"""


@pytest.fixture
def database(db: None, tmp_path: Path) -> Iterator[str]:
    with scratch.empty_database(tmp_path) as url:
        yield url


def last_line(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_database_of_the_previous_release_upgrades(database: str, tmp_path: Path):
    media = tmp_path / "media"
    before = last_line(
        manage(
            "-c",
            AT_RELEASE,
            json.dumps(RELEASE_MIGRATIONS),
            json.dumps(WRITER_NEEDS),
            database=database,
            media=media,
        )
    )
    assert before["left"], "the release state is behind this code: something is left to migrate"
    assert "investors.0005_name_keys_folded_by_opencc" in before["left"]
    assert sum(map(len, before["rows"].values())) > 500

    upgraded = manage("manage.py", "migrate", "--no-input", database=database, media=media, timeout=600)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    for migration in before["left"]:
        app, name = migration.split(".")
        assert f"Applying {app}.{name}... OK" in upgraded.stdout

    nothing_left = manage("manage.py", "migrate", "--check", database=database, media=media)
    assert nothing_left.returncode == 0, nothing_left.stdout
    after = last_line(manage("-c", AFTER, database=database, media=media))
    # every row is kept (an upgrade may add rows of its own, such as the content types of new models)
    lost = {
        label: sorted(set(pks) - set(after["rows"].get(label, []))) for label, pks in before["rows"].items()
    }
    assert not any(lost.values()), lost
    assert after["stale"] == []
    audit = manage("manage.py", "verify_audit", database=database, media=media)
    assert audit.returncode == 0 and "every hash verified" in audit.stdout, audit.stderr
    rollups = manage("manage.py", "rebuild_rollups", "--check", database=database, media=media)
    assert rollups.returncode == 0, rollups.stdout + rollups.stderr


def test_the_release_state_is_the_one_git_remembers():
    git = shutil.which("git")
    if git is None or not (PROJECT_DIR / ".git").exists():
        pytest.skip("no git history here")
    known = subprocess.run(  # noqa: S603 - git of this checkout
        [git, "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"],
        cwd=PROJECT_DIR,
        capture_output=True,
        check=False,
    )
    if known.returncode != 0:
        pytest.skip(f"{PREVIOUS_RELEASE} is not in this clone's history")
    listing = subprocess.run(  # noqa: S603
        [git, "ls-tree", "-r", "--name-only", PREVIOUS_RELEASE, "zhaoshang/"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    leaves: dict[str, str] = {}
    for path in sorted(listing):
        parts = path.split("/")
        if len(parts) == 4 and parts[2] == "migrations" and parts[3][:4].isdigit() and path.endswith(".py"):
            leaves[parts[1]] = parts[3].removesuffix(".py")
    assert leaves == RELEASE_MIGRATIONS
