"""Who creates campaigns, who follows their progress and names, and who proposes and approves
"Dân vận khéo" models."""

from collections.abc import Sequence

from models.access.roles import COMMUNE_LEADS, LEADERS, LEADERS_BUT_ADMIN, TEAM_LEADS
from models.access.scope import Held, area_paths
from models.enums import Role, UnitKind
from models.tables import OrgUnit

# A commune's leads create campaigns for the commune; a team leader for the team's village.
CAMPAIGN_AUTHORS_AT: dict[UnitKind, frozenset[Role]] = {UnitKind.COMMUNE: COMMUNE_LEADS,
                                                        UnitKind.TEAM: frozenset({Role.TEAM_LEADER})}
# Progress is figures: every leader whose area meets the campaign's. Names: every leader but the admin.
FOLLOWS_CAMPAIGNS = LEADERS
NAMES_CAMPAIGN_HOUSEHOLDS = LEADERS_BUT_ADMIN
# A team leader proposes a model for the team's village; the khối dân vận head approves or returns it.
PROPOSES_MODELS = frozenset({Role.TEAM_LEADER})
REVIEWS_MODELS = frozenset({Role.KHOI_DAN_VAN_HEAD})
LISTS_MODELS = LEADERS


def campaign_author_units(held: Sequence[Held]) -> list[int]:
    """The units the person may create a campaign for: communes, then villages (a team's is its village)."""
    found: list[int] = []
    for h in sorted(held, key=lambda h: h.unit.depth):
        if h.role not in CAMPAIGN_AUTHORS_AT.get(h.unit.kind, ()):
            continue
        unit_id = h.unit.id if h.unit.kind == UnitKind.COMMUNE else h.unit.parent_id
        if unit_id is not None and unit_id not in found:
            found.append(unit_id)
    return found


def may_create_campaign(held: Sequence[Held], unit: OrgUnit) -> bool:
    return unit.kind in (UnitKind.COMMUNE, UnitKind.VILLAGE) and unit.id in campaign_author_units(held)


def _meets(held: Sequence[Held], roles: frozenset[Role], scope: OrgUnit) -> bool:
    """A role of `roles` whose area (a team's or nhóm's widened to its village) lies under or over `scope`."""
    paths = area_paths([h for h in held if h.role in roles])
    return any(scope.path.startswith(p) or p.startswith(scope.path) for p in paths)


def follows_campaign(held: Sequence[Held], scope: OrgUnit) -> bool:
    """Progress of a campaign of `scope` (its commune or village)."""
    return _meets(held, FOLLOWS_CAMPAIGNS, scope)


def names_campaign_households(held: Sequence[Held], scope: OrgUnit) -> bool:
    """The households' names and outcomes of a campaign (its spreadsheet), within the person's area."""
    return _meets(held, NAMES_CAMPAIGN_HOUSEHOLDS, scope)


def names_area(held: Sequence[Held]) -> set[str]:
    """The unit paths whose households' names the roles may read on a campaign's list."""
    return area_paths([h for h in held if h.role in NAMES_CAMPAIGN_HOUSEHOLDS])


def proposing_teams(held: Sequence[Held]) -> list[OrgUnit]:
    """The teams the person may propose a "Dân vận khéo" model for."""
    return [h.unit for h in held if h.role in PROPOSES_MODELS and h.unit.kind == UnitKind.TEAM]


def may_propose_model(held: Sequence[Held], team: OrgUnit) -> bool:
    return any(t.id == team.id for t in proposing_teams(held))


def reviewing_communes(held: Sequence[Held]) -> list[OrgUnit]:
    """The communes whose proposed models the person approves or returns."""
    return [h.unit for h in held if h.role in REVIEWS_MODELS and h.unit.kind == UnitKind.COMMUNE]


def may_review_model(held: Sequence[Held], commune: OrgUnit) -> bool:
    return any(c.id == commune.id for c in reviewing_communes(held))


def lists_models(held: Sequence[Held], unit: OrgUnit) -> bool:
    """The approved models of a village or commune: its leaders and the commune's office."""
    return _meets(held, LISTS_MODELS, unit)


def campaign_view_area(held: Sequence[Held], scope: OrgUnit) -> str | None:
    """The part of a campaign the person's figures cover: None for the whole (a leader at or above its
    unit), else their own village's (a village leader on a commune's campaign, or a member)."""
    following = area_paths([h for h in held if h.role in FOLLOWS_CAMPAIGNS])
    if any(scope.path.startswith(p) for p in following):
        return None
    return next((p for p in sorted(following or area_paths(held)) if p.startswith(scope.path)), scope.path)


def models_unit(held: Sequence[Held]) -> int | None:
    """The unit whose approved models the person's list shows: their commune, else their village."""
    for h in sorted(held, key=lambda h: h.unit.depth):
        if h.role not in LISTS_MODELS:
            continue
        if h.unit.kind in (UnitKind.COMMUNE, UnitKind.VILLAGE):
            return h.unit.id
        if h.unit.kind == UnitKind.TEAM:
            return h.unit.parent_id
    return None


# Who hears that a campaign reached its target or has a week left: a commune's campaign, the commune's
# leads; a village's, its team's leader and deputies (and whoever created either).
TOLD_OF_CAMPAIGN_AT_COMMUNE = COMMUNE_LEADS
TOLD_OF_CAMPAIGN_AT_TEAM = TEAM_LEADS
