"""Who pages through the households nobody visited lately, by name, and over which units."""

from collections.abc import Sequence

from models.access.roles import NHOM_LEADS, TEAM_LEADS
from models.access.scope import Held
from models.enums import Role, UnitKind
from models.tables import OrgUnit

# A nhóm's leader lists the nhóm's households, a team's leader and deputies the team's.
STALE_LIST_AT: dict[UnitKind, frozenset[Role]] = {UnitKind.NHOM: NHOM_LEADS, UnitKind.TEAM: TEAM_LEADS}


def stale_scopes(held: Sequence[Held]) -> list[OrgUnit]:
    """The units whose households not visited for 60 days the person may list (teams first)."""
    found = {h.unit.id: h.unit for h in held if h.role in STALE_LIST_AT.get(h.unit.kind, ())}
    return sorted(found.values(), key=lambda unit: (unit.depth, unit.name))
