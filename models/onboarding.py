"""Joining by invite: link a chat account to a roster person and grant the invite's role."""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit, units
from models.enums import Channel, UnitKind
from models.invites import consume_invite
from models.tables import ChatIdentity, InviteCode, Membership, OrgUnit, Person
from models.text import fold


class AlreadyLinked(Exception):
    """This chat account already belongs to another person."""


async def match_person(session: AsyncSession, commune_id: int | None, full_name: str, phone: str | None
                       ) -> Person | None:
    """The roster person by phone, else the only one of that name in the commune."""
    if phone:
        person = await session.scalar(select(Person).where(Person.phone == phone))
        if person is not None:
            return person
    if commune_id is None:
        return None
    found = (await session.scalars(select(Person).where(Person.commune_id == commune_id,
                                                        Person.name_key == fold(full_name)))).all()
    if len(found) == 1 and (not phone or found[0].phone in (None, phone)):
        return found[0]
    return None


async def join(
    session: AsyncSession, invite: InviteCode, *, channel: Channel, user_id: str, chat_id: str,
    full_name: str, phone: str | None, display_name: str | None, locale: str | None,
    existing: Person | None, now: dt.datetime,
) -> Person | None:
    """The person now holding the invite's role; None when the invite's last use was taken."""
    if not await consume_invite(session, invite):
        return None
    unit = await session.get(OrgUnit, invite.unit_id)
    commune = await units.ancestor(session, unit, UnitKind.COMMUNE) if unit else None
    person = existing
    if person is None and invite.person_id:
        person = await session.get(Person, invite.person_id)
    if person is None:
        person = await match_person(session, commune.id if commune else None, full_name, phone)
    if person is None:
        person = Person(full_name=full_name, name_key=fold(full_name), phone=phone,
                        commune_id=commune.id if commune else None, locale=locale, created_at=now)
        session.add(person)
        await session.flush()
    elif phone and person.phone is None:
        taken = await session.scalar(select(Person.id).where(Person.phone == phone))
        if taken is None:
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
