"""Who may broadcast to which unit, whom they may address, and who hears of the silent."""

from collections.abc import Sequence

from models.access.roles import COMMUNE_AUDIENCE, COMMUNE_LEADS, TEAM_AUDIENCE, TEAM_LEADS
from models.access.scope import Held
from models.enums import Role, UnitKind
from models.tables import OrgUnit

# The commune's leads speak for the commune; a team's leader and deputies for their team.
AUTHORS_AT: dict[UnitKind, frozenset[Role]] = {UnitKind.COMMUNE: COMMUNE_LEADS, UnitKind.TEAM: TEAM_LEADS}
# Who hears which members stayed silent, by the team they are in: its leader, or its deputies if none.
SILENCE_TOLD_TO = (Role.TEAM_LEADER, Role.TEAM_DEPUTY)


def author_scopes(held: Sequence[Held]) -> list[OrgUnit]:
    """The units the person may broadcast to: communes first, then teams."""
    found = {h.unit.id: h.unit for h in held if h.role in AUTHORS_AT.get(h.unit.kind, ())}
    return sorted(found.values(), key=lambda unit: (unit.depth, unit.name))


def may_broadcast(held: Sequence[Held], unit: OrgUnit) -> bool:
    return any(u.id == unit.id for u in author_scopes(held))


def audience_roles(unit: OrgUnit) -> tuple[Role, ...]:
    """Roles an author may pick: a team's own roles for a team, every role but the admin for the commune."""
    return COMMUNE_AUDIENCE if unit.kind == UnitKind.COMMUNE else TEAM_AUDIENCE
