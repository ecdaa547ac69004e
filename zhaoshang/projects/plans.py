"""What one row of the project import will do, as the per-row importer (importing.py) resolves it
and both write paths read it: the services one row at a time, or the bulk twin (bulk_import.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zhaoshang.investors.models import Investor
from zhaoshang.projects.models import Project
from zhaoshang.projects.services import StewardData
from zhaoshang.units.models import Unit


@dataclass
class Plan:
    """What one row will do: the project it updates (None to create) and the service arguments.
    A project the user may read but not edit (credited to their unit) can only stay unchanged."""

    project: Project | None
    data: dict[str, Any]
    stage: str
    investors: list[Investor | str] | None
    credits: list[tuple[Unit, Decimal]] | None
    stewards: list[StewardData] | None
    read_only: bool = False
