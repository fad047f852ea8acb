"""Who receives a unit's official report (the Word draft) on demand: a village's to its team's leader and
deputies and its chi bộ secretary, and to the commune's two leads; the commune's to its two leads.

The scheduled draft goes to fewer: the people who answer for the report (`REPORTS_FOR`, the
chi bộ secretary and the commune's leads), through `models.deadlines.calendar.responsible`.

A village's report (the team's results, issued by its chi bộ) is filled by the chi bộ secretary
and by the team leader, who knows the team's work first-hand; the commune's by the khối dân vận
head and the commune Party secretary. The secretary of the issuing body signs (T/M … BÍ THƯ).
"""

from collections.abc import Sequence

from models.access.roles import CHI_BO, COMMUNE_LEADS, VILLAGE_LEADS
from models.access.scope import Held
from models.enums import Role, UnitKind
from models.tables import OrgUnit

# The roles that may have a report's draft, by the kind of unit they are held at (a team's is its village's).
REPORT_AT: dict[UnitKind, frozenset[Role]] = {
    UnitKind.TEAM: VILLAGE_LEADS,
    UnitKind.VILLAGE: VILLAGE_LEADS,
    UnitKind.COMMUNE: COMMUNE_LEADS,
}


def _entitled(held: Sequence[Held]) -> list[Held]:
    return [h for h in held if h.role in REPORT_AT.get(h.unit.kind, ())]


def may_receive_report(held: Sequence[Held], unit: OrgUnit) -> bool:
    """A village's report: its own leads and its commune's; a commune's: the commune's leads."""
    if unit.kind == UnitKind.VILLAGE:
        return any(unit.path.startswith(h.unit.path) or h.unit.path.startswith(unit.path) for h in _entitled(held)
                   if h.unit.kind != UnitKind.TEAM or h.unit.parent_id == unit.id)
    return unit.kind == UnitKind.COMMUNE and any(h.unit.id == unit.id and h.unit.kind == UnitKind.COMMUNE
                                                 for h in _entitled(held))


def report_units(held: Sequence[Held]) -> list[int]:
    """The units whose report the roles are for, communes first (a team's is its village's): the 📄 choice."""
    found: dict[int, None] = {}
    for h in sorted(_entitled(held), key=lambda h: h.unit.depth):
        found.setdefault(h.unit.parent_id if h.unit.kind == UnitKind.TEAM and h.unit.parent_id else h.unit.id)
    return list(found)


FILLS_VILLAGE_REPORT = CHI_BO | {Role.TEAM_LEADER}
FILLS_COMMUNE_REPORT = COMMUNE_LEADS
SIGNS_REPORT: dict[UnitKind, Role] = {
    UnitKind.VILLAGE: Role.CHI_BO_SECRETARY,
    UnitKind.COMMUNE: Role.COMMUNE_SECRETARY,
}


def may_fill_report(held: Sequence[Held], unit: OrgUnit) -> bool:
    """Whether the person may fill the village's or the commune's report fields (a team stands for its village)."""
    if unit.kind == UnitKind.COMMUNE:
        return any(h.unit.id == unit.id and h.role in FILLS_COMMUNE_REPORT for h in held)
    if unit.kind != UnitKind.VILLAGE:
        return False
    return any(
        (h.unit.id == unit.id and h.role in CHI_BO)
        or (h.unit.kind == UnitKind.TEAM and h.unit.parent_id == unit.id and h.role == Role.TEAM_LEADER)
        for h in held)


def fill_units(held: Sequence[Held]) -> list[int]:
    """The ids of the villages and communes whose report fields the person may fill, nearest first."""
    found: list[int] = []
    for h in held:
        if h.unit.kind == UnitKind.COMMUNE and h.role in FILLS_COMMUNE_REPORT:
            found.append(h.unit.id)
        elif h.unit.kind == UnitKind.VILLAGE and h.role in CHI_BO:
            found.append(h.unit.id)
        elif h.unit.kind == UnitKind.TEAM and h.role == Role.TEAM_LEADER and h.unit.parent_id is not None:
            found.append(h.unit.parent_id)
    return list(dict.fromkeys(found))
