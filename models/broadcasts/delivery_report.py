"""The delivery report of one announcement: delivered, waiting, failed, acknowledged, and who.

Delivery is read from each recipient's outbox row, found by its idempotency key
("ann:<id>:p<person>"); a recipient without one had no app the bot could write to. Everything
comes from three grouped or joined queries, however many recipients there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, and_, cast, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.enums import Channel, OutboxStatus, UnitKind
from models.outbox.delivery import FAILURES
from models.tables import Announcement, AnnouncementReceipt, ChatGroup, Membership, OrgUnit, OutboxMessage, Person

DELIVERED, WAITING, FAILED, NO_APP = "delivered", "waiting", "failed", "no_app"


def state_of(status: OutboxStatus | str | None) -> str:
    if status is None:
        return NO_APP
    status = OutboxStatus(status)
    if status == OutboxStatus.SENT:
        return DELIVERED
    return FAILED if status in FAILURES else WAITING


@dataclass(frozen=True)
class Named:
    name: str
    village: str | None
    state: str


@dataclass(frozen=True)
class GroupLine:
    title: str | None
    channel: Channel
    state: str


@dataclass(frozen=True)
class Report:
    total: int
    delivered: int
    waiting: int
    failed: int  # the platform refused, or no app to send to
    acknowledged: int
    silent: list[Named]  # not acknowledged yet, by village and name
    failures: list[Named]
    groups: list[GroupLine]

    @property
    def unacknowledged(self) -> int:
        return self.total - self.acknowledged


async def report(session: AsyncSession, announcement: Announcement) -> Report:
    ours = AnnouncementReceipt.announcement_id == announcement.id
    key = literal(f"ann:{announcement.id}:p") + cast(AnnouncementReceipt.person_id, String)
    delivery = OutboxMessage.idempotency_key == key
    counts = {DELIVERED: 0, WAITING: 0, FAILED: 0, NO_APP: 0}
    total = acknowledged = 0
    for status, number, acked in (await session.execute(
            select(OutboxMessage.status, func.count(), func.count(AnnouncementReceipt.acknowledged_at))
            .select_from(AnnouncementReceipt).outerjoin(OutboxMessage, delivery).where(ours)
            .group_by(OutboxMessage.status))).all():
        counts[state_of(status)] += number
        total, acknowledged = total + number, acknowledged + acked

    unit, village = aliased(OrgUnit), aliased(OrgUnit)
    home = (select(Membership.person_id.label("person_id"), func.min(village.name).label("village"),
                   func.min(village.name_key).label("village_key"))
            .join(unit, unit.id == Membership.unit_id)
            .join(village, and_(village.kind == UnitKind.VILLAGE, unit.path.startswith(village.path)))
            .where(Membership.ended_at.is_(None),
                   Membership.person_id.in_(select(AnnouncementReceipt.person_id).where(ours)))
            .group_by(Membership.person_id).subquery())
    rows = (await session.execute(
        select(Person.full_name, home.c.village, OutboxMessage.status, AnnouncementReceipt.acknowledged_at)
        .select_from(AnnouncementReceipt).join(Person, Person.id == AnnouncementReceipt.person_id)
        .outerjoin(OutboxMessage, delivery).outerjoin(home, home.c.person_id == Person.id)
        .where(ours, or_(AnnouncementReceipt.acknowledged_at.is_(None), OutboxMessage.id.is_(None),
                         OutboxMessage.status.in_(FAILURES)))
        .order_by(home.c.village_key.is_(None), home.c.village_key, Person.name_key, Person.id))).all()
    silent = [Named(name, place, state_of(status)) for name, place, status, acked in rows if acked is None]
    failures = [Named(name, place, state_of(status)) for name, place, status, _acked in rows
                if state_of(status) in (FAILED, NO_APP)]

    groups = [GroupLine(title, Channel(channel), state_of(status)) for title, channel, status in (await session.execute(
        select(ChatGroup.title, OutboxMessage.channel, OutboxMessage.status).select_from(OutboxMessage)
        .outerjoin(ChatGroup, and_(ChatGroup.channel == OutboxMessage.channel,
                                   ChatGroup.chat_id == OutboxMessage.chat_id))
        .where(OutboxMessage.idempotency_key.startswith(f"ann:{announcement.id}:g", autoescape=True))
        .order_by(OutboxMessage.id))).all()]
    return Report(total=total, delivered=counts[DELIVERED], waiting=counts[WAITING],
                  failed=counts[FAILED] + counts[NO_APP], acknowledged=acknowledged, silent=silent,
                  failures=failures, groups=groups)
