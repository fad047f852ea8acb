"""Joining by invite: link a chat account to a roster person and grant the invite's role."""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold, normalize_phone
from models import audit
from models.enums import Channel, UnitKind
from models.people.invites import consume_invite
from models.tables import ChatIdentity, InviteCode, Membership, OrgUnit, Person
from models.units import tree


class AlreadyLinked(Exception):
    """This chat account already belongs to another person."""


def _same_phone(stored: str | None, phone: str) -> bool:
    """A roster phone may be written "0912 100 022" or "+84912100022": compared in national form."""
    return stored is not None and (stored == phone or normalize_phone(stored) == phone)


async def phone_taken(session: AsyncSession, phone: str) -> bool:
    """Whether someone already has this phone, however the roster wrote it (narrowed by its last
    digits in SQL, every format ends with them, then compared in national form)."""
    stored = await session.scalars(select(Person.phone).where(Person.phone.like(f"%{phone[-3:]}")))
    return any(_same_phone(found, phone) for found in stored)


async def match_person(session: AsyncSession, invite: InviteCode, channel: Channel, full_name: str,
                       phone: str | None) -> Person | None:
    """The roster person this invite is for, by phone or else by a unique name.

    Only people who hold the invite's own role in the invite's unit, and have no account on this
    channel yet, can be matched: knowing a leader's name or phone must not give their roles away.
    """
    linked = select(ChatIdentity.person_id).where(ChatIdentity.channel == channel)
    candidates = (await session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id)
        .where(Membership.unit_id == invite.unit_id, Membership.role == invite.role,
               Membership.ended_at.is_(None), Person.id.not_in(linked))
    )).all()
    phone = (normalize_phone(phone) or phone) if phone else None
    if phone:
        by_phone = [p for p in candidates if _same_phone(p.phone, phone)]
        if by_phone:
            return by_phone[0]
    by_name = [p for p in candidates if p.name_key == fold(full_name) and (not phone or p.phone is None or _same_phone(p.phone, phone))]
    return by_name[0] if len(by_name) == 1 else None


async def join(
    session: AsyncSession, invite: InviteCode, *, channel: Channel, user_id: str, chat_id: str,
    full_name: str, phone: str | None, display_name: str | None, locale: str | None,
    existing: Person | None, now: dt.datetime,
) -> Person | None:
    """The person now holding the invite's role; None when the invite's last use was taken."""
    if not await consume_invite(session, invite):
        return None
    unit = await session.get(OrgUnit, invite.unit_id)
    commune = await tree.ancestor(session, unit, UnitKind.COMMUNE) if unit else None
    person = existing
    if person is None and invite.person_id:
        person = await session.get(Person, invite.person_id)
    if person is None:
        person = await match_person(session, invite, channel, full_name, phone)
    phone = (normalize_phone(phone) or phone) if phone else None
    taken = phone is not None and await phone_taken(session, phone)
    if person is None:
        # A phone already on the roster for someone else is not copied: phones identify people.
        person = Person(full_name=full_name, name_key=fold(full_name), phone=None if taken else phone,
                        commune_id=commune.id if commune else None, locale=locale, created_at=now)
        session.add(person)
        await session.flush()
    elif phone and person.phone is None and not taken:
        person.phone = phone
    identity = await session.scalar(select(ChatIdentity).where(ChatIdentity.channel == channel,
                                                               ChatIdentity.external_id == user_id))
    if identity is not None and identity.person_id != person.id:
        raise AlreadyLinked(user_id)
    if identity is None:
        session.add(ChatIdentity(person_id=person.id, channel=channel, external_id=user_id, chat_id=chat_id,
                                 display_name=display_name, created_at=now, last_seen_at=now))
    membership = await session.scalar(select(Membership).where(
        Membership.person_id == person.id, Membership.unit_id == invite.unit_id, Membership.role == invite.role))
    if membership is None:
        session.add(Membership(person_id=person.id, unit_id=invite.unit_id, role=invite.role, source="invite",
                               started_at=now))
    elif membership.ended_at is not None:
        membership.ended_at, membership.source = None, "invite"
    await session.flush()
    audit.record(session, "join_by_invite", "person", person.id, actor_id=person.id,
                 actor_label=f"person:{person.id}",
                 details={"invite_id": invite.id, "unit_id": invite.unit_id, "role": invite.role.value,
                          "channel": channel.value})
    return person
