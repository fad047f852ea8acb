"""Recording a citizen's concern with its reference number and due date."""

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.concerns import time_limits
from models.enums import Channel, ConcernCategory, ConcernStatus, Urgency
from models.tables import Concern, ConcernEvent, ConcernHousehold, ConcernPhoto, Counter, Household


async def next_number(session: AsyncSession, name: str) -> int:
    """The next value of a named counter, safe under concurrent writers (row update, then read)."""
    result = await session.execute(update(Counter).where(Counter.name == name).values(value=Counter.value + 1))
    if result.rowcount == 0:
        session.add(Counter(name=name, value=1))
        await session.flush()
        return 1
    return await session.scalar(select(Counter.value).where(Counter.name == name))


async def record_concern(
    session: AsyncSession, *, reporter_id: int, commune_id: int, village_id: int, nhom_id: int | None,
    household: Household | None, several_households: bool, category: ConcernCategory, urgency: Urgency,
    description: str, photos: list[str], channel: Channel | None, now: dt.datetime, year: int | None = None,
) -> Concern:
    """`year` is the local year of the report (1 January in Hà Nội is still 31 December in UTC)."""
    year = year or now.year
    # The commune's own time limit for this category and urgency, or the default (models/concerns/time_limits.py).
    limits = await time_limits.limits_for(session, commune_id, category, urgency)
    number = await next_number(session, f"concern:{year}")
    concern = Concern(
        reference=f"PA-{year}-{number:05d}", commune_id=commune_id, village_id=village_id, nhom_id=nhom_id,
        household_id=household.id if household else None, several_households=several_households,
        reporter_id=reporter_id, category=category, urgency=urgency, status=ConcernStatus.NEW,
        description=description, channel=channel, due_at=now + dt.timedelta(days=limits.due_days),
        created_at=now, updated_at=now,
    )
    session.add(concern)
    await session.flush()
    session.add(ConcernEvent(concern_id=concern.id, actor_id=reporter_id, action="created",
                             to_status=ConcernStatus.NEW, at=now))
    # The household that raised it hears the answer through this reporter (issue: closing the loop).
    session.add(ConcernHousehold(concern_id=concern.id, household_id=concern.household_id, reporter_id=reporter_id,
                                 added_at=now))
    if channel is not None:
        session.add_all(ConcernPhoto(concern_id=concern.id, channel=channel, file_ref=ref, created_at=now)
                        for ref in photos)
    audit.record(session, "record_concern", "concern", concern.id, actor_id=reporter_id,
                 actor_label=f"person:{reporter_id}", details={"reference": concern.reference})
    return concern
