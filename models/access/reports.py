"""Who fills an official report's figures only people know, and who signs the report.

A village's report (the team's results, issued by its chi bộ) is filled by the chi bộ secretary
and by the team leader, who knows the team's work first-hand; the commune's by the khối dân vận
head and the commune Party secretary. The secretary of the issuing body signs (T/M … BÍ THƯ).
"""

from collections.abc import Sequence

from models.access.roles import CHI_BO, COMMUNE_LEADS
from models.access.scope import Held
from models.enums import Role, UnitKind
from models.tables import OrgUnit

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


def report_units(held: Sequence[Held]) -> list[int]:
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
