"""The daily roll-up: each village's day in figures to its chi bộ group, only on days with activity.

Where a village has no chi bộ group that can take it, the roll-up goes to the people who make the
group up (`models.groups.posts`) with the day's non-urgent new concerns under it, so each gets one
message a day for the village; a commune without a khối dân vận group sends its people the day's
new concerns of all its villages the same way.

Due from the roll-up hour (`DAILY_ROLLUP_TIME`, 19:00 by default) until quiet hours begin at
21:00, under the key `rollup:{village}:{date}`: a run every 15 minutes sends it once, and a
process that was down at the hour sends it when it comes back that evening. A day missed
entirely is not sent the next morning: by then it is stale news beside that day's own roll-up,
each concern already reached the groups when it was recorded, and the monthly digest counts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import _, format_date, use_locale
from models.campaigns import progress as campaign_progress
from models.campaigns.progress import Counts
from models.campaigns.texts import summary_line
from models.concerns.group_notice import notice_text
from models.concerns.record import UNDO_WINDOW
from models.digests import daily_rollup
from models.digests.daily_rollup import VillageDay
from models.enums import GroupPurpose
from models.groups import posts
from models.labels import CATEGORY_LABELS, PURPOSE_LABELS
from models.outbox.enqueue import QUIET_START, payload
from models.tables import Campaign, Concern, Household, OrgUnit

DEFAULT_AT = dt.time(19, 0)
BUNDLE_NOTICES = 15  # concerns in full in one evening message; the inbox has the rest


async def daily_rollups(sessions: async_sessionmaker[AsyncSession], *, now: dt.datetime, tz: ZoneInfo,
                        at: dt.time = DEFAULT_AT, default_locale: str | None = None) -> int:
    """One run in one transaction; how many messages were enqueued.

    Groups have no language of their own: without `default_locale` the text is in the caller's
    current language (`scheduler.app.run_job` sets DEFAULT_LOCALE). People standing in for a group
    get it in theirs, with the day's non-urgent new concerns under the figures (`models.groups.posts`).
    """
    local = now.astimezone(tz)
    if not at <= local.time() < QUIET_START:
        return 0
    start, end = daily_rollup.window(local.date(), at, tz)
    day = local.date().isoformat()
    added = 0
    async with sessions() as session:
        villages = await daily_rollup.villages(session)
        days = await daily_rollup.village_days(session, [v.id for v in villages], start, end)
        grouped = await posts.units_with_groups(session, list(days), GroupPurpose.CHI_BO)
        campaigns = await campaign_progress.running_in_villages(session, list(days), local.date())
        # A concern's notice waits out its undo window, so the bundle's concerns trail the figures' day by it.
        waiting = await daily_rollup.new_concerns(session, start - UNDO_WINDOW, end - UNDO_WINDOW)
        for village in villages:
            if village.id not in days:
                continue  # a quiet day: nothing to say
            key = f"rollup:{village.id}:{day}"
            if village.id in grouped:
                with use_locale(default_locale):
                    body = payload(rollup_text(village, local.date(), at, days[village.id],
                                               campaigns.get(village.id, ())))
                added += int(await posts.post(session, village, GroupPurpose.CHI_BO, key=key, kind="village_rollup",
                                              body=lambda _locale, body=body: body, now=now, tz=tz))
                continue
            here = [(c, h) for c, h in waiting if c.village_id == village.id]

            def village_body(locale: str | None, village: OrgUnit = village, here: list = here) -> dict[str, Any]:
                with use_locale(locale or default_locale):
                    text = rollup_text(village, local.date(), at, days[village.id], campaigns.get(village.id, ()))
                    return payload(bundled(text, [notice_text(c, village, h, GroupPurpose.CHI_BO, tz) for c, h in here]))

            added += len(await posts.to_members(session, village, GroupPurpose.CHI_BO, key=key,
                                                kind="village_rollup", body=village_body, now=now, tz=tz))
        added += await _communes(session, waiting, now=now, tz=tz, day=local.date(), default_locale=default_locale)
        await session.commit()
    return added


async def _communes(session: AsyncSession, waiting: list[tuple[Concern, Household | None]], *, now: dt.datetime,
                    tz: ZoneInfo, day: dt.date, default_locale: str | None) -> int:
    """The day's non-urgent new concerns of a commune without a khối dân vận group, to the people who make it up."""
    by_commune: dict[int, list[tuple[Concern, Household | None]]] = {}
    for concern, household in waiting:
        by_commune.setdefault(concern.commune_id, []).append((concern, household))
    grouped = await posts.units_with_groups(session, list(by_commune), GroupPurpose.KHOI_DAN_VAN)
    added = 0
    for commune_id, items in sorted(by_commune.items()):
        if commune_id in grouped:
            continue  # each went to the group when it was recorded
        commune = await session.get(OrgUnit, commune_id)
        villages = await daily_rollup.units_by_id(session, {c.village_id for c, _h in items})

        def body(locale: str | None, commune: OrgUnit = commune, items: list = items) -> dict[str, Any]:
            with use_locale(locale or default_locale):
                head = _("📣 Ý kiến mới trong ngày — {commune}, {date}: {count}").format(
                    commune=commune.name, date=format_date(day), count=len(items))
                notices = [notice_text(c, villages[c.village_id], h, GroupPurpose.KHOI_DAN_VAN, tz) for c, h in items]
                return payload(bundled(head, notices))

        added += len(await posts.to_members(session, commune, GroupPurpose.KHOI_DAN_VAN,
                                            key=f"rollup:c{commune_id}:{day.isoformat()}", kind="commune_rollup",
                                            body=body, now=now, tz=tz))
    return added


def bundled(head: str, notices: list[str]) -> str:
    """The day's figures, then its new concerns, the first BUNDLE_NOTICES in full and a count of the rest."""
    if not notices:
        return head
    parts = [head, _("Ý kiến mới trong ngày ({count}):").format(count=len(notices)), *notices[:BUNDLE_NOTICES]]
    if len(notices) > BUNDLE_NOTICES:
        parts.append(_("… và {count} ý kiến khác: xem 📂 Ý kiến đang mở.").format(count=len(notices) - BUNDLE_NOTICES))
    return "\n\n".join(parts)


def rollup_text(village: OrgUnit, day: dt.date, at: dt.time, figures: VillageDay,
                campaigns: Sequence[tuple[Campaign, Counts]] = ()) -> str:
    """Visits by nhóm and by purpose, new concerns by category with the urgent ones marked, then how far
    each running campaign has come in the village."""
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
    lines += [summary_line(campaign, counts) for campaign, counts in campaigns]
    return "\n".join(lines)
