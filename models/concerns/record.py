"""Recording a citizen's concern with its reference number and due date, and undoing it within
the grace period."""

import datetime as dt
from enum import Enum

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.concerns import time_limits
from models.enums import Channel, ConcernCategory, ConcernStatus, OutboxStatus, Urgency
from models.tables import Concern, ConcernEvent, ConcernHousehold, ConcernPhoto, Counter, Household, OutboxMessage

# As for a visit (models/visits/record.py). The groups' notice of a new concern is held until it
# has passed (`models.concerns.group_notice.post_new_concern`), so an undone concern was never posted.
UNDO_WINDOW = dt.timedelta(minutes=10)


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


class UndoRefused(Enum):
    """Why a concern could not be undone."""

    GONE = "gone"  # not the person's, already undone, or the window has passed
    ACTED_ON = "acted_on"  # someone took it up, or another household joined it
    SENT = "sent"  # a message about it has already left


def outbox_prefix(concern_id: int) -> str:
    """Every outbox key about one concern starts so (group posts, notifications, nudges)."""
    return f"concern:{concern_id}:"


async def undo_concern(session: AsyncSession, *, person_id: int, concern_id: int, now: dt.datetime
                       ) -> Concern | UndoRefused:
    """Removes a concern its reporter logged by mistake, within the window and while nothing has
    come of it; what was queued about it is withdrawn. The reference is not given out again (the
    counter has moved on), and the audit log keeps what was removed."""
    concern = await session.get(Concern, concern_id)
    if concern is None or concern.reporter_id != person_id or now - concern.created_at > UNDO_WINDOW:
        return UndoRefused.GONE
    events = await session.scalar(select(func.count()).select_from(ConcernEvent).where(
        ConcernEvent.concern_id == concern.id, ConcernEvent.action != "created"))
    households = await session.scalar(select(func.count()).select_from(ConcernHousehold).where(
        ConcernHousehold.concern_id == concern.id))
    if concern.status != ConcernStatus.NEW or events or (households or 0) > 1:
        return UndoRefused.ACTED_ON
    prefix = outbox_prefix(concern.id)
    left = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.idempotency_key.startswith(prefix, autoescape=True),
        OutboxMessage.status.in_((OutboxStatus.SENDING, OutboxStatus.SENT))))
    if left:
        return UndoRefused.SENT
    # Never sent, so removed rather than skipped: their keys must not stand in the way of a
    # concern that gets the same id later (SQLite gives a freed highest id out again).
    await session.execute(delete(OutboxMessage).where(
        OutboxMessage.idempotency_key.startswith(prefix, autoescape=True)))
    for table in (ConcernPhoto, ConcernEvent, ConcernHousehold):
        await session.execute(delete(table).where(table.concern_id == concern.id))
    audit.record(session, "undo_concern", "concern", concern.id, actor_id=person_id,
                 actor_label=f"person:{person_id}",
                 details={"reference": concern.reference, "household_id": concern.household_id,
                          "category": concern.category.value, "description": concern.description})
    await session.delete(concern)
    await session.flush()
    return concern
