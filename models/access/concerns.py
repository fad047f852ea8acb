"""Who sees a concern, who acts on it at each level, who is told of it, who may read the household."""

from collections.abc import Sequence
from dataclasses import dataclass

from models.access.roles import (
    CHI_BO,
    COMMUNE_LEADS,
    COMMUNE_OFFICE,
    LEADERS,
    LEADERS_BUT_ADMIN,
    TEAM_LEADS,
    VILLAGE_LEADS,
)
from models.access.scope import Held, area_paths
from models.enums import ConcernCategory, ConcernLevel, Role
from models.tables import OrgUnit

# Who acts at each level: a concern escalated leaves the hands below.
ACTS_AT: dict[ConcernLevel, frozenset[Role]] = {
    ConcernLevel.TEAM: VILLAGE_LEADS | COMMUNE_OFFICE,
    ConcernLevel.CHI_BO: CHI_BO | COMMUNE_OFFICE,
    ConcernLevel.COMMUNE: COMMUNE_OFFICE,
}
# Who is told of a concern arriving at each level (and of one overdue there).
TOLD_AT: dict[ConcernLevel, frozenset[Role]] = {
    ConcernLevel.TEAM: TEAM_LEADS,
    ConcernLevel.CHI_BO: CHI_BO,
    ConcernLevel.COMMUNE: COMMUNE_LEADS,
}
# A concern may be given to anyone of the village, or to the commune's leads; offered in this order.
ASSIGNABLE_AT_COMMUNE = COMMUNE_LEADS
ASSIGNEE_ORDER = (Role.TEAM_LEADER, Role.TEAM_DEPUTY, Role.CHI_BO_SECRETARY, Role.KHOI_DAN_VAN_HEAD,
                  Role.COMMUNE_SECRETARY, Role.GROUP_LEADER, Role.MEMBER)


@dataclass(frozen=True)
class ConcernAccess:
    """One person's rights on one concern."""

    roles: frozenset[Role]  # the person's roles that cover the concern's village
    holds: bool  # may act at the concern's level
    reporter: bool
    assignee: bool

    @property
    def sees(self) -> bool:
        return bool(self.roles) or self.reporter or self.assignee

    def names_household(self, category: ConcernCategory) -> bool:
        """Never for a complaint or denunciation, never to the admin; always to who logged it."""
        return self.reporter or (bool(self.roles & LEADERS_BUT_ADMIN) and category != ConcernCategory.COMPLAINT)

    def refusal(self) -> str:
        """Why an action is refused: escalated out of a leader's hands, or only readable."""
        return "level" if self.roles & LEADERS else "read_only"


def concern_leads(held: Sequence[Held]) -> list[Held]:
    """The roles that give sight of a village's concerns (a member's nhóm widens to nothing)."""
    return [h for h in held if h.role in LEADERS]


def covering(held: Sequence[Held], village: OrgUnit) -> frozenset[Role]:
    """The person's leading roles whose area (a team's or nhóm's widened to its village) holds the village."""
    return frozenset(h.role for h in concern_leads(held)
                     if any(village.path.startswith(p) for p in area_paths([h])))


def concern_access(held: Sequence[Held], village: OrgUnit, level: ConcernLevel, *, reporter: bool,
                   assignee: bool) -> ConcernAccess:
    roles = covering(held, village)
    return ConcernAccess(roles=roles, holds=bool(roles & ACTS_AT[level]), reporter=reporter, assignee=assignee)
