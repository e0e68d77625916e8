"""Budget periods: calendar months and days in Q2O_TIMEZONE (DST-safe: zoneinfo does the arithmetic).

A moment belongs to the month its local date falls in, so 2026-10-31 23:30 UTC is November in Tokyo.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def local_now(timezone: str, now: datetime | None = None) -> datetime:
    """``now`` (default: the current moment) as local time in ``timezone``."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone))


def month_of(timezone: str, now: datetime | None = None) -> str:
    """``YYYY-MM`` of the moment's local date."""
    return local_now(timezone, now).strftime("%Y-%m")


def day_of(timezone: str, now: datetime | None = None) -> str:
    """``YYYY-MM-DD`` of the moment's local date."""
    return local_now(timezone, now).strftime("%Y-%m-%d")


def previous_month(timezone: str, now: datetime | None = None) -> str:
    """The month that ended last, in ``timezone`` (what the close on the 1st closes)."""
    local = local_now(timezone, now)
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def parse_month(value: str) -> tuple[int, int]:
    """``YYYY-MM`` (years 1970-9998) as (year, month); anything else raises ``ValueError``."""
    found = _MONTH.fullmatch(value)
    if not found or not 1970 <= int(found.group(1)) <= 9998:
        raise ValueError(f"expected a month as YYYY-MM (1970-01 to 9998-12), not {value!r}")
    return int(found.group(1)), int(found.group(2))


def month_bounds(month: str, timezone: str) -> tuple[datetime, datetime]:
    """The month's first local midnight and the next month's, both as UTC moments."""
    year, number = parse_month(month)
    zone = ZoneInfo(timezone)
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def day_end(timezone: str, now: datetime | None = None) -> datetime:
    """The next local midnight after ``now`` (when today's call count starts again from zero), as a UTC moment.

    Built from the local date, not ``now + 24 h``, so a DST change makes the day 23 or 25 hours long."""
    local = local_now(timezone, now)
    zone = ZoneInfo(timezone)
    tomorrow = datetime(local.year, local.month, local.day, tzinfo=zone) + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=zone).astimezone(UTC)


def month_end(timezone: str, now: datetime | None = None) -> datetime:
    """The first local midnight of the next month (when the month's spending starts again), as a UTC moment."""
    return month_bounds(month_of(timezone, now), timezone)[1]


def local_text(moment: datetime, timezone: str) -> str:
    """A moment as ``2027-01-01 00:00 Europe/Paris``: how messages say when a budget resets."""
    return f"{moment.astimezone(ZoneInfo(timezone)).strftime('%Y-%m-%d %H:%M')} {timezone}"
