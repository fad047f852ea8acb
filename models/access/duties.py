"""Who runs a team's meetings, who answers for (and marks submitted) a unit's report, who reminds the units."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_

from models.access.roles import CHI_BO, COMMUNE_LEADS, NHOM_LEADS, TEAM_LEADS, role_in
from models.access.scope import Held
from models.enums import Role, UnitKind
from models.tables import OrgUnit

# The team's leader and deputies set its meetings, move and cancel them, take the attendance.
SETS_MEETINGS = TEAM_LEADS
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
