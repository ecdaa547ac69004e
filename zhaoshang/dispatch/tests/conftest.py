"""Fixtures of the dispatch tests: signed projects in the cast's townships and an opened round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Round

# A Thursday in March: the round of the 12th opens on the 7th (five days before).
OPEN_DAY = dt.date(2026, 3, 9)
DUE = dt.date(2026, 3, 12)


def signed(cast: Any, unit: Any = None, name: str = "调度测试项目", **extra: Any) -> Any:
    data = {"stage": "signed", "signed_on": dt.date(2026, 1, 5), "contracted_amount": Decimal(8000), **extra}
    return cast.project(unit or cast.town_a, name=name, **data)


def evidence(name: str = "银行进账单.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 slip", content_type="application/pdf")


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def opened(cast: Any, media: Any) -> dict[str, Any]:
    """Two signed projects (town A, town B), a lead that owes nothing, and the round of 2026-03-12."""
    a = signed(cast, cast.town_a, "城关镇新材料项目")
    b = signed(cast, cast.town_b, "河口乡食品项目")
    lead = cast.project(cast.town_a, name="线索项目")
    services.open_rounds(OPEN_DAY)
    return {"a": a, "b": b, "lead": lead, "round": Round.objects.get(county=cast.county, due_on=DUE)}


def worded(report: Any, by: Any, text: str = "本期无进展") -> Any:
    """A report that says only, in words, that nothing moved: the least a submission must say."""
    return services.update_report(report, by=by, data={"progress_text": text})
