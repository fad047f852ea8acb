"""Following up an announcement: one reminder after a day, then the still silent named to their
team leader, one message per leader.

Each step claims its receipts with one UPDATE … RETURNING (`reminded_at` or `reported_at` set
where still empty) in the transaction that enqueues the messages, so a second run of the job
finds nothing left to do, and a crash midway rolls both back for the next run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import access
from models.broadcasts.announcements import Render
from models.enums import Role, UnitKind
from models.outbox.enqueue import enqueue_for_people
from models.tables import Announcement, AnnouncementReceipt, Membership, OrgUnit, Person

REMIND_AFTER = dt.timedelta(hours=24)  # after the announcement went out
REPORT_AFTER = dt.timedelta(hours=24)  # after the reminder
CHASE_FOR = dt.timedelta(days=7)  # older announcements are left alone (a job back after long downtime)


@dataclass
class ForLeader:
    """The silent members one leader hears about, by team: (team name, member names)."""

    leader: Person
    teams: dict[str, list[str]] = field(default_factory=dict)
    first: int = 0  # the smallest member id: a key the same batch gets again on a second run

    def key(self, announcement_id: int) -> str:
        return f"ann:{announcement_id}:lead{self.first}"


async def reminders_due(session: AsyncSession, now: dt.datetime) -> Sequence[int]:
    return (await session.scalars(
        select(Announcement.id).join(AnnouncementReceipt, AnnouncementReceipt.announcement_id == Announcement.id)
        .where(Announcement.enqueued_at <= now - REMIND_AFTER, Announcement.enqueued_at > now - CHASE_FOR,
               AnnouncementReceipt.acknowledged_at.is_(None), AnnouncementReceipt.reminded_at.is_(None))
        .distinct().order_by(Announcement.id))).all()


async def remind(session: AsyncSession, announcement_id: int, *, now: dt.datetime, tz: ZoneInfo,
                 body: Render) -> int:
    """The reminder, once, to every recipient who has not acknowledged; how many were enqueued."""
    claimed = list(await session.scalars(
        update(AnnouncementReceipt)
        .where(AnnouncementReceipt.announcement_id == announcement_id, AnnouncementReceipt.acknowledged_at.is_(None),
               AnnouncementReceipt.reminded_at.is_(None))
        .values(reminded_at=now).returning(AnnouncementReceipt.person_id)
        .execution_options(synchronize_session=False)))
    added = await enqueue_for_people(session, claimed, key=f"ann:{announcement_id}:r", kind="announcement_reminder",
                                     body=body, now=now, tz=tz)
    return len(added)


async def reports_due(session: AsyncSession, now: dt.datetime) -> Sequence[int]:
    return (await session.scalars(
        select(AnnouncementReceipt.announcement_id)
        .where(AnnouncementReceipt.acknowledged_at.is_(None), AnnouncementReceipt.reported_at.is_(None),
               AnnouncementReceipt.reminded_at <= now - REPORT_AFTER,
               AnnouncementReceipt.reminded_at > now - REPORT_AFTER - CHASE_FOR)
        .distinct().order_by(AnnouncementReceipt.announcement_id))).all()


async def claim_silent(session: AsyncSession, announcement_id: int, now: dt.datetime) -> list[ForLeader]:
    """Marks the still silent as reported and groups them under their team's leader (or deputies,
    when the team has no leader); people outside any team, and leaders themselves, go unreported."""
    ours = (AnnouncementReceipt.announcement_id == announcement_id, AnnouncementReceipt.acknowledged_at.is_(None))
    await session.execute(
        update(AnnouncementReceipt)
        .where(*ours, AnnouncementReceipt.reported_at.is_(None), AnnouncementReceipt.reminded_at <= now - REPORT_AFTER)
        .values(reported_at=now).execution_options(synchronize_session=False))
    member, unit, team, lead = aliased(Membership), aliased(OrgUnit), aliased(OrgUnit), aliased(Membership)
    rows = (await session.execute(
        select(member.person_id, Person.full_name, team.id, team.name, lead.person_id, lead.role)
        .select_from(member).join(Person, Person.id == member.person_id)
        .join(unit, unit.id == member.unit_id)
        .join(team, and_(team.kind == UnitKind.TEAM, unit.path.startswith(team.path)))
        .join(lead, and_(lead.unit_id == team.id, lead.ended_at.is_(None), access.role_in(lead.role, access.SILENCE_TOLD_TO)))
        .where(member.ended_at.is_(None), member.person_id.in_(
            select(AnnouncementReceipt.person_id).where(*ours, AnnouncementReceipt.reported_at == now)))
        .order_by(team.name, Person.name_key, member.person_id))).all()
    leaders: dict[int, dict[Role, set[int]]] = {}
    members: dict[int, dict[int, str]] = {}
    names: dict[int, str] = {}
    for person_id, name, team_id, team_name, leader_id, role in rows:
        leaders.setdefault(team_id, {}).setdefault(role, set()).add(leader_id)
        members.setdefault(team_id, {})[person_id] = name
        names[team_id] = team_name
    chosen = {team_id: next((by_role[r] for r in access.SILENCE_TOLD_TO if by_role.get(r)), set())
              for team_id, by_role in leaders.items()}
    people = {p.id: p for p in await session.scalars(
        select(Person).where(Person.id.in_(set().union(*chosen.values()))))} if chosen else {}
    found: dict[int, ForLeader] = {}
    for team_id, leader_ids in chosen.items():
        for leader_id in sorted(leader_ids):
            silent = {pid: name for pid, name in members[team_id].items() if pid != leader_id}
            if not silent:
                continue
            entry = found.setdefault(leader_id, ForLeader(people[leader_id], first=min(silent)))
            entry.teams[names[team_id]] = list(silent.values())
            entry.first = min(entry.first, *silent)
    return [found[leader_id] for leader_id in sorted(found)]
