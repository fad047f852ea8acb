"""Who writes surveys and reads their results, and who is asked one directly.

The commune's office (its two leads and the admin) writes and publishes the commune's surveys and
reads their results (counts by village, no names). A household survey is answered by the
household's volunteer, who sees the household (`sees_household`); a survey for members and
leaders goes to everyone holding a role in the commune but the admin.
"""

from collections.abc import Sequence

from models.access.roles import COMMUNE_AUDIENCE, COMMUNE_OFFICE
from models.access.scope import Held
from models.enums import Role, UnitKind
from models.tables import OrgUnit

SURVEY_AUTHORS = COMMUNE_OFFICE
SURVEYED: tuple[Role, ...] = COMMUNE_AUDIENCE


def survey_communes(held: Sequence[Held]) -> list[OrgUnit]:
    """The communes whose surveys the person writes and reads the results of."""
    found = {h.unit.id: h.unit for h in held if h.role in SURVEY_AUTHORS and h.unit.kind == UnitKind.COMMUNE}
    return sorted(found.values(), key=lambda unit: unit.name)


def may_author_survey(held: Sequence[Held], commune: OrgUnit) -> bool:
    return any(unit.id == commune.id for unit in survey_communes(held))


def surveyed(held: Sequence[Held], commune: OrgUnit) -> bool:
    """Whether a survey of the commune for members and leaders is sent to the person."""
    return any(h.role in SURVEYED and h.unit.path.startswith(commune.path) for h in held)
