"""The scripted volunteers: a demo commune in a fresh database, N volunteers with a Telegram
identity each, and the updates of their household visits.

Each volunteer is assigned at most six households (the picker's first page shows six, mine
first), so a household button pressed from the script is always one the bot offered, whatever
the order of the page; every update is therefore a real step of the visit flow.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass

from sqlalchemy import func, select

import models.tables  # noqa: F401  (every table known to the metadata)
from bench.fake_api import callback_update, message_update
from core.db import create_engine, session_factory, upgrade
from core.text import fold
from models.base import utcnow
from models.demo import build_demo
from models.enums import Channel, Role, UnitKind
from models.tables import ChatIdentity, Household, Membership, OrgUnit, Person, Visit

HOUSEHOLDS_EACH = 25  # more than any run's visits per volunteer: never the same household twice a day
CHAT_BASE = 800_000_000
# One household visit from the menu, as a volunteer taps it: two messages, three buttons.
STEPS = ("/menu", "1", "household", "p:encourage", "r:save")


@dataclass(frozen=True)
class Volunteer:
    chat_id: int
    person_id: int
    households: tuple[int, ...]


@dataclass(frozen=True)
class Script:
    updates: list[str]  # JSON, without update_id
    chats: list[int]
    visits: int  # how many visits the script records (its "r:save" presses)


async def prepare_database(url: str, volunteers: int) -> tuple[list[Volunteer], dict[str, int]]:
    """Migrates, builds the demo commune and gives `volunteers` people a chat and households."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        sessions = session_factory(engine)
        async with sessions() as session:
            now = utcnow()
            demo = await build_demo(session, now=now)
            result = await _volunteers(session, demo.commune_id, volunteers, now)
            await session.commit()
            size = {
                "people": await session.scalar(select(func.count()).select_from(Person)) or 0,
                "households": await session.scalar(select(func.count()).select_from(Household)) or 0,
            }
        return result, size
    finally:
        await engine.dispose()


async def _volunteers(session, commune_id: int, count: int, now: dt.datetime) -> list[Volunteer]:  # noqa: ANN001
    commune = await session.get(OrgUnit, commune_id)
    nhoms = list(await session.scalars(select(OrgUnit).where(
        OrgUnit.kind == UnitKind.NHOM, OrgUnit.path.startswith(commune.path)).order_by(OrgUnit.id)))
    people: dict[int, list[int]] = {n.id: list(await session.scalars(
        select(Membership.person_id).where(Membership.unit_id == n.id,
                                           Membership.role.in_((Role.MEMBER, Role.GROUP_LEADER)))
        .order_by(Membership.id))) for n in nhoms}
    existing = sum(len(p) for p in people.values())
    for number, nhom in zip(range(max(0, count - existing)), itertools.cycle(nhoms)):
        name = f"Tình nguyện viên {number + 1:04d}"
        person = Person(full_name=name, name_key=fold(name), commune_id=commune_id)
        session.add(person)
        await session.flush()
        session.add(Membership(person_id=person.id, unit_id=nhom.id, role=Role.MEMBER, source="cli",
                               started_at=now))
        people[nhom.id].append(person.id)
    # Take volunteers nhóm by nhóm in turn, so they spread over the commune.
    chosen: dict[int, list[int]] = {n.id: [] for n in nhoms}
    queues = {n.id: list(people[n.id]) for n in nhoms}
    while sum(len(c) for c in chosen.values()) < count:
        for nhom in nhoms:
            if queues[nhom.id] and sum(len(c) for c in chosen.values()) < count:
                chosen[nhom.id].append(queues[nhom.id].pop(0))
    result: list[Volunteer] = []
    serial = itertools.count(1)
    for nhom in nhoms:
        pool = list(await session.scalars(select(Household).where(Household.nhom_id == nhom.id)
                                          .order_by(Household.id)))
        village_id = pool[0].village_id  # the demo gives every nhóm households
        for household in pool:
            household.assigned_member_id = None
        # Each volunteer gets households of their own, never visited, named in order: the picker
        # lists them first, by name, so round r's household is the first button on its first page
        # (the demo's households carry history: visits, answers waiting to be passed on).
        pool = []
        for person_id in chosen[nhom.id]:
            mine = []
            for _ in range(HOUSEHOLDS_EACH):
                if not pool:
                    name = f"Hộ Thử {next(serial):05d}"
                    address = f"Số {len(mine) + 1}, {nhom.name}"
                    household = Household(commune_id=commune_id, village_id=village_id,
                                          nhom_id=nhom.id, code=f"B-{nhom.id}-{len(result)}-{len(mine)}",
                                          head_name=name, name_key=fold(name), address=address,
                                          address_key=fold(address))
                    session.add(household)
                    pool.append(household)
                household = pool.pop(0)
                household.assigned_member_id = person_id
                mine.append(household)
            await session.flush()
            chat_id = CHAT_BASE + len(result) + 1
            session.add(ChatIdentity(person_id=person_id, channel=Channel.TELEGRAM, external_id=str(chat_id),
                                     chat_id=str(chat_id), display_name="V"))
            result.append(Volunteer(chat_id, person_id, tuple(h.id for h in mine)))
    await session.flush()
    return sorted(result, key=lambda v: v.chat_id)


def visit_script(volunteers: list[Volunteer], total: int, *, as_text: bool = False) -> Script:
    """`total` updates: round after round, each step for every volunteer in turn, so consecutive
    updates come from different chats and each volunteer's steps stay in order.

    `as_text` turns button presses into messages carrying the same text (for the echo bot).
    """
    updates: list[str] = []
    chats: list[int] = []
    visits = 0
    ids = itertools.count(1)
    for round_ in itertools.count():
        for step in STEPS:
            for volunteer in volunteers:
                if len(updates) == total:
                    return Script(updates, chats, visits)
                data = f"h:{volunteer.households[round_ % len(volunteer.households)]}" if step == "household" \
                    else step
                number = next(ids)
                if step.startswith(("/", "1")) or as_text:
                    update = message_update(volunteer.chat_id, number, data)
                else:
                    update = callback_update(volunteer.chat_id, f"q{number}", data, number)
                visits += step == "r:save"
                updates.append(json.dumps(update, ensure_ascii=False, separators=(",", ":")))
                chats.append(volunteer.chat_id)
    raise AssertionError("unreachable")


async def count_visits(url: str) -> int:
    """The visits logged through a chat app (the demo's history was written with none)."""
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            return await session.scalar(select(func.count()).select_from(Visit).where(Visit.channel.is_not(None))) or 0
    finally:
        await engine.dispose()
