"""The console's overview: the commune's villages side by side, this month so far and the same days last month.

The figures are the monthly digest's (`models.digests.compute.commune_digest`, grouped SQL over the
whole commune), plus the reports submitted, one more grouped count. A person sees the villages whose
digest the chat would show them (`access.covers_village`): a village's leaders their village, the
commune's leads every village; the admin reads no digest, in the chat or here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import access
from models.digests.compute import commune_digest, month_to_date
from models.digests.figures import Figures
from models.digests.queries import local_midnight
from models.tables import OrgUnit, ReportSubmission


@dataclass(frozen=True)
class VillageLine:
    village_id: int
    name: str
    now: Figures
    before: Figures
    reports_now: int
    reports_before: int


@dataclass(frozen=True)
class Overview:
    commune: str
    start: dt.date
    end: dt.date  # exclusive
    previous_start: dt.date
    previous_end: dt.date
    villages: tuple[VillageLine, ...]


async def reports_by_village(session: AsyncSession, commune: OrgUnit, start: dt.datetime, end: dt.datetime
                             ) -> dict[int, int]:
    """Reports marked submitted in [start, end), counted per unit in one statement, then per village."""
    rows = (await session.execute(
        select(OrgUnit.path, func.count(ReportSubmission.id)).join(OrgUnit, OrgUnit.id == ReportSubmission.unit_id)
        .where(OrgUnit.path.startswith(commune.path), ReportSubmission.submitted_at >= start,
               ReportSubmission.submitted_at < end).group_by(OrgUnit.path))).all()
    depth = commune.path.strip("/").count("/") + 1  # the village's id follows the commune's in a path
    counts: dict[int, int] = {}
    for path, count in rows:
        parts = path.strip("/").split("/")
        if len(parts) > depth:
            village_id = int(parts[depth])
            counts[village_id] = counts.get(village_id, 0) + count
    return counts


async def overview(session: AsyncSession, held: Sequence[access.Held], *, now: dt.datetime, tz: ZoneInfo
                   ) -> Overview | None:
    """None for a person who sees no village's figures."""
    commune_id = access.commune_of(held)
    if commune_id is None:
        return None
    commune = await session.get(OrgUnit, commune_id)
    assert commune is not None
    start, end = month_to_date(now.astimezone(tz).date())
    digest = await commune_digest(session, commune_id, start, end, tz, now=now)
    shown = {v.id for v in await session.scalars(select(OrgUnit).where(
        OrgUnit.id.in_([d.village_id for d in digest.villages]))) if access.covers_village(held, v)}
    reports_now = await reports_by_village(session, commune, local_midnight(start, tz), now)
    reports_before = await reports_by_village(session, commune, local_midnight(digest.previous_start, tz),
                                              local_midnight(digest.previous_end, tz))
    lines = tuple(
        VillageLine(v.village_id, v.name, v.figures,
                    digest.previous[v.village_id].figures if v.village_id in digest.previous else Figures(),
                    reports_now.get(v.village_id, 0), reports_before.get(v.village_id, 0))
        for v in digest.villages if v.village_id in shown)
    return Overview(digest.name, start, end, digest.previous_start, digest.previous_end, lines)
