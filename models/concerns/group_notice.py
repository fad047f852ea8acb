"""The notice of a new concern for the village's chi bộ group and the commune's khối dân vận group.

Groups have no language of their own: the text is in the deployment's default language, not the
reporter's. What each group may read about the household is `models.concerns.group_posts`' rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, format_date, use_locale
from models.concerns import group_posts
from models.enums import GroupPurpose, Urgency
from models.groups import posts
from models.labels import CATEGORY_LABELS, URGENCY_LABELS
from models.outbox.enqueue import payload
from models.tables import Concern, Household, OrgUnit


def notice_text(concern: Concern, village: OrgUnit, household: Household | None, purpose: GroupPurpose,
                tz: ZoneInfo) -> str:
    """Short enough for a phone: reference and village, household where allowed, what, by when."""
    if concern.urgency == Urgency.URGENT:
        head = _("🚨 KHẨN · Ý kiến mới {reference} — {village}")
    else:
        head = _("📣 Ý kiến mới {reference} — {village}")
    lines = [head.format(reference=concern.reference, village=village.name)]
    shown = group_posts.shows_household(purpose, concern.category)
    if shown:
        who = household.head_name if household is not None else _("ẩn danh / nhiều hộ")
        lines.append(_("Hộ: {name}").format(name=who))
    hidden = household.head_name if household is not None and not shown else None
    lines += [
        _("Lĩnh vực: {category} · Mức độ: {urgency}").format(category=CATEGORY_LABELS[concern.category],
                                                             urgency=URGENCY_LABELS[concern.urgency]),
        _("Nội dung: {text}").format(text=group_posts.snippet(concern.description, hidden_name=hidden)),
        _("Hạn trả lời: {due}").format(due=format_date(concern.due_at.astimezone(tz).date())),
    ]
    return "\n".join(lines)


async def post_new_concern(session: AsyncSession, concern: Concern, household: Household | None, *,
                           locale: str, now: dt.datetime, tz: ZoneInfo, held: dt.timedelta = dt.timedelta(0)
                           ) -> int:
    """Queues the notice for each bound group, in the caller's transaction; how many were queued.
    `held`: not sent before then, while the reporter may still undo the concern.

    Where a unit has no group that can take it, an urgent concern goes to the group's people now;
    any other waits for the unit's evening message (`scheduler/rollups.py`), one a day.
    """
    village = await session.get(OrgUnit, concern.village_id)
    commune = await session.get(OrgUnit, concern.commune_id)
    added = 0
    for purpose in group_posts.POSTED_TO:
        def body(language: str | None, purpose: GroupPurpose = purpose) -> dict[str, Any]:
            with use_locale(language or locale):
                return payload(notice_text(concern, village, household, purpose, tz))

        unit = village if purpose == GroupPurpose.CHI_BO else commune
        added += int(await posts.post(session, unit, purpose, key=group_posts.new_key(concern), kind="concern_new",
                                      body=body, now=now + held, tz=tz,
                                      to_people=concern.urgency == Urgency.URGENT))
    return added
