"""Who is in a commune's roster: each person with the roles they hold and the apps they use.

For the operator's `gandan people`, which answers "who can I try the bot as, and who has joined".
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import normalize_phone, search_key
from models.enums import Channel, Role
from models.tables import ChatIdentity, Membership, OrgUnit, Person

# The terminal is the operator trying the bot (`gandan chat`), not an app the person uses.
APPS = (Channel.TELEGRAM, Channel.ZALO)


@dataclass(frozen=True)
class App:
    channel: Channel
    unreachable: bool  # the person blocked the bot there


@dataclass(frozen=True)
class Listed:
    person: Person
    roles: tuple[tuple[Role, OrgUnit], ...]  # active roles, in the order of the tree
    apps: tuple[App, ...]


async def list_people(session: AsyncSession, commune: OrgUnit, *, search: str | None = None,
                      role: Role | None = None, within: OrgUnit | None = None) -> list[Listed]:
    """People of the commune (by their roles there, or by the commune they serve in), ordered by name.

    `search` matches the name ignoring diacritics, case and punctuation, or the phone number;
    `role` and `within` keep the people holding that role, or any role under that unit."""
    held = (select(Membership, OrgUnit).join(OrgUnit, OrgUnit.id == Membership.unit_id)
            .where(Membership.ended_at.is_(None), OrgUnit.path.startswith((within or commune).path))
            .order_by(OrgUnit.path, Membership.role))
    if role is not None:
        held = held.where(Membership.role == role)
    roles: dict[int, list[tuple[Role, OrgUnit]]] = {}
    for membership, unit in (await session.execute(held)).all():
        roles.setdefault(membership.person_id, []).append((membership.role, unit))
    holders = list(roles)
    wanted = select(Person).where(Person.id.in_(holders) if role is not None or within is not None
                                  else or_(Person.id.in_(holders), Person.commune_id == commune.id))
    people = [p for p in await session.scalars(wanted.order_by(Person.name_key, Person.id))
              if not search or _matches(p, search)]
    apps: dict[int, list[App]] = {}
    if people:
        identities = await session.scalars(
            select(ChatIdentity).where(ChatIdentity.person_id.in_([p.id for p in people]),
                                       ChatIdentity.channel.in_(APPS)).order_by(ChatIdentity.channel))
        for identity in identities:
            apps.setdefault(identity.person_id, []).append(App(identity.channel, identity.unreachable_at is not None))
    return [Listed(p, tuple(roles.get(p.id, ())), tuple(apps.get(p.id, ()))) for p in people]


def _matches(person: Person, search: str) -> bool:
    phone = normalize_phone(search)
    if phone is not None:
        return person.phone == phone
    digits = "".join(ch for ch in search if ch.isdigit())
    if digits and digits == search_key(search).replace(" ", ""):  # part of a number: "021"
        return digits in (person.phone or "")
    return f" {search_key(search)}" in f" {search_key(person.full_name)}"
