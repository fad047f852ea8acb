"""The daily roll-up: each village's day in figures to its chi bộ group, only on days with activity.

Due from the roll-up hour (`DAILY_ROLLUP_TIME`, 19:00 by default) until quiet hours begin at
21:00, under the key `rollup:{village}:{date}`: a run every 15 minutes sends it once, and a
process that was down at the hour sends it when it comes back that evening. A day missed
entirely is not sent the next morning: by then it is stale news beside that day's own roll-up,
each concern already reached the groups when it was recorded, and the monthly digest counts it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import _, format_date, use_locale
from models.digests import daily_rollup
from models.digests.daily_rollup import VillageDay
from models.enums import GroupPurpose
from models.labels import CATEGORY_LABELS, PURPOSE_LABELS
from models.outbox.enqueue import QUIET_START, enqueue_for_groups, payload
from models.tables import OrgUnit

DEFAULT_AT = dt.time(19, 0)


async def daily_rollups(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo,
                        at: dt.time = DEFAULT_AT, default_locale: str | None = None) -> int:
    """One run in one transaction; how many messages were enqueued.

    Groups have no language of their own: without `default_locale` the text is in the caller's
    current language (`scheduler.app.run_job` sets DEFAULT_LOCALE).
    """
    local = now.astimezone(tz)
    if not at <= local.time() < QUIET_START:
        return 0
    start, end = daily_rollup.window(local.date(), at, tz)
    added = 0
    async with sessions() as session:
        villages = await daily_rollup.villages_with_chi_bo_group(session)
        days = await daily_rollup.village_days(session, [v.id for v in villages], start, end)
        for village in villages:
            if village.id not in days:
                continue  # a quiet day: nothing to say
            with use_locale(default_locale):
                body = payload(rollup_text(village, local.date(), at, days[village.id]))
            added += await enqueue_for_groups(session, village.id, GroupPurpose.CHI_BO,
                                              key=f"rollup:{village.id}:{local.date().isoformat()}",
                                              kind="village_rollup", body=body, now=now, tz=tz)
        await session.commit()
    return added


def rollup_text(village: OrgUnit, day: dt.date, at: dt.time, figures: VillageDay) -> str:
    """Visits by nhóm and by purpose, then new concerns by category with the urgent ones marked."""
    lines = [_("📊 Tổng hợp {village} — {date}").format(village=village.name, date=format_date(day)),
             _("(từ {time} hôm qua đến {time} hôm nay)").format(time=at.strftime("%H:%M")),
             _("🏠 Thăm hộ: {count} lượt").format(count=figures.visits)]
    if figures.visits:
        lines += [f"• {name}: {count}" for name, count in figures.visits_by_nhom]
        lines.append(_("Theo nội dung:"))
        lines += [f"• {label}: {figures.visits_by_purpose[purpose]}"
                  for purpose, label in PURPOSE_LABELS.items() if purpose in figures.visits_by_purpose]
    if figures.urgent:
        lines.append(_("📣 Ý kiến mới: {count}, trong đó 🚨 {urgent} khẩn").format(count=figures.concerns,
                                                                                urgent=figures.urgent))
    else:
        lines.append(_("📣 Ý kiến mới: {count}").format(count=figures.concerns))
    for category, label in CATEGORY_LABELS.items():
        if category in figures.concerns_by_category:
            total, urgent = figures.concerns_by_category[category]
            lines.append(f"• {label}: {total}" + (_(" (🚨 {count} khẩn)").format(count=urgent) if urgent else ""))
    return "\n".join(lines)
