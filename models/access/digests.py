"""Who may see (and receives) a village's or the commune's monthly digest."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, or_

from models.access.roles import COMMUNE_LEADS, VILLAGE_LEADS, role_in
from models.access.scope import Held, area_paths
from models.enums import Role, UnitKind
from models.tables import OrgUnit

# The roles that carry a digest, by the kind of unit they are held at (a team's is its village's).
DIGEST_AT: dict[UnitKind, frozenset[Role]] = {
    UnitKind.TEAM: VILLAGE_LEADS,
    UnitKind.VILLAGE: VILLAGE_LEADS,
    UnitKind.COMMUNE: COMMUNE_LEADS,
}


def entitled(held: Sequence[Held]) -> list[Held]:
    """The roles that carry a digest: village roles at a team or village, commune roles at a commune."""
    return [h for h in held if h.role in DIGEST_AT.get(h.unit.kind, ())]


def may_see_digests(held: Sequence[Held]) -> bool:
    return bool(entitled(held))


def own_units(held: Sequence[Held]) -> list[tuple[UnitKind, int]]:
    """The units whose digest the roles are for: communes first, then villages (a team's is its village's)."""
    found: dict[int, UnitKind] = {}
    for h in sorted(entitled(held), key=lambda h: h.unit.depth):
        if h.unit.kind == UnitKind.TEAM and h.unit.parent_id is not None:
            found.setdefault(h.unit.parent_id, UnitKind.VILLAGE)
        else:
            found.setdefault(h.unit.id, h.unit.kind)
    return [(kind, unit_id) for unit_id, kind in found.items()]


def covers_village(held: Sequence[Held], village: OrgUnit) -> bool:
    """Whether the digest roles reach this village: its own leaders, or its commune's leaders."""
    return any(village.path.startswith(path) for path in area_paths(entitled(held)))


def may_see_digest(held: Sequence[Held], unit: OrgUnit) -> bool:
    """A village's digest: its leaders and its commune's; a commune's: the commune's leads."""
    if unit.kind == UnitKind.VILLAGE:
        return covers_village(held, unit)
    return unit.kind == UnitKind.COMMUNE and (UnitKind.COMMUNE, unit.id) in own_units(held)


def commune_of(held: Sequence[Held]) -> int | None:
    """The commune of the first role carrying a digest (read from the unit's path: no query)."""
    for h in entitled(held):
        parts = [int(p) for p in h.unit.path.strip("/").split("/")]
        depth_of_commune = h.unit.depth - {UnitKind.COMMUNE: 0, UnitKind.VILLAGE: 1, UnitKind.TEAM: 2}[h.unit.kind]
        return parts[depth_of_commune]
    return None


def receives_digest(role: ColumnElement[Role], kind: ColumnElement[UnitKind]) -> ColumnElement[bool]:
    """SQL form of `entitled` for the job's recipients: a membership's role at its unit's kind."""
    return or_(*(and_(role_in(role, roles), kind == unit_kind) for unit_kind, roles in DIGEST_AT.items()))
