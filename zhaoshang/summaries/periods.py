"""The period a summary or bulletin covers: months ``first``..``last`` of one year (a half-year, the
year, a month or any run of months); targets are annual, so completion is the period's actual over
the year's target, as the reports say it (占全年任务的X%)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404


@dataclass(frozen=True)
class Period:
    year: int
    first: int = 1
    last: int = 12

    def __post_init__(self) -> None:
        if not (2000 <= self.year <= 2100 and 1 <= self.first <= self.last <= 12):
            raise ValueError(f"not a period: {self.year} {self.first}-{self.last}")

    @property
    def months(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def is_year(self) -> bool:
        return self.first == 1 and self.last == 12

    @property
    def name_zh(self) -> str:
        """What a title calls it: 2026年, 2026年上半年, 2026年1—9月, 2026年3月."""
        if self.is_year:
            return f"{self.year}年"
        if (self.first, self.last) == (1, 6):
            return f"{self.year}年上半年"
        if (self.first, self.last) == (7, 12):
            return f"{self.year}年下半年"
        if self.first == self.last:
            return f"{self.year}年{self.first}月"
        return f"{self.year}年{self.first}—{self.last}月"

    @property
    def opening_zh(self) -> str:
        """How a figure sentence starts: 全年 for the year, else 1—6月 / 3月."""
        if self.is_year:
            return "全年"
        return f"{self.first}月" if self.first == self.last else f"{self.first}—{self.last}月"

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.first:02d}-{self.last:02d}"

    def previous_year(self) -> Period:
        return Period(self.year - 1, self.first, self.last)


def period_from(year: object, first: object = 1, last: object = 12) -> Period:
    """The period of request parameters; 404 for one that is not a period."""
    try:
        return Period(int(str(year)), int(str(first or 1)), int(str(last or 12)))
    except (TypeError, ValueError) as wrong:
        raise Http404 from wrong
