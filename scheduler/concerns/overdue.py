"""The overdue-concern job: a nudge when a concern falls due, going up a level after the grace
days, and each Monday the commune's overdue list to its khối dân vận group.

Everything is computed from the database on each run (see `models/concerns/overdue.py` for how
the days are counted), so a run every 15 minutes, twice, or late after downtime does each thing
once:

- The nudge goes to the assignee, or to the people of the concern's level when nobody is
  assigned, under `concern:{id}:overdue:{level}`, while the concern is within its grace period at
  the level where it fell due. One that reaches a level already overdue is not nudged there: the
  escalation's own notice (`models.concerns.notify`) tells that level.
- Past the grace period the concern goes up one level (`workflow.escalate`, by nobody),
  which restarts the grace period; at the commune it stays and keeps being listed.
- The weekly list is due from Monday 08:00 local time (or the first run after), keyed by commune
  and ISO week. It lists the concerns that were overdue at that moment and are still open, so a
  later run in the same week finds the same list, or nothing when Monday had nothing.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import _, current_locale, format_date, use_locale
from models.concerns import overdue, workflow
from models.concerns.group_posts import snippet
from models.concerns.notify import notify_change
from models.concerns.overdue import NEXT_LEVEL, Listed, Overdue
from models.concerns.texts import LEVEL_LABELS
from models.enums import GroupPurpose
from models.groups import posts
from models.labels import CATEGORY_LABELS
from models.outbox.enqueue import enqueue_for_people, payload
from models.tables import OrgUnit

WEEKLY_AT = dt.time(8, 0)  # Monday, local time
WEEKLY_LINES = 60  # beyond these, a count: the inbox has the rest
SNIPPET = 120


async def concern_overdue_jobs(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime,
                               tz: ZoneInfo) -> int:
    """One run in one transaction; how many messages were enqueued."""
    async with sessions() as session:
        added = await _follow_up(session, now, tz)
        added += await _weekly(session, now, tz)
        await session.commit()
    return added


async def _follow_up(session: AsyncSession, now: dt.datetime, tz: ZoneInfo) -> int:
    late = await overdue.open_overdue(session, now)
    rising = [o for o in late if o.concern.level in NEXT_LEVEL
              and overdue.grace_ends(o.concern, o.limits) <= now]
    waiting = [o for o in late if overdue.grace_ends(o.concern, o.limits) > now
               and overdue.needs_nudge(o.concern)]
    added = await _nudges(session, waiting, now, tz)
    for item in rising:
        note = _("Đã quá hạn {days} ngày ở {level} mà chưa có trả lời.").format(
            days=(now - item.concern.due_at).days, level=LEVEL_LABELS[item.concern.level])
        event = await workflow.escalate(session, item.concern, actor_id=None, now=now, note=note)
        if event is not None:
            added += await notify_change(session, item.concern, event, now=now, tz=tz,
                                         default_locale=current_locale())
    return added


async def _nudges(session: AsyncSession, items: list[Overdue], now: dt.datetime, tz: ZoneInfo) -> int:
    """One nudge per concern and level; what is already in the outbox is skipped in one query."""
    people = await overdue.responsible(session, [o.concern for o in items])
    keys = {f"{overdue.nudge_key(o.concern)}:p{p.id}" for o in items for p in people[o.concern.id]}
    done = await overdue.queued(session, keys)
    added = 0
    for item in items:
        key = overdue.nudge_key(item.concern)
        owed = [p.id for p in people[item.concern.id] if f"{key}:p{p.id}" not in done]
        if owed:
            added += len(await enqueue_for_people(session, owed, key=key, kind="concern_overdue",
                                                  body=partial(_nudge_body, item, tz), now=now, tz=tz))
    return added


def _nudge_body(item: Overdue, tz: ZoneInfo, locale: str | None) -> dict[str, Any]:
    concern = item.concern
    with use_locale(locale):
        lines = [_("⏰ Ý kiến quá hạn chưa có trả lời: {reference}").format(reference=concern.reference),
                 f"{CATEGORY_LABELS[concern.category]} — {item.village}",
                 _("Hạn trả lời: {due}").format(due=format_date(concern.due_at.astimezone(tz).date())),
                 snippet(concern.description, limit=SNIPPET)]
        if concern.level in NEXT_LEVEL:
            up = overdue.grace_ends(concern, item.limits).astimezone(tz).date()
            lines.append(_("Nếu đến {date} vẫn chưa trả lời, ý kiến sẽ tự động chuyển lên {level}.").format(
                date=format_date(up), level=LEVEL_LABELS[NEXT_LEVEL[concern.level]]))
        lines.append(_("Hãy trả lời hoặc ghi hướng xử lý: /pa {reference}").format(reference=concern.reference))
        return payload("\n".join(lines), [(f"pa:{concern.id}", _("📄 Xem ý kiến"))])


async def _weekly(session: AsyncSession, now: dt.datetime, tz: ZoneInfo) -> int:
    local = now.astimezone(tz)
    monday = local.date() - dt.timedelta(days=local.weekday())
    since = dt.datetime.combine(monday, WEEKLY_AT, tzinfo=tz)
    if local < since:
        return 0
    default_locale = current_locale()
    year, week, _day = monday.isocalendar()
    label = f"{year}-W{week:02d}"
    sent = await overdue.weeks_sent(session, label)
    lists = await overdue.weekly_lists(session, since.astimezone(dt.UTC), skip=sent)
    added = 0
    for commune_id, items in lists.items():
        commune = await session.get(OrgUnit, commune_id)

        def body(locale: str | None, items: list[Listed] = items) -> dict[str, Any]:
            with use_locale(locale or default_locale):
                return payload(weekly_text(items, week, year, local.date(), tz))

        added += int(await posts.post(session, commune, GroupPurpose.KHOI_DAN_VAN,
                                      key=overdue.week_key(label, commune_id), kind="concern_overdue_week",
                                      body=body, now=now, tz=tz))
    return added


def weekly_text(items: list[Listed], week: int, year: int, today: dt.date, tz: ZoneInfo) -> str:
    """One short line per concern (reference, category, village, days late, level): a long list
    splits between lines. No household: the group's members do not all cover it."""
    lines = [_("⏰ Ý kiến quá hạn chưa có trả lời — tuần {week}/{year}: {count} ý kiến").format(
        week=week, year=year, count=len(items))]
    for item in items[:WEEKLY_LINES]:
        late = (today - item.due_at.astimezone(tz).date()).days
        lines.append(_("• {reference} · {category} · {village} · quá {days} ngày · {level}").format(
            reference=item.reference, category=CATEGORY_LABELS[item.category], village=item.village, days=late,
            level=LEVEL_LABELS[item.level]))
    if len(items) > WEEKLY_LINES:
        lines.append(_("… và {count} ý kiến khác (xem mục 📂 Ý kiến đang mở).").format(
            count=len(items) - WEEKLY_LINES))
    return "\n".join(lines)
