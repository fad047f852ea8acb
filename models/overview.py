"""A volunteer's own recent work, and what a leader's units cover: meetings, unreachable people."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.access import Held, covers_area
from models.enums import Channel, MeetingStatus
from models.tables import ChatIdentity, Concern, Household, Meeting, Membership, OrgUnit, Person, Visit


async def recent_visits(session: AsyncSession, person_id: int, since: dt.date, limit: int
                        ) -> Sequence[tuple[Visit, str]]:
    rows = (await session.execute(
        select(Visit, Household.head_name).join(Household, Household.id == Visit.household_id)
        .where(Visit.person_id == person_id, Visit.visited_on >= since, Visit.undone_at.is_(None))
        .order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(limit)
    )).all()
    return [(v, name) for v, name in rows]


async def recent_concerns(session: AsyncSession, person_id: int, since: dt.datetime, limit: int
                          ) -> Sequence[Concern]:
    return (await session.scalars(
        select(Concern).where(Concern.reporter_id == person_id, Concern.created_at >= since)
        .order_by(Concern.created_at.desc()).limit(limit)
    )).all()


async def upcoming_meetings(session: AsyncSession, held: Sequence[Held], now: dt.datetime, limit: int
                            ) -> Sequence[tuple[Meeting, str]]:
    """Planned meetings of the teams in the person's area."""
    team = OrgUnit
    rows = (await session.execute(
        select(Meeting, team.name).join(team, team.id == Meeting.team_id)
        .where(Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at >= now, covers_area(held, team.path))
        .order_by(Meeting.starts_at).limit(limit)
    )).all()
    return [(m, name) for m, name in rows]


async def unreachable_people(session: AsyncSession, held: Sequence[Held], limit: int
                             ) -> Sequence[tuple[str, Channel, dt.datetime]]:
    """People in the leader's area whom a platform refused to reach (e.g. they blocked the bot)."""
    rows = (await session.execute(
        select(Person.full_name, ChatIdentity.channel, ChatIdentity.unreachable_at).distinct()
        .join(ChatIdentity, ChatIdentity.person_id == Person.id)
        .join(Membership, Membership.person_id == Person.id)
        .join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(ChatIdentity.unreachable_at.is_not(None), Membership.ended_at.is_(None),
               covers_area(held, OrgUnit.path))
        .order_by(Person.full_name).limit(limit)
    )).all()
    return [(name, channel, at) for name, channel, at in rows]


async def never_joined(session: AsyncSession, held: Sequence[Held], limit: int) -> tuple[int, Sequence[str]]:
    """People in the leader's area with no chat identity at all (never used an invite): how many, and names."""
    in_area = (select(Membership.person_id).join(OrgUnit, OrgUnit.id == Membership.unit_id)
               .where(Membership.ended_at.is_(None), covers_area(held, OrgUnit.path)))
    statement = select(Person.full_name).where(
        Person.id.in_(in_area), ~exists().where(ChatIdentity.person_id == Person.id))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    names = (await session.scalars(statement.order_by(Person.name_key, Person.id).limit(limit))).all()
    return int(total or 0), names
