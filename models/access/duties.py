"""Who runs a team's meetings, gives its households to volunteers, answers for (and marks submitted)
a unit's report, and reminds the units."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_

from models.access.roles import CHI_BO, COMMUNE_LEADS, NHOM_LEADS, NHOM_ROLES, TEAM_LEADS, role_in
from models.access.scope import Held
from models.enums import Role, UnitKind
from models.tables import OrgUnit

# The team's leader and deputies set its meetings, move and cancel them, take the attendance.
SETS_MEETINGS = TEAM_LEADS
# The team's leader and deputies give a household left without a volunteer to one of the team's
# nhóm members or leaders (`TAKES_HOUSEHOLDS`).
ASSIGNS_HOUSEHOLDS = TEAM_LEADS
TAKES_HOUSEHOLDS = NHOM_ROLES
# Who answers for a unit's report, by the unit's kind; they alone mark it submitted.
REPORTS_FOR: dict[UnitKind, frozenset[Role]] = {
    UnitKind.NHOM: NHOM_LEADS,
    UnitKind.TEAM: TEAM_LEADS,
    UnitKind.VILLAGE: CHI_BO,
    UnitKind.COMMUNE: COMMUNE_LEADS,
}
# The commune's leads remind the units that have not submitted a report, from "🗓 Hạn báo cáo".
REMINDS_UNITS = COMMUNE_LEADS


def may_set_meetings(held: Sequence[Held], team: OrgUnit) -> bool:
    return any(h.unit.id == team.id and h.unit.kind == UnitKind.TEAM and h.role in SETS_MEETINGS for h in held)


def sets_meetings(role: ColumnElement[Role], kind: ColumnElement[UnitKind]) -> ColumnElement[bool]:
    """SQL form of `may_set_meetings`, over a membership and its unit."""
    return and_(role_in(role, SETS_MEETINGS), kind == UnitKind.TEAM)


def may_assign_households(held: Sequence[Held], team: OrgUnit) -> bool:
    return any(h.unit.id == team.id and h.unit.kind == UnitKind.TEAM and h.role in ASSIGNS_HOUSEHOLDS for h in held)


def assigns_households(role: ColumnElement[Role], kind: ColumnElement[UnitKind]) -> ColumnElement[bool]:
    """SQL form of `may_assign_households`, over a membership and its unit."""
    return and_(role_in(role, ASSIGNS_HOUSEHOLDS), kind == UnitKind.TEAM)


def takes_households(role: ColumnElement[Role], kind: ColumnElement[UnitKind]) -> ColumnElement[bool]:
    """SQL: a membership that may be given households (a member or leader of a nhóm)."""
    return and_(role_in(role, TAKES_HOUSEHOLDS), kind == UnitKind.NHOM)


def answers_for(role: Role, unit: OrgUnit) -> bool:
    return role in REPORTS_FOR.get(unit.kind, ())


def may_mark_submitted(held: Sequence[Held], unit: OrgUnit) -> bool:
    return any(h.unit.id == unit.id and answers_for(h.role, unit) for h in held)


def may_remind_units(held: Sequence[Held], commune: OrgUnit) -> bool:
    """Whether the person may remind the commune's units that owe a report."""
    return any(h.unit.id == commune.id and h.unit.kind == UnitKind.COMMUNE and h.role in REMINDS_UNITS for h in held)


def answers_for_unit(role: ColumnElement[Role], unit_id: ColumnElement[int], unit: OrgUnit) -> ColumnElement[bool]:
    """SQL form of `answers_for`: a membership at this unit in a role that answers for its report."""
    return and_(unit_id == unit.id, role_in(role, REPORTS_FOR.get(unit.kind, ())))
