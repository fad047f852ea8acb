"""The survey job: close surveys at their deadline, send those for members and leaders, remind once."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import current_locale, use_locale
from models.outbox.enqueue import payload
from models.surveys import sending, texts
from models.surveys.tables import Survey

log = logging.getLogger(__name__)


async def survey_jobs(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo) -> int:
    """One pass; how many messages were enqueued. Each survey in a transaction of its own."""
    default_locale = current_locale()
    async with sessions() as session:
        closed = await sending.close_due(session, now)
        await session.commit()
        due = list(await sending.to_send(session, now))
        reminders = list(await sending.to_remind(session, now))
    if closed:
        log.info("surveys: closed %s at their deadline", closed)
    added = 0
    for survey_id, step in [*((s, _send) for s in due), *((s, _remind) for s in reminders)]:
        try:
            async with sessions() as session:
                added += await step(session, survey_id, now, tz, default_locale)
                await session.commit()
        except Exception:  # one broken survey must not hold up the others
            log.exception("surveys: %s of survey %d failed", step.__name__.strip("_"), survey_id)
    return added


def _render(text: Callable[[], str], survey_id: int, default_locale: str) -> sending.Render:
    """The message in each person's language, with the button that opens their form."""
    def body(locale: str | None) -> dict[str, Any]:
        with use_locale(locale or default_locale):
            return payload(text(), [(f"{texts.OPEN_KEY}:{survey_id}", texts.answer_button())])
    return body


async def _send(session: AsyncSession, survey_id: int, now: dt.datetime, tz: ZoneInfo, default_locale: str) -> int:
    survey = await session.get(Survey, survey_id)
    count = await sending.question_count(session, survey_id)
    return await sending.send(session, survey_id, now=now, tz=tz,
                              body=_render(lambda: texts.invitation(survey, count, tz), survey_id, default_locale))


async def _remind(session: AsyncSession, survey_id: int, now: dt.datetime, tz: ZoneInfo, default_locale: str) -> int:
    survey = await session.get(Survey, survey_id)
    return await sending.remind(session, survey_id, now=now, tz=tz,
                                body=_render(lambda: texts.reminder(survey, tz), survey_id, default_locale))
