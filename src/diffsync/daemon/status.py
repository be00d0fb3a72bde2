"""``diffsync status``: what the daemon has been doing, from the run log, and what it will do."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..config import Settings
from ..errors import DiffsyncError
from ..report.markdown import iso, run_to_dict
from ..store.store import DaemonInfo, RunRow
from ..utc import as_utc, utcnow
from .schedule import describe_schedule, next_run_time
from .service import TRIGGER, StoreOpener, default_store_opener

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DaemonStatus:
    now: datetime
    schedule: str
    next_run: datetime  # the schedule's next slot; a run happens then only if a daemon is alive
    runs: tuple[RunRow, ...]  # most recent first
    papers: int
    open_by_kind: dict[str, int]
    cooldown_until: datetime | None  # only while active
    cooldown_source: str | None = None  # why it was set, while active
    daemon: DaemonInfo | None = None  # a live daemon, if any

    def to_dict(self) -> dict[str, Any]:
        daemon = self.daemon
        return {
            "now": iso(self.now),
            "schedule": self.schedule,
            "daemon": {"alive": daemon is not None,
                       **({"pid": daemon.pid, "host": daemon.host, "list": daemon.list_path,
                           "lists": list(daemon.lists),
                           "since": iso(daemon.started_at),
                           "last_beat": iso(daemon.heartbeat_at)} if daemon else {})},
            "next_run": iso(self.next_run) if daemon else None,
            "papers": self.papers,
            "open": sum(self.open_by_kind.values()),
            "open_by_kind": self.open_by_kind,
            "cooldown": {"active": self.cooldown_until is not None,
                         "until": iso(self.cooldown_until),
                         "source": self.cooldown_source},
            "runs": [run_to_dict(r) for r in self.runs],
        }


def collect_status(settings: Settings, *, limit: int = 10,
                   open_store: StoreOpener | None = None,
                   now: datetime | None = None) -> DaemonStatus:
    """What ``diffsync status`` shows: recent runs, next run, papers, open findings, cooldown."""
    now = now or utcnow()
    with (open_store or default_store_opener(settings))() as store:
        try:
            store.abandon_dead_runs()  # saved where it can be; runs() shows it either way
        except DiffsyncError as exc:
            log.debug("dead runs not marked: %s", exc)
        rows = [r for r in store.runs(max(limit, 50))]
        cooldown = store.cooldown(settings.arxiv.max_cooldown, now)
        by_kind = dict(store.open_by_kind(None))
        papers = store.count_papers()
        daemons = store.live_daemons()
    last_daemon = next((r.started_at for r in rows if r.trigger == TRIGGER), None)
    daemon = daemons[0] if daemons else None
    next_run = next_run_time(settings.schedule, now, last_daemon)
    if daemon is not None and daemon.next_run_at is not None:
        next_run = as_utc(daemon.next_run_at)  # what the live daemon itself will do
    return DaemonStatus(
        # The live daemon's own schedule (its --interval or --cron), else the configured one.
        now=now, schedule=(daemon.schedule if daemon is not None and daemon.schedule
                           else describe_schedule(settings.schedule)), daemon=daemon,
        next_run=next_run,
        runs=tuple(rows[:limit]), papers=papers, open_by_kind=by_kind,
        cooldown_until=cooldown.until if cooldown is not None else None,
        cooldown_source=cooldown.source if cooldown is not None else None,
    )
