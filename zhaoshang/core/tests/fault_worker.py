"""A process that test_faults kills at random points: it writes through the services and says on
standard output what it has committed, so the test can check that nothing it said was lost.

    python -m zhaoshang.core.tests.fault_worker setup          # units and an operator
    python -m zhaoshang.core.tests.fault_worker write          # projects, one transaction each
    python -m zhaoshang.core.tests.fault_worker import ROWS    # one import of ROWS projects

The database is the one DATABASE_URL names (a file of the test's own, never the test database).
"""

from __future__ import annotations

import io
import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    import django

    django.setup()
    from openpyxl import Workbook

    from zhaoshang.accounts.models import Membership, User
    from zhaoshang.core.permissions import Role
    from zhaoshang.core.xlsx import cell
    from zhaoshang.projects import services
    from zhaoshang.projects.importing import COLUMNS, import_projects
    from zhaoshang.units.choices import UnitKind
    from zhaoshang.units.models import Unit
    from zhaoshang.units.services import create_unit

    command = argv[0]
    if command == "setup":
        province = create_unit(by=None, parent=None, kind=UnitKind.PROVINCE, name="故障省", code="980000")
        city = create_unit(by=None, parent=province, kind=UnitKind.CITY, name="故障市", code="980100")
        county = create_unit(by=None, parent=city, kind=UnitKind.COUNTY, name="故障县", code="980101")
        town = create_unit(by=None, parent=county, kind=UnitKind.TOWNSHIP, name="故障镇", code="980101001")
        user = User.objects.create_user(username="writer", password="x", display_name="写入员")
        Membership.objects.create(user=user, unit=town, role=Role.OPERATOR)
        print("ready", flush=True)
        return
    town = Unit.objects.get(code="980101001")
    user = User.objects.get(username="writer")
    if command == "write":
        n = 0
        while True:  # until killed
            project = services.create_project(
                by=user, data={"name": f"写入{os.getpid()}-{n}", "unit": town, "total_investment": 1}
            )
            print(project.pk, flush=True)
            n += 1
    if command == "import":
        labels = {c.key: c.label for c in COLUMNS}
        book = Workbook(write_only=True)
        sheet = book.create_sheet("projects")
        keys = ["name", "unit", "total_investment"]
        sheet.append([cell(sheet, str(labels[k]), header=True) for k in keys])
        for i in range(int(argv[1])):
            sheet.append([cell(sheet, v) for v in (f"导入{os.getpid()}-{i}", "故障镇", "10")])
        data = io.BytesIO()
        book.save(data)
        data.seek(0)
        data.name = "projects.xlsx"
        print(f"start {os.getpid()}", flush=True)
        result = import_projects(user, data)
        print(f"done {result.created}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
