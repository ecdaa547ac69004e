"""Helpers of the coordination tests: a request raised by township A, and the inspector."""

from __future__ import annotations

from typing import Any

import pytest

from zhaoshang.accounts.models import Membership, User
from zhaoshang.coordination import services
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.permissions import Role


@pytest.fixture
def raised(cast: Any) -> CoordinationRequest:
    """A problem raised by township A's operator, waiting for the bureau."""
    return services.raise_request(
        kind="staff_problem",
        title="用地指标不足",
        description="项目用地需协调",
        unit=cast.town_a,
        by=cast.operator_a,
    )


@pytest.fixture
def department_operator(cast: Any) -> User:
    user = User.objects.create_user(username="dept", password="x", display_name="商务局填报员")
    Membership.objects.create(user=user, unit=cast.department, role=Role.OPERATOR)
    return user


@pytest.fixture
def assigned(cast: Any, raised: CoordinationRequest) -> CoordinationRequest:
    """The same request accepted by the bureau and assigned to the department."""
    return services.accept_request(raised, by=cast.admin, owner_unit=cast.department)


@pytest.fixture(autouse=True)
def english() -> Any:
    """Service messages in English, as the assertions quote them (pages pick their own language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
