"""The fixed cast of every test scenario: one county with two townships, a department and a park,
a second county for strangers, and a user per role.

    示例省 / 示例市 / 示例县 (bureau admin, leader)
        ├── 城关镇 (operator "town_a")        ├── 河口乡 (operator "town_b")
        ├── 县商务局 (department)              └── 示例经济开发区 (park)
    示例省 / 示例市 / 邻县 (bureau admin "stranger")
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.permissions import Role
from zhaoshang.investors.models import Investor
from zhaoshang.projects import services as project_services
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit
from zhaoshang.units.services import create_unit

PASSWORD = "Zs-test-pass-2026"  # noqa: S105 - the test cast's password


@dataclass
class Cast:
    province: Unit
    city: Unit
    county: Unit
    town_a: Unit
    town_b: Unit
    department: Unit
    park: Unit
    other_county: Unit
    other_town: Unit
    admin: User
    leader: User
    operator_a: User
    operator_b: User
    stranger: User

    def project(self, unit: Unit | None = None, by: Any = None, **data: Any) -> Project:
        """A project in ``unit`` (town A by default), created through the service like any other."""
        unit = unit or self.town_a
        stage = data.pop("stage", "lead")
        values = {"name": "测试项目", "unit": unit, "total_investment": Decimal("5000"), **data}
        investor = Investor.objects.create(
            name=f"{values['name']}投资方", origin_province="浙江省", origin_city="温州市", unit=unit
        )
        return project_services.create_project(by=by, data=values, stage=stage, investors=[investor])


def _user(username: str, name: str, unit: Unit, role: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=name)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def ensure_predefined_indicators() -> None:
    """Transactional tests flush every table, rows from data migrations included: put them back."""
    from importlib import import_module

    from django.apps import apps

    import_module("zhaoshang.ledger.migrations.0002_predefined_indicators").create(apps, None)
    import_module("zhaoshang.ledger.migrations.0009_counts_by_date").create(apps, None)
    import_module("zhaoshang.ledger.migrations.0011_enterprise_returns").create(apps, None)


@pytest.fixture
def cast(db: Any) -> Cast:
    ensure_predefined_indicators()
    province = create_unit(by=None, parent=None, kind=UnitKind.PROVINCE, name="示例省", code="990000")
    city = create_unit(by=None, parent=province, kind=UnitKind.CITY, name="示例市", code="990100")
    county = create_unit(by=None, parent=city, kind=UnitKind.COUNTY, name="示例县", code="990101")
    town_a = create_unit(by=None, parent=county, kind=UnitKind.TOWNSHIP, name="城关镇", code="990101001")
    town_b = create_unit(by=None, parent=county, kind=UnitKind.TOWNSHIP, name="河口乡", code="990101002")
    department = create_unit(
        by=None, parent=county, kind=UnitKind.DEPARTMENT, name="县商务局", code="990101D01"
    )
    park = create_unit(by=None, parent=county, kind=UnitKind.PARK, name="示例经济开发区", code="990101P01")
    other_county = create_unit(by=None, parent=city, kind=UnitKind.COUNTY, name="邻县", code="990102")
    other_town = create_unit(
        by=None, parent=other_county, kind=UnitKind.TOWNSHIP, name="邻县镇", code="990102001"
    )
    return Cast(
        province=province,
        city=city,
        county=county,
        town_a=town_a,
        town_b=town_b,
        department=department,
        park=park,
        other_county=other_county,
        other_town=other_town,
        admin=_user("admin", "局管理员", county, Role.BUREAU_ADMIN),
        leader=_user("leader", "县领导", county, Role.LEADER),
        operator_a=_user("town_a", "城关镇填报员", town_a, Role.OPERATOR),
        operator_b=_user("town_b", "河口乡填报员", town_b, Role.OPERATOR),
        stranger=_user("stranger", "邻县管理员", other_county, Role.BUREAU_ADMIN),
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture(autouse=True)
def kept_imports_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Files kept for an import's retry (core/import_views.py) go to the test's own directory."""
    settings.IMPORT_KEEP_DIR = tmp_path / "imports"
