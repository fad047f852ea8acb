"""The scheduler `gandan run` starts: its jobs, their limits, and a run with a given clock."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.settings import load_settings
from models.tables import ReportDeadline
from scheduler.app import MISFIRE_GRACE, build_scheduler, run_job
from scheduler.deadlines import deadline_jobs
from tests.world import build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def settings():
    return load_settings(environ={}, env_file=None)


async def test_both_jobs_every_fifteen_minutes_never_two_at_once(sessions, settings) -> None:
    scheduler = build_scheduler(sessions, settings)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"deadlines", "meetings", "housekeeping", "rollups", "digests", "broadcasts",
                         "concern_followup", "concern_overdue", "report_drafts", "campaigns", "surveys"}
    for job in jobs.values():
        assert job.trigger.interval == dt.timedelta(minutes=15)
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, MISFIRE_GRACE)
        assert job.args[2] is sessions and job.args[3] == settings.tz
    assert jobs["deadlines"].args[1] is deadline_jobs
    assert jobs["rollups"].args[1].keywords == {"at": settings.daily_rollup_time}  # DAILY_ROLLUP_TIME reaches it
    assert not scheduler.running  # the caller starts it


async def test_the_scheduler_starts_and_stops_inside_the_running_loop(sessions, settings) -> None:
    scheduler = build_scheduler(sessions, settings)
    scheduler.start(paused=True)
    assert scheduler.running
    scheduler.shutdown(wait=False)
    await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
    assert not scheduler.running


async def test_a_job_wrapper_runs_with_the_clock_it_is_given(sessions) -> None:
    async with sessions() as session:
        world = await build_world(session)
    seen: list[dt.datetime] = []

    async def job(sessions_, *, now, tz):
        seen.append(now)
        return await deadline_jobs(sessions_, now=now, tz=tz)

    moment = dt.datetime(2026, 12, 18, 2, 0, tzinfo=dt.UTC)
    # 7 days before the 25th: the team leader, who chats in the terminal, is nudged there.
    assert await run_job("deadlines", job, sessions, TZ, clock=lambda: moment) == 1
    assert seen == [moment]
    async with sessions() as session:  # the run made the commune's default calendar
        kinds = set(await session.scalars(select(ReportDeadline.kind)
                                          .where(ReportDeadline.commune_id == world.commune.id)))
    assert kinds == {"monthly_team", "half_year", "annual"}


async def test_jobs_run_in_the_deployments_language(sessions, settings) -> None:
    """Texts to groups and to people without a language follow DEFAULT_LOCALE, not Vietnamese always."""
    import dataclasses

    from core.i18n import current_locale

    seen: list[str] = []

    async def job(sessions_, *, now, tz):
        seen.append(current_locale())
        return 0

    assert await run_job("probe", job, sessions, TZ, default_locale="en") == 0
    assert await run_job("probe", job, sessions, TZ) == 0
    assert seen == ["en", "vi"]
    scheduler = build_scheduler(sessions, dataclasses.replace(settings, default_locale="en"))
    assert {job.kwargs["default_locale"] for job in scheduler.get_jobs()} == {"en"}


async def test_a_failing_job_is_logged_and_the_scheduler_goes_on(sessions, caplog) -> None:
    async def broken(sessions_, *, now, tz):
        raise RuntimeError("database went away")

    with caplog.at_level(logging.ERROR, logger="scheduler.app"):
        assert await run_job("deadlines", broken, sessions, TZ) is None
    assert "job deadlines failed" in caplog.text and "database went away" in caplog.text


async def test_housekeeping_forgets_old_message_ids(sessions):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from models.enums import Channel
    from models.tables import ProcessedMessage
    from scheduler.housekeeping import housekeeping

    now = dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC)
    async with sessions() as session:
        session.add_all([ProcessedMessage(channel=Channel.TELEGRAM, message_key="1:old", at=now - dt.timedelta(days=4)),
                         ProcessedMessage(channel=Channel.TELEGRAM, message_key="1:new", at=now - dt.timedelta(hours=1))])
        await session.commit()
    assert await housekeeping(sessions, now=now, tz=ZoneInfo("Asia/Ho_Chi_Minh")) == 0
    async with sessions() as session:
        assert (await session.scalars(select(ProcessedMessage.message_key))).all() == ["1:new"]
