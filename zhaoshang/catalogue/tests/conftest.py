from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.permissions import Role


@pytest.fixture(autouse=True)
def empty_cache() -> Any:
    """Each test starts with an empty page cache and no inquiries counted against an address."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department_operator(cast: Any) -> User:
    user = User.objects.create_user(username="fgw", password="x", display_name="发改委填报员")
    Membership.objects.create(user=user, unit=cast.department, role=Role.OPERATOR)
    return user
