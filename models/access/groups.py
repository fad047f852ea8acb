"""Which units (and purposes) a person may bind a group chat to, from the units their roles are at."""

from collections.abc import Sequence

from models.access.roles import CHI_BO, COMMUNE_OFFICE, NHOM_LEADS, TEAM_LEADS
from models.access.scope import Held
from models.enums import GroupPurpose, Role, UnitKind
from models.tables import OrgUnit

# Where a binding lands from the unit a role is held at: "self", "parent", or a kind (its children of that kind).
Reach = tuple[tuple[str | UnitKind, GroupPurpose], ...]
# (roles, the kind of unit they are held at, what they may bind), leaders' own units first.
BINDINGS: tuple[tuple[frozenset[Role], UnitKind, Reach], ...] = (
    (NHOM_LEADS, UnitKind.NHOM, (("self", GroupPurpose.NHOM),)),
    (TEAM_LEADS, UnitKind.TEAM, (("parent", GroupPurpose.CHI_BO), ("self", GroupPurpose.TEAM),
                                 (UnitKind.NHOM, GroupPurpose.NHOM))),
    (CHI_BO, UnitKind.VILLAGE, (("self", GroupPurpose.CHI_BO), (UnitKind.TEAM, GroupPurpose.TEAM))),
    (COMMUNE_OFFICE, UnitKind.COMMUNE, (("self", GroupPurpose.KHOI_DAN_VAN),
                                        (UnitKind.VILLAGE, GroupPurpose.CHI_BO))),
)


def binding_reach(h: Held) -> Reach:
    """What one held role lets the person bind (nothing for a member)."""
    return next((reach for roles, kind, reach in BINDINGS if h.role in roles and h.unit.kind == kind), ())


def may_bind(held: Sequence[Held], unit: OrgUnit, purpose: GroupPurpose) -> bool:
    for h in held:
        for where, allowed in binding_reach(h):
            if allowed != purpose:
                continue
            if ((where == "self" and unit.id == h.unit.id) or (where == "parent" and unit.id == h.unit.parent_id)
                    or (where == unit.kind and unit.parent_id == h.unit.id)):
                return True
    return False
