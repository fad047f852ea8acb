"""The APScheduler 3 instance `gandan run` starts: each job every 15 minutes, never two at once.

Built by the caller at run time (nothing is scheduled at import). The scheduler holds no job
state worth keeping: jobs read what is due from the database, so the in-memory job store is
enough and a restart simply runs them again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import use_locale
from core.settings import Settings
from models.base import utcnow
from scheduler.broadcasts import broadcast_jobs
from scheduler.campaigns import campaign_alerts
from scheduler.concerns.overdue import concern_overdue_jobs
from scheduler.concerns.passing_on import concern_followups
from scheduler.deadlines import deadline_jobs
from scheduler.digests import digest_jobs
from scheduler.housekeeping import housekeeping
from scheduler.meetings import meeting_jobs
from scheduler.reports.drafts import report_draft_jobs
from scheduler.rollups import daily_rollups
from scheduler.surveys import survey_jobs

log = logging.getLogger(__name__)

Job = Callable[..., Awaitable[int]]
INTERVAL = dt.timedelta(minutes=15)
# A run missed by up to one interval (a busy loop, a suspended laptop) still happens; later
# than that the next one is as good, since each run catches up on everything due.
MISFIRE_GRACE = int(INTERVAL.total_seconds())


def jobs(settings: Settings) -> dict[str, Job]:
    """The jobs to run by name, with the settings each needs bound in."""
    return {"deadlines": deadline_jobs, "meetings": meeting_jobs, "housekeeping": housekeeping,
            "rollups": partial(daily_rollups, at=settings.daily_rollup_time), "digests": digest_jobs,
            "broadcasts": broadcast_jobs, "concern_followup": concern_followups,
            "concern_overdue": concern_overdue_jobs, "report_drafts": report_draft_jobs,
            "campaigns": campaign_alerts, "surveys": survey_jobs}


async def run_job(name: str, job: Job, sessions: async_sessionmaker[AsyncSession], tz: ZoneInfo,
                  clock: Callable[[], dt.datetime] = utcnow, default_locale: str = "vi") -> int | None:
    """One run with the current time; a failure is logged and the next run tries again.

    The job runs in the deployment's language: what goes to a group, or to a person who never
    chose a language, is written in DEFAULT_LOCALE (jobs switch to a person's own where set).
    """
    try:
        with use_locale(default_locale):
            added = await job(sessions, now=clock(), tz=tz)
    except Exception:
        log.exception("scheduler: job %s failed", name)
        return None
    if added:
        log.info("scheduler: job %s enqueued %d message(s)", name, added)
    return added


def build_scheduler(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> AsyncIOScheduler:
    """Every job every 15 minutes, the first run right after start; not started here."""
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    first = utcnow() + dt.timedelta(seconds=5)  # let the channels come up first
    for name, job in jobs(settings).items():
        scheduler.add_job(run_job, IntervalTrigger(minutes=int(INTERVAL.total_seconds() // 60), timezone=dt.UTC),
                          args=(name, job, sessions, settings.tz),
                          kwargs={"default_locale": settings.default_locale}, id=name, name=name, next_run_time=first,
                          coalesce=True, max_instances=1, misfire_grace_time=MISFIRE_GRACE)
    return scheduler
