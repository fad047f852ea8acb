"""Who sees the yearly evaluation's running scores, who scores by hand, who confirms the year.

A team's running score ("📈 Xếp loại dự kiến"): its village's leads (team leader, deputies, chi bộ
secretary) and the commune's two leads, who see every team of the commune. The criteria scored by
hand, and the confirmation that freezes the year, are the khối dân vận head's alone.
"""

from collections.abc import Sequence

from models.access.roles import COMMUNE_LEADS, KHOI_HEAD, TEAM_LEADS, VILLAGE_LEADS
from models.access.scope import Held, area_paths
from models.enums import Role, UnitKind
from models.tables import OrgUnit

# By the kind of unit the role is held at: a team's or village's leads see their team's score.
SEES_EVALUATION_AT: dict[UnitKind, frozenset[Role]] = {
    UnitKind.TEAM: VILLAGE_LEADS,
    UnitKind.VILLAGE: VILLAGE_LEADS,
    UnitKind.COMMUNE: COMMUNE_LEADS,
}
SCORES_BY_HAND = KHOI_HEAD
CONFIRMS_EVALUATION = KHOI_HEAD


def _seeing(held: Sequence[Held]) -> list[Held]:
    return [h for h in held if h.role in SEES_EVALUATION_AT.get(h.unit.kind, ())]


def may_see_evaluations(held: Sequence[Held]) -> bool:
    """The menu's "📈 Xếp loại dự kiến"."""
    return bool(_seeing(held))


def may_see_evaluation(held: Sequence[Held], team: OrgUnit) -> bool:
    """A team's running score: its village's leads, and its commune's leads."""
    return team.kind == UnitKind.TEAM and any(team.path.startswith(path) for path in area_paths(_seeing(held)))


def evaluation_commune(held: Sequence[Held]) -> OrgUnit | None:
    """The commune whose every team the person's commune role shows, if any."""
    return next((h.unit for h in _seeing(held) if h.unit.kind == UnitKind.COMMUNE), None)


def scoring_commune(held: Sequence[Held]) -> OrgUnit | None:
    """The commune where the person scores criteria by hand and confirms the year (the khối dân vận head)."""
    return next((h.unit for h in held if h.role in SCORES_BY_HAND and h.unit.kind == UnitKind.COMMUNE), None)


def may_score_by_hand(held: Sequence[Held], commune: OrgUnit) -> bool:
    return any(h.unit.id == commune.id and h.role in SCORES_BY_HAND for h in held)


def may_confirm_evaluation(held: Sequence[Held], commune: OrgUnit) -> bool:
    return any(h.unit.id == commune.id and h.role in CONFIRMS_EVALUATION for h in held)


# The confirmed result of a team goes to its leader and deputies (and the ranking to the khối dân vận group).
TOLD_RESULT = TEAM_LEADS
