"""Every role × action × unit, against the rights the product grants (`models/access`).

The world: one commune with two villages (each a team and a nhóm) and a second commune with one;
one person per role, held at the unit that role is held at, all in the first village and commune.
Each cell is asked of the domain operation that decides it (what the flows and jobs call) — a
right granted where the table says no is a leak, one refused where it says yes is a missing right.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from handlers.engine.flow import Ctx, Invalid
from handlers.engine.types import Incoming
from handlers.evaluation import view as evaluation_view
from handlers.menu.main import main_menu, more_menu
from handlers.reports import fields as report_fields
from models import access
from models.broadcasts.audience import NotAllowed, scope_for
from models.concerns import workflow
from models.console import board, login
from models.conversations import ChatState
from models.deadlines import calendar
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
from models.groups import binding as groups
from models.households import finding, volunteers
from models.meetings import occurrences
from models.surveys import sending
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
    "give households to members": {"T1": TEAM_LEADS},
    "mark report submitted": {"N1": {R.GROUP_LEADER}, "T1": TEAM_LEADS, "V1": {R.CHI_BO_SECRETARY},
                              "C1": COMMUNE_LEADS},
    # "📣 Nhắc … đơn vị chưa nộp" on 🗓 Hạn báo cáo: the commune's two leads, for their own commune
    "remind units of a report": {"C1": COMMUNE_LEADS},
    # 📄 Báo cáo: a village's Word draft to its leads and its commune's, the commune's to its two leads
    "receive report draft": {"V1": VILLAGE_LEADS | COMMUNE_LEADS, "V2": COMMUNE_LEADS, "C1": COMMUNE_LEADS},
    # the yearly evaluation: a team's running score, hand scores and the year's confirmation
    "see a team's running score": {"T1": VILLAGE_LEADS | COMMUNE_LEADS, "T2": COMMUNE_LEADS},
    "score criteria by hand": {"C1": {R.KHOI_DAN_VAN_HEAD}},
    "confirm the evaluation": {"C1": {R.KHOI_DAN_VAN_HEAD}},
    # campaigns: the commune's leads for the commune, a team leader for the team's village
    "create campaign": {"C1": COMMUNE_LEADS, "V1": {R.TEAM_LEADER}},
    # a campaign of the unit: its progress (figures) to every leader whose area meets it
    "follow campaign": {"C1": VILLAGE_LEADS | COMMUNE_OFFICE, "V1": VILLAGE_LEADS | COMMUNE_OFFICE,
                        "V2": COMMUNE_OFFICE},
    # its households by name (the spreadsheet): every leader but the admin, within their area
    "name campaign households": {"C1": VILLAGE_LEADS | COMMUNE_LEADS, "V1": VILLAGE_LEADS | COMMUNE_LEADS,
                                 "V2": COMMUNE_LEADS},
    # "Dân vận khéo" models: a team leader proposes for the team, the khối dân vận head reviews the commune's
    "propose a model": {"T1": {R.TEAM_LEADER}},
    "review models": {"C1": {R.KHOI_DAN_VAN_HEAD}},
    # "✏️ Điền số liệu" of an official report: the village's chi bộ secretary and team leader, the commune's leads
    "fill report fields": {"V1": {R.CHI_BO_SECRETARY, R.TEAM_LEADER}, "C1": COMMUNE_LEADS},
    # 🗳 Quản lý khảo sát: writing the commune's surveys and reading their results
    "author surveys": {"C1": COMMUNE_OFFICE},
    # a survey for members and leaders reaches every role of the commune but the admin
    "be sent a survey": {"C1": EVERYONE - {R.ADMIN}},
    # a login link to the web console, which opens on the commune the roles are held in
    "use the web console": {"C1": VILLAGE_LEADS | COMMUNE_OFFICE},
}
# Menu entries beyond the ones everybody has (visit, concern, households, reports, meetings, mute, language).
EVERYONE_ENTRIES = ("m:visit", "m:concern", "m:households", "m:reports", "m:meetings", "m:camp", "m:survey",
                    "m:mute", "m:lang")
EXPECTED_MENU: dict[str, set[Role]] = {
    **{entry: set(EVERYONE) for entry in EVERYONE_ENTRIES},
    "m:nhom": {R.GROUP_LEADER},
    "m:stale": {R.GROUP_LEADER} | TEAM_LEADS,
    "m:open": VILLAGE_LEADS | COMMUNE_OFFICE,
    "m:unreachable": VILLAGE_LEADS | COMMUNE_OFFICE,
    "m:deadlines": VILLAGE_LEADS | COMMUNE_OFFICE,
    "m:groups": VILLAGE_LEADS | COMMUNE_OFFICE,
    "m:cr": COMMUNE_OFFICE,
    "m:dvk": VILLAGE_LEADS | COMMUNE_OFFICE,
    "m:digest": VILLAGE_LEADS | COMMUNE_LEADS,
    "m:official": VILLAGE_LEADS | COMMUNE_LEADS,
    "m:bcast": TEAM_LEADS | COMMUNE_LEADS,
    "m:bcasts": TEAM_LEADS | COMMUNE_LEADS,
    "m:eval": VILLAGE_LEADS | COMMUNE_LEADS,
    "m:surveys": COMMUNE_OFFICE,
    "m:web": VILLAGE_LEADS | COMMUNE_OFFICE,
}


@dataclass
class Place:
    session: AsyncSession
    units: dict[str, OrgUnit]
    people: dict[Role, Person]
    households: dict[str, Household]  # by nhóm
    concerns: dict[tuple[str, ConcernLevel], Concern]  # by village and level
    campaigns: dict[tuple[str, int], int] = field(default_factory=dict)  # made when first asked


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


# --- each action asked of the operation that decides it, and of the policy --------------------------------

Check = Callable[[Place, Person, list[access.Held], OrgUnit], Awaitable[bool]]
Rule = Callable[[list[access.Held], OrgUnit], bool]


def _kinds(*kinds: UnitKind) -> Callable[[Check], Check]:
    """Targets of other kinds are refused without asking (a household lives in a nhóm, a concern in a village)."""
    def wrap(check: Check) -> Check:
        async def checked(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
            return unit.kind in kinds and await check(place, person, held, unit)
        return checked
    return wrap


def _only(rule: Rule, *kinds: UnitKind) -> Rule:
    return lambda held, unit: unit.kind in kinds and rule(held, unit)


@_kinds(UnitKind.NHOM)
async def _household(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    household = next(h for h in place.households.values() if h.nhom_id == unit.id)
    return await finding.get_in_scope(place.session, held, household.id) is not None


def _concern(level: ConcernLevel, what: str) -> tuple[Check, Rule]:
    def read(rights: access.ConcernAccess, concern_available: bool = True) -> bool:
        if what == "sees":
            return rights.sees
        if what == "acts":
            return rights.holds and concern_available
        category = ConcernCategory.COMPLAINT if what == "complainant" else ConcernCategory.INFRASTRUCTURE
        return rights.names_household(category)

    @_kinds(UnitKind.VILLAGE)
    async def check(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
        concern = next(c for (v, lv), c in place.concerns.items() if lv == level and c.village_id == unit.id)
        rights = await workflow.access(place.session, person.id, concern, held)
        return read(rights, bool(workflow.available(rights, concern)))

    def rule(held: list[access.Held], unit: OrgUnit) -> bool:
        return read(access.concern_access(held, unit, level, reporter=False, assignee=False))
    return check, _only(rule, UnitKind.VILLAGE)


@_kinds(UnitKind.VILLAGE, UnitKind.COMMUNE)
async def _digest(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # As /tonghop asks: a village by name, or the person's own units without one.
    if unit.kind == UnitKind.VILLAGE:
        return access.covers_village(held, unit)
    return (UnitKind.COMMUNE, unit.id) in access.own_units(held)


async def _broadcast(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    try:
        return (await scope_for(place.session, person.id, unit.id)).id == unit.id
    except NotAllowed:
        return False


def _bind(purpose: GroupPurpose) -> tuple[Check, Rule]:
    async def check(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
        allowed = {(u.id, p) for u, p in await groups.candidates(place.session, held)}
        return (unit.id, purpose) in allowed
    return check, lambda held, unit: access.may_bind(held, unit, purpose)


@_kinds(UnitKind.TEAM)
async def _meetings(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    return unit.id in {t.id for t in await occurrences.led_teams(place.session, person.id)}


@_kinds(UnitKind.TEAM)
async def _give_households(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # Who is offered the team's households left without a volunteer (a roster change's message).
    return person.id in {p.id for p in await volunteers.team_leads(place.session, unit.id)}


async def _report(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    return await calendar.is_responsible(place.session, person.id, unit)


@_kinds(UnitKind.COMMUNE)
async def _remind(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # As the "rn:" button asks (handlers/deadlines/reports_due.py): the roles read afresh, the deadline's commune.
    return access.may_remind_units(await access.roles(place.session, person.id), unit)


@_kinds(UnitKind.VILLAGE, UnitKind.COMMUNE)
async def _report_draft(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # As 📄 Báo cáo asks before it makes the draft (handlers/reports/official.py), with the roles read afresh.
    return access.may_receive_report(await access.roles(place.session, person.id), unit)


@_kinds(UnitKind.TEAM)
async def _running_score(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # As "📈 Xếp loại dự kiến" shows them: the teams on the person's screen (a scorecard names the
    # team, the commune's ranking its village).
    ctx = Ctx(session=place.session, incoming=Incoming(Channel.TERMINAL, "x", "x"), now=NOW, tz=TZ,
              state=ChatState(channel=Channel.TERMINAL, chat_id="x"), person=person)
    shown = "\n".join(reply.text for reply in await evaluation_view.from_menu(ctx))
    village = next(u for u in place.units.values() if u.id == unit.parent_id)
    return unit.name in shown or village.name in shown


@_kinds(UnitKind.COMMUNE)
async def _hand_scores(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # As the scoring flow starts: the commune it scores in.
    commune = access.scoring_commune(await access.roles(place.session, person.id))
    return commune is not None and commune.id == unit.id


@_kinds(UnitKind.COMMUNE, UnitKind.VILLAGE)
async def _create_campaign(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # As the flow offers them (handlers/campaigns/new_campaign.py).
    return unit.id in access.campaign_author_units(held)


def _campaign_scope(rule: Callable[[list[access.Held], OrgUnit], bool]) -> tuple[Check, Rule]:
    """A campaign of the unit, asked of the screen's query (it must reach the person) and of the policy."""
    from models.campaigns import outcomes
    from models.campaigns.create import Draft, create_campaign

    @_kinds(UnitKind.COMMUNE, UnitKind.VILLAGE)
    async def check(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
        key = ("campaign", unit.id)
        if key not in place.campaigns:
            place.campaigns[key] = (await create_campaign(place.session, Draft(
                scope=unit, name="BHYT", description="", starts_on=NOW.date(), ends_on=NOW.date(),
                target_percent=90), person_id=place.people[R.ADMIN].id, now=NOW)).id
        reached = await outcomes.campaign_for(place.session, held, place.campaigns[key])
        return reached is not None and rule(held, reached[1])
    return check, _only(rule, UnitKind.COMMUNE, UnitKind.VILLAGE)


@_kinds(UnitKind.TEAM)
async def _propose(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    from models.dan_van_kheo import proposals
    return unit.id in {t.id for t in await proposals.teams_for(place.session, held)}


@_kinds(UnitKind.COMMUNE)
async def _review(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    from models.dan_van_kheo import proposals
    return unit.id in {c.id for c in proposals.reviewed_communes(held)}


async def _fill_fields(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # As the fields flow asks when it starts (handlers/reports/fields.py), with the roles read afresh.
    ctx = Ctx(session=place.session, incoming=Incoming(Channel.TERMINAL, "x", "x"), now=NOW, tz=TZ,
              state=ChatState(channel=Channel.TERMINAL, chat_id="x", data={"unit_id": unit.id, "year": 2026}),
              person=person)
    try:
        await report_fields.start(ctx)
    except Invalid:
        return False
    return unit.id in access.fill_units(held)


@_kinds(UnitKind.COMMUNE)
async def _author_surveys(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # As 🗳 Quản lý khảo sát and the results button ask: the communes listed for the person.
    return unit.id in {c.id for c in access.survey_communes(held)}


@_kinds(UnitKind.COMMUNE)
async def _sent_survey(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # Who the survey job makes a form for and sends it to (models/surveys/sending.py).
    return person.id in await sending.surveyed_people(place.session, unit)


@_kinds(UnitKind.COMMUNE)
async def _console(place: Place, person: Person, held: list[access.Held], unit: OrgUnit) -> bool:
    # As `/web` and `gandan web-link` ask: a link is issued, and the board's villages lie in the commune.
    try:
        await login.issue_link(place.session, person.id, now=NOW)
    except login.NotAllowed:
        return False
    return any(place.units[v].id == vid and place.units[v].path.startswith(unit.path)
               for vid, _name in await board.villages(place.session, held) for v in VILLAGES)


CHECKS: dict[str, tuple[Check, Rule]] = {
    "see household": (_household, _only(access.sees_household, UnitKind.NHOM)),
    **{f"see concern at {level}": _concern(level, "sees") for level in ConcernLevel},
    **{f"act on concern at {level}": _concern(level, "acts") for level in ConcernLevel},
    "name the household": _concern(ConcernLevel.TEAM, "household"),
    "name a complainant": _concern(ConcernLevel.TEAM, "complainant"),
    "see digest": (_digest, access.may_see_digest),
    "broadcast": (_broadcast, access.may_broadcast),
    **{f"bind {purpose} group": _bind(purpose) for purpose in GroupPurpose},
    "set meetings": (_meetings, _only(access.may_set_meetings, UnitKind.TEAM)),
    "give households to members": (_give_households, _only(access.may_assign_households, UnitKind.TEAM)),
    "mark report submitted": (_report, access.may_mark_submitted),
    "remind units of a report": (_remind, _only(access.may_remind_units, UnitKind.COMMUNE)),
    "receive report draft": (_report_draft, access.may_receive_report),
    "see a team's running score": (_running_score, access.may_see_evaluation),
    "score criteria by hand": (_hand_scores, _only(access.may_score_by_hand, UnitKind.COMMUNE)),
    "confirm the evaluation": (_hand_scores, _only(access.may_confirm_evaluation, UnitKind.COMMUNE)),
    "create campaign": (_create_campaign, access.may_create_campaign),
    "follow campaign": _campaign_scope(access.follows_campaign),
    "name campaign households": _campaign_scope(access.names_campaign_households),
    "propose a model": (_propose, _only(access.may_propose_model, UnitKind.TEAM)),
    "review models": (_review, _only(access.may_review_model, UnitKind.COMMUNE)),
    "fill report fields": (_fill_fields, access.may_fill_report),
    "author surveys": (_author_surveys, _only(access.may_author_survey, UnitKind.COMMUNE)),
    "be sent a survey": (_sent_survey, _only(access.surveyed, UnitKind.COMMUNE)),
    "use the web console": (_console, _only(access.uses_console_in, UnitKind.COMMUNE)),
}


def test_every_action_has_expectations():
    assert set(CHECKS) == set(EXPECTED)


async def _walk(place: Place, role: Role) -> list[str]:
    """Every cell of one role's rows that differs from the table, as a readable line."""
    person = place.people[role]
    held = list(await access.roles(place.session, person.id))
    wrong = []
    for action, (check, rule) in CHECKS.items():
        for target in UNITS:
            unit, expected = place.units[target], role in EXPECTED[action].get(target, set())
            for asked, answer in (("operation", await check(place, person, held, unit)),
                                  ("access", rule(held, unit))):
                if answer != expected:
                    wrong.append(f"{role.value} {action} {target} ({asked}): {'missing' if expected else 'leak'}")
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
    first = [option.key for option in (await main_menu(ctx)).options]
    held = await access.roles(session, person.id)
    down = [option.key for option in (await more_menu(ctx))[-1].options][:-1] if access.MORE in first else []
    shown = [key for key in first if key != access.MORE] + down
    # Every entry once, in the policy's order on each screen; the first screen fits a small phone.
    assert sorted(shown, key=access.menu_entries(held).index) == access.menu_entries(held)
    assert [key for key in access.menu_entries(held) if key in first] == [key for key in first if key != access.MORE]
    assert len(first) <= access.menu.MENU_LIMIT
    assert set(shown) == {entry for entry, roles in EXPECTED_MENU.items() if role in roles}


# --- no role set outside the policy ----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# Not rights: the enum with the kind each role is held at and the roster's spellings, the labels, the demo.
NOT_RIGHTS = {"models/enums.py", "models/labels.py", "models/demo.py"}


def _role_literals(tree_: ast.AST) -> list[int]:
    """Lines of set, tuple, list or dict literals holding a `Role.X` (a role set in disguise)."""
    def is_role(node: ast.AST | None) -> bool:
        return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role"

    lines = []
    for node in ast.walk(tree_):
        if isinstance(node, ast.Set | ast.Tuple | ast.List) and any(is_role(e) for e in node.elts):
            lines.append(node.lineno)
        elif isinstance(node, ast.Dict) and any(is_role(n) for n in (*node.keys, *node.values)):
            lines.append(node.lineno)
    return sorted(lines)


def test_role_sets_are_defined_only_in_models_access():
    found = []
    for package in ("bot", "core", "handlers", "models", "reports", "scheduler"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name.startswith("models/access/") or name in NOT_RIGHTS:
                continue
            found += [f"{name}:{line}" for line in _role_literals(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == [], "role sets belong in models/access (roles.py): " + ", ".join(found)


def test_the_scan_sees_a_role_set():
    assert _role_literals(ast.parse("X = frozenset({Role.MEMBER})\nif r in (Role.ADMIN, Role.MEMBER): pass\n"
                                    "Y = {Role.ADMIN: 1}")) == [1, 2, 3]
