"""Which screens a person's roles open: the leaders' gates and the main menu's entries."""

from collections.abc import Sequence

from models.access.broadcasts import author_scopes
from models.access.digests import may_see_digests
from models.access.roles import COMMUNE_OFFICE, LEADERS
from models.access.scope import Held
from models.tables import OrgUnit

# Everybody's entries, before and after the leaders' ones.
FIRST = ("m:visit", "m:concern", "m:households", "m:reports", "m:meetings")
LAST = ("m:mute", "m:lang")


def leads(held: Sequence[Held]) -> bool:
    """A leader of a village or of the commune: the open concerns, the unreachable, report deadlines."""
    return any(h.role in LEADERS for h in held)


def commune_office(held: Sequence[Held]) -> OrgUnit | None:
    """The commune the person's office role is at (its concerns' time limits, its reports overview)."""
    return next((h.unit for h in held if h.role in COMMUNE_OFFICE), None)


def menu_entries(held: Sequence[Held]) -> list[str]:
    """The main menu's entry keys, in the order shown."""
    entries = list(FIRST)
    if leads(held):
        entries += ["m:open", "m:unreachable", "m:deadlines"]
    if commune_office(held) is not None:
        entries.append("m:cr")
    if may_see_digests(held):
        entries.append("m:digest")
    if author_scopes(held):
        entries += ["m:bcast", "m:bcasts"]
    return entries + list(LAST)
