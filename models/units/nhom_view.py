"""A nhóm leader's view of their own nhóm: its members, its households and how many were visited
lately, the visits of this month and the concerns still open, in four grouped statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import access
from models.concerns.workflow import ACTIVE
from models.tables import Concern, Household, Membership, OrgUnit, Person, Visit

COVERED_DAYS = 60  # as the digests: a household not visited for 60 days is waiting


@dataclass(frozen=True)
class MemberLine:
    name: str
    households: int
    covered: int  # of them, visited in the last 60 days
    visits: int  # this month


@dataclass(frozen=True)
class NhomView:
    name: str
    members: list[MemberLine]
    households: int
    covered: int
    unassigned: int
    visits: int
    concerns_open: int


async def nhom_view(session: AsyncSession, nhom: OrgUnit, today: dt.date) -> NhomView:
    since, month = today - dt.timedelta(days=COVERED_DAYS), today.replace(day=1)
    people = (await session.execute(
        select(Person.id, Person.full_name).join(Membership, Membership.person_id == Person.id)
        .join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(Membership.unit_id == nhom.id, Membership.ended_at.is_(None),
               access.takes_households(Membership.role, OrgUnit.kind))
        .group_by(Person.id, Person.full_name, Person.name_key).order_by(Person.name_key, Person.id))).all()
    households = {member: (count, covered) for member, count, covered in (await session.execute(
        select(Household.assigned_member_id, func.count(),
               func.sum(case((Household.last_visited_on >= since, 1), else_=0)))
        .where(Household.nhom_id == nhom.id, Household.active.is_(True))
        .group_by(Household.assigned_member_id))).all()}
    visits = dict((await session.execute(
        select(Visit.person_id, func.count())
        .where(Visit.nhom_id == nhom.id, Visit.undone_at.is_(None), Visit.visited_on >= month,
               Visit.visited_on <= today)
        .group_by(Visit.person_id))).all())
    concerns = await session.scalar(select(func.count()).select_from(Concern).where(
        Concern.nhom_id == nhom.id, Concern.status.in_(sorted(ACTIVE))))
    members = [MemberLine(name, households.get(pid, (0, 0))[0], int(households.get(pid, (0, 0))[1] or 0),
                          visits.get(pid, 0)) for pid, name in people]
    return NhomView(nhom.name, members, sum(c for c, _ in households.values()),
                    sum(int(v or 0) for _, v in households.values()), households.get(None, (0, 0))[0],
                    sum(visits.values()), concerns or 0)
