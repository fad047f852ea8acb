"""Which units (and purposes) a person may bind a group chat to, from the units their roles are at."""

from collections.abc import Sequence

from sqlalchemy import Select, and_, false, or_, select

from models.access.roles import (
    CHI_BO,
    CHI_BO_GROUP_AT_TEAM,
    CHI_BO_GROUP_AT_VILLAGE,
    COMMUNE_GROUP_AT_COMMUNE,
    COMMUNE_GROUP_AT_TEAM,
    COMMUNE_OFFICE,
    NHOM_LEADS,
    TEAM_LEADS,
    role_in,
)
from models.access.scope import Held
from models.enums import GroupPurpose, Role, UnitKind
from models.tables import Membership, OrgUnit

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


# Who makes up a group where no group chat can be bound (seed 003): (roles, held at the unit itself
# or at the teams under it). Posts meant for the group go to these people instead, and they see
# what the group would see (the household's name in the chi bộ's, never in the commune's).
GROUP_MEMBERS: dict[GroupPurpose, tuple[tuple[frozenset[Role], str], ...]] = {
    GroupPurpose.CHI_BO: ((CHI_BO_GROUP_AT_VILLAGE, "self"), (CHI_BO_GROUP_AT_TEAM, "teams")),
    GroupPurpose.KHOI_DAN_VAN: ((COMMUNE_GROUP_AT_COMMUNE, "self"), (COMMUNE_GROUP_AT_TEAM, "teams")),
}


def group_member_roles(purpose: GroupPurpose) -> tuple[Role, ...]:
    """The roles of the people who stand in for a group of `purpose`, in the order of their labels."""
    found = [role for roles, _where in GROUP_MEMBERS.get(purpose, ()) for role in sorted(roles, key=list(Role).index)]
    return tuple(dict.fromkeys(found))


def group_members(unit: OrgUnit, purpose: GroupPurpose) -> Select[tuple[int]]:
    """SQL: the ids of the people who make up the unit's group of `purpose` (none for team and nhóm groups)."""
    conditions = []
    for roles, where in GROUP_MEMBERS.get(purpose, ()):
        if where == "self":
            conditions.append(and_(Membership.unit_id == unit.id, role_in(Membership.role, roles)))
        else:
            teams = select(OrgUnit.id).where(OrgUnit.kind == UnitKind.TEAM, OrgUnit.path.startswith(unit.path))
            conditions.append(and_(Membership.unit_id.in_(teams), role_in(Membership.role, roles)))
    return (select(Membership.person_id).distinct()
            .where(Membership.ended_at.is_(None), or_(*conditions) if conditions else false()))
