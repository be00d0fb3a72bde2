"""When the daemon runs: ``[schedule]`` as an APScheduler trigger, with crontab(5) meaning.

Used by the daemon to schedule and by ``status`` to say when the next run is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from ..config import ScheduleSettings
from ..configvalues import where
from ..errors import ConfigError
from ..utc import as_utc


def build_trigger(schedule: ScheduleSettings, origin: Callable[[str], str] | None = None) -> BaseTrigger:
    """``interval_seconds`` > 0 wins; otherwise the 5-field crontab in ``timezone``.
    ``origin`` (``Settings.origin``) lets a bad value's error name where it was set."""
    def source(name: str) -> str:
        return f" (from {where(origin(name), name)})" if origin else ""

    if schedule.interval_seconds < 0:
        raise ConfigError("config: schedule.interval_seconds must be >= 0")
    try:
        if schedule.interval_seconds > 0:
            return IntervalTrigger(seconds=schedule.interval_seconds, timezone=schedule.timezone)
        return crontab_trigger(schedule.cron, schedule.timezone)
    except KeyError:  # zoneinfo.ZoneInfoNotFoundError
        raise ConfigError(f"config: schedule.timezone: unknown time zone {schedule.timezone!r}"
                          + source("schedule.timezone")) from None
    except ValueError as exc:
        raise ConfigError(f"config: schedule.cron {schedule.cron!r}: {exc}" + source("schedule.cron")) from None


_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def crontab_trigger(expr: str, timezone: str) -> BaseTrigger:
    """A trigger with crontab(5) meaning, which ``CronTrigger.from_crontab`` lacks in 3.x.

    APScheduler 3 numbers weekdays from Monday = 0 (crontab: Sunday = 0 or 7),
    and requires day-of-month AND day-of-week where cron fires on either.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    weekday = _crontab_weekdays(weekday)
    common = {"minute": minute, "hour": hour, "month": month, "timezone": timezone}
    if day != "*" and weekday != "*":
        return OrTrigger([CronTrigger(day=day, **common),
                          CronTrigger(day_of_week=weekday, **common)])
    return CronTrigger(day=day, day_of_week=weekday, **common)


def _crontab_weekdays(field: str) -> str:
    """Numeric crontab weekdays (0-7, Sunday = 0 and 7) as names APScheduler reads right."""
    if field == "*" or any(c.isalpha() for c in field):  # names mean what they say
        return field
    days: set[int] = set()
    for part in field.split(","):
        base, _, step = part.partition("/")
        if base == "*":
            lo, hi = 0, 6
        elif "-" in base:
            lo_text, hi_text = base.split("-", 1)
            lo, hi = int(lo_text), int(hi_text)
        else:
            lo = hi = int(base)
            if step:
                hi = 6
        if not (0 <= lo <= 7 and 0 <= hi <= 7 and lo <= hi):
            raise ValueError(f"weekday {part!r} is out of range 0-7")
        days.update(d % 7 for d in range(lo, hi + 1, int(step) if step else 1))
    return ",".join(_WEEKDAYS[d] for d in sorted(days))


def describe_schedule(schedule: ScheduleSettings) -> str:
    if schedule.interval_seconds > 0:
        return f"every {schedule.interval_seconds:g} s"
    return f"cron '{schedule.cron}' ({schedule.timezone})"


def next_run_time(schedule: ScheduleSettings, now: datetime,
                  last_started: datetime | None = None) -> datetime:
    """When the daemon runs next: the next cron slot, or ``interval`` after its last run."""
    trigger = build_trigger(schedule)
    if schedule.interval_seconds > 0:
        if last_started is None:
            return now  # the daemon runs at once when it starts
        due = as_utc(last_started) + timedelta(seconds=schedule.interval_seconds)
        return max(due, now)
    fire = trigger.get_next_fire_time(None, now)
    assert fire is not None  # a crontab always fires again
    return fire


# The part of the schedule's period a fetched paper stays fresh under max_age = "auto":
# under 1, so the next run fetches again what the last run fetched (runs start a little
# late, a run takes time), yet a paper another list, check or daemon fetched within the
# period is not asked for twice.
AUTO_FRESH_SHARE = 0.9


def auto_max_age(schedule: ScheduleSettings, now: datetime | None = None) -> float:
    """``[check] max_age = "auto"`` for scheduled runs: hours, a little under the period
    (the shortest gap between the next few cron slots; or the interval)."""
    if schedule.interval_seconds > 0:
        period = schedule.interval_seconds
    else:
        trigger = build_trigger(schedule)
        fire = trigger.get_next_fire_time(None, now or datetime.now().astimezone())
        gaps = []
        for _ in range(8):  # bounded: a crontab like "0 6 * * 1,3" has uneven gaps
            after = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
            if fire is None or after is None:
                break
            gaps.append((after - fire).total_seconds())
            fire = after
        period = min(gaps) if gaps else 86400.0
    return AUTO_FRESH_SHARE * period / 3600.0
