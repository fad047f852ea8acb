"""The named role sets: each group of roles some right is given to, under one name, defined once."""

from collections.abc import Iterable

from sqlalchemy import ColumnElement

from models.enums import Role

NHOM_LEADS = frozenset({Role.GROUP_LEADER})
# The roles held at a nhóm: who may be given households to visit.
NHOM_ROLES = NHOM_LEADS | {Role.MEMBER}
TEAM_LEADS = frozenset({Role.TEAM_LEADER, Role.TEAM_DEPUTY})
CHI_BO = frozenset({Role.CHI_BO_SECRETARY})
VILLAGE_LEADS = TEAM_LEADS | CHI_BO
COMMUNE_LEADS = frozenset({Role.KHOI_DAN_VAN_HEAD, Role.COMMUNE_SECRETARY})
# The head of the khối dân vận alone: who scores the yearly evaluation by hand and confirms it.
KHOI_HEAD = frozenset({Role.KHOI_DAN_VAN_HEAD})
# The commune's office: its leads and the admin, who acts on concerns and settings but reads no names.
COMMUNE_OFFICE = COMMUNE_LEADS | {Role.ADMIN}
# Who follows a village's work (its concerns, its unreachable people, its reports' deadlines).
LEADERS = VILLAGE_LEADS | COMMUNE_OFFICE
# The leaders who may read households' names and monthly digests: every leader but the admin.
LEADERS_BUT_ADMIN = VILLAGE_LEADS | COMMUNE_LEADS

# Who makes up a unit's group in the documents (seed 003), for posts when no group chat is bound:
# the chi bộ group is the village's secretary and its team's leaders; the commune's group is the
# bloc's leads and every team leader. (The Front's chair and the mass organisations' heads, also
# in it, hold no role in the product yet.)
CHI_BO_GROUP_AT_VILLAGE = CHI_BO
CHI_BO_GROUP_AT_TEAM = TEAM_LEADS
COMMUNE_GROUP_AT_COMMUNE = COMMUNE_LEADS
COMMUNE_GROUP_AT_TEAM = frozenset({Role.TEAM_LEADER})

# Ordered, for screens: the roles a team's author may address, and a commune's author (all but the admin).
TEAM_AUDIENCE = (Role.MEMBER, Role.GROUP_LEADER, Role.TEAM_LEADER, Role.TEAM_DEPUTY)
COMMUNE_AUDIENCE = (*TEAM_AUDIENCE, Role.CHI_BO_SECRETARY, Role.KHOI_DAN_VAN_HEAD, Role.COMMUNE_SECRETARY)


def role_in(column: ColumnElement[Role], roles: Iterable[Role]) -> ColumnElement[bool]:
    """SQL: the membership's role is one of `roles` (sorted: the same statement text every time)."""
    return column.in_(sorted(roles, key=lambda role: role.value))
