"""Every role × action × unit, against the rights the product grants (`models/access`).

The world: one commune with two villages (each a team and a nhóm) and a second commune with one;
one person per role, held at the unit that role is held at, all in the first village and commune.
Each cell is asked of the domain operation that decides it (what the flows and jobs call) — a
right granted where the table says no is a leak, one refused where it says yes is a missing right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from handlers.engine.flow import Ctx
from handlers.engine.types import Incoming
from handlers.menu.main import main_menu
from models import access, groups
from models.broadcasts.audience import author_scopes
from models.concerns import workflow
from models.conversations import ChatState
from models.deadlines import calendar
from models.digests import audience as digests
from models.enums import (
    ROLE_UNIT_KIND,
    Channel,
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    GroupPurpose,
    Role,
    UnitKind,
    Urgency,
)
from models.households import finding
from models.meetings import occurrences
from models.tables import Concern, Household, Membership, OrgUnit, Person
from models.units import tree

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

R = Role
EVERYONE = frozenset(Role)
VILLAGE_LEADS = {R.TEAM_LEADER, R.TEAM_DEPUTY, R.CHI_BO_SECRETARY}
COMMUNE_LEADS = {R.KHOI_DAN_VAN_HEAD, R.COMMUNE_SECRETARY}
COMMUNE_OFFICE = COMMUNE_LEADS | {R.ADMIN}
TEAM_LEADS = {R.TEAM_LEADER, R.TEAM_DEPUTY}

# Units: C1 ⊃ V1 ⊃ T1 ⊃ N1, C1 ⊃ V2 ⊃ T2 ⊃ N2; C2 ⊃ V3 ⊃ T3 ⊃ N3. Every role is held in C1/V1.
UNITS = ("C1", "V1", "T1", "N1", "V2", "T2", "N2", "C2", "V3", "T3", "N3")
VILLAGES = ("V1", "V2", "V3")

# action → {target → the roles allowed}; every target left out, and every role not named, is refused.
EXPECTED: dict[str, dict[str, set[Role]]] = {
    # the visit picker: households of the nhóm under a unit held
    "see household": {"N1": set(EVERYONE), "N2": COMMUNE_OFFICE},
    # a concern raised by someone else in the village, at each level
    **{f"see concern at {level}": {"V1": VILLAGE_LEADS | COMMUNE_OFFICE, "V2": COMMUNE_OFFICE}
       for level in ConcernLevel},
    f"act on concern at {ConcernLevel.TEAM}": {"V1": VILLAGE_LEADS | COMMUNE_OFFICE, "V2": COMMUNE_OFFICE},
    f"act on concern at {ConcernLevel.CHI_BO}": {"V1": {R.CHI_BO_SECRETARY} | COMMUNE_OFFICE, "V2": COMMUNE_OFFICE},
    f"act on concern at {ConcernLevel.COMMUNE}": {"V1": COMMUNE_OFFICE, "V2": COMMUNE_OFFICE},
    # the household's name on a concern: never to the admin, never for a complaint
    "name the household": {"V1": VILLAGE_LEADS | COMMUNE_LEADS, "V2": COMMUNE_LEADS},
    "name a complainant": {},
    "see digest": {"V1": VILLAGE_LEADS | COMMUNE_LEADS, "V2": COMMUNE_LEADS, "C1": COMMUNE_LEADS},
    "broadcast": {"C1": COMMUNE_LEADS, "T1": TEAM_LEADS},
    f"bind {GroupPurpose.NHOM} group": {"N1": {R.GROUP_LEADER} | TEAM_LEADS},
    f"bind {GroupPurpose.TEAM} group": {"T1": TEAM_LEADS | {R.CHI_BO_SECRETARY}},
    f"bind {GroupPurpose.CHI_BO} group": {"V1": VILLAGE_LEADS | COMMUNE_OFFICE, "V2": COMMUNE_OFFICE},
    f"bind {GroupPurpose.KHOI_DAN_VAN} group": {"C1": COMMUNE_OFFICE},
    "set meetings": {"T1": TEAM_LEADS},
    "mark report submitted": {"N1": {R.GROUP_LEADER}, "T1": TEAM_LEADS, "V1": {R.CHI_BO_SECRETARY},
                              "C1": COMMUNE_LEADS},
}
# Menu entries beyond the ones everybody has (visit, concern, households, reports, meetings, mute, language).
EVERYONE_ENTRIES = ("m:visit", "m:concern", "m:households", "m:reports", "m:meetings", "m:mute", "m:lang")
EXPECTED_MENU: dict[str, set[Role]] = {
    **{entry: set(EVERYONE) for entry in EVERYONE_ENTRIES},
    "m:open": VILLAGE_LEADS | COMMUNE_OFFICE,
    "m:unreachable": VILLAGE_LEADS | COMMUNE_OFFICE,
    "m:deadlines": VILLAGE_LEADS | COMMUNE_OFFICE,
    "m:cr": COMMUNE_OFFICE,
    "m:digest": VILLAGE_LEADS | COMMUNE_LEADS,
    "m:bcast": TEAM_LEADS | COMMUNE_LEADS,
    "m:bcasts": TEAM_LEADS | COMMUNE_LEADS,
}


@dataclass
class Place:
    session: AsyncSession
    units: dict[str, OrgUnit]
    people: dict[Role, Person]
    households: dict[str, Household]  # by nhóm
    concerns: dict[tuple[str, ConcernLevel], Concern]  # by village and level


async def build(session: AsyncSession) -> Place:
    province = await tree.add_unit(session, UnitKind.PROVINCE, "Tỉnh Thử", code="99")
    units: dict[str, OrgUnit] = {}
    for commune, villages in (("C1", ("1", "2")), ("C2", ("3",))):
        units[commune] = await tree.add_unit(session, UnitKind.COMMUNE, f"Xã {commune}", province)
        for n in villages:
            units[f"V{n}"] = await tree.add_unit(session, UnitKind.VILLAGE, f"Thôn {n}", units[commune])
            units[f"T{n}"] = await tree.add_unit(session, UnitKind.TEAM, f"Tổ {n}", units[f"V{n}"])
            units[f"N{n}"] = await tree.add_unit(session, UnitKind.NHOM, f"Nhóm {n}", units[f"T{n}"])
    at_kind = {UnitKind.COMMUNE: "C1", UnitKind.VILLAGE: "V1", UnitKind.TEAM: "T1", UnitKind.NHOM: "N1"}
    people = {role: Person(full_name=f"Người {role.value}", name_key=fold(f"nguoi {role.value}"),
                           commune_id=units["C1"].id) for role in Role}
    reporter = Person(full_name="Người ghi", name_key="nguoi ghi", commune_id=units["C1"].id)
    session.add_all([*people.values(), reporter])
    await session.flush()
    session.add_all([Membership(person_id=people[role].id, unit_id=units[at_kind[ROLE_UNIT_KIND[role]]].id,
                                role=role) for role in Role])
    households = {}
    for n in ("1", "2", "3"):
        village, nhom = units[f"V{n}"], units[f"N{n}"]
        households[f"N{n}"] = Household(commune_id=village.parent_id, village_id=village.id, nhom_id=nhom.id,
                                        head_name=f"Hộ {n}", name_key=f"ho {n}", address="Xóm", address_key="xom")
    session.add_all(households.values())
    concerns = {}
    for i, (village, level) in enumerate((v, lv) for v in VILLAGES for lv in ConcernLevel):
        unit = units[village]
        concerns[(village, level)] = Concern(
            reference=f"PA-2026-{i + 1:05d}", commune_id=unit.parent_id, village_id=unit.id, reporter_id=reporter.id,
            category=ConcernCategory.INFRASTRUCTURE, urgency=Urgency.NORMAL, status=ConcernStatus.NEW,
            description="Đường ngập", due_at=NOW + dt.timedelta(days=15), created_at=NOW, level=level)
    session.add_all(concerns.values())
    await session.commit()
    return Place(session, units, people, households, concerns)


# --- each action asked of the operation that decides it -------------------------------------------------

Check = Callable[[Place, Person, list[access.Held], str], Awaitable[bool]]


async def _household(place: Place, person: Person, held: list[access.Held], target: str) -> bool:
    if target not in place.households:
        return False
    return await finding.get_in_scope(place.session, held, place.households[target].id) is not None


def _concern(level: ConcernLevel, what: str) -> Check:
    async def check(place: Place, person: Person, held: list[access.Held], target: str) -> bool:
        if target not in VILLAGES:
            return False
        rights = await workflow.access(place.session, person.id, place.concerns[(target, level)], held)
        if what == "sees":
            return rights.sees
        if what == "acts":
            return rights.holds and bool(workflow.available(rights, place.concerns[(target, level)]))
        category = ConcernCategory.COMPLAINT if what == "complainant" else ConcernCategory.INFRASTRUCTURE
        return rights.names_household(category)
    return check


async def _digest(place: Place, person: Person, held: list[access.Held], target: str) -> bool:
    unit = place.units[target]
    if unit.kind == UnitKind.VILLAGE:
        return digests.covers_village(held, unit)
    if unit.kind == UnitKind.COMMUNE:
        return (UnitKind.COMMUNE, unit.id) in digests.own_units(held)
    return False


async def _broadcast(place: Place, person: Person, held: list[access.Held], target: str) -> bool:
    return place.units[target].id in {unit.id for unit in author_scopes(held)}


def _bind(purpose: GroupPurpose) -> Check:
    async def check(place: Place, person: Person, held: list[access.Held], target: str) -> bool:
        allowed = {(unit.id, p) for unit, p in await groups.candidates(place.session, held)}
        return (place.units[target].id, purpose) in allowed
    return check


async def _meetings(place: Place, person: Person, held: list[access.Held], target: str) -> bool:
    return place.units[target].id in {t.id for t in await occurrences.led_teams(place.session, person.id)}


async def _report(place: Place, person: Person, held: list[access.Held], target: str) -> bool:
    return await calendar.is_responsible(place.session, person.id, place.units[target])


CHECKS: dict[str, Check] = {
    "see household": _household,
    **{f"see concern at {level}": _concern(level, "sees") for level in ConcernLevel},
    **{f"act on concern at {level}": _concern(level, "acts") for level in ConcernLevel},
    "name the household": _concern(ConcernLevel.TEAM, "household"),
    "name a complainant": _concern(ConcernLevel.TEAM, "complainant"),
    "see digest": _digest,
    "broadcast": _broadcast,
    **{f"bind {purpose} group": _bind(purpose) for purpose in GroupPurpose},
    "set meetings": _meetings,
    "mark report submitted": _report,
}


def test_every_action_has_expectations():
    assert set(CHECKS) == set(EXPECTED)


async def _walk(place: Place, role: Role) -> list[str]:
    """Every cell of one role's rows that differs from the table, as a readable line."""
    person = place.people[role]
    held = list(await access.roles(place.session, person.id))
    wrong = []
    for action, check in CHECKS.items():
        for target in UNITS:
            expected = role in EXPECTED[action].get(target, set())
            if await check(place, person, held, target) != expected:
                wrong.append(f"{role.value} {action} {target}: {'missing' if expected else 'leak'}")
    return wrong


@pytest.mark.parametrize("role", list(Role))
async def test_role_by_action_by_unit(session, role):
    place = await build(session)
    assert await _walk(place, role) == []


@pytest.mark.parametrize("role", list(Role))
async def test_menu_entries_by_role(session, role):
    place = await build(session)
    person = place.people[role]
    ctx = Ctx(session=session, incoming=Incoming(Channel.TERMINAL, "x", "x"), now=NOW, tz=TZ,
              state=ChatState(channel=Channel.TERMINAL, chat_id="x"), person=person)
    shown = {option.key for option in (await main_menu(ctx)).options}
    assert shown == {entry for entry, roles in EXPECTED_MENU.items() if role in roles}
