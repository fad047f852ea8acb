"""Which screens a person's roles open: the leaders' gates, the main menu's entries and how they fold."""

from collections.abc import Sequence

from models.access.broadcasts import author_scopes
from models.access.digests import may_see_digests
from models.access.evaluation import may_see_evaluations
from models.access.households import stale_scopes
from models.access.reports import report_units
from models.access.roles import COMMUNE_OFFICE, LEADERS, NHOM_LEADS
from models.access.scope import Held
from models.access.surveys import survey_communes
from models.access.web import may_use_console
from models.enums import UnitKind
from models.tables import OrgUnit

# Everybody's entries, before and after the leaders' ones.
FIRST = ("m:visit", "m:concern", "m:households", "m:reports", "m:meetings", "m:camp", "m:survey")
LAST = ("m:mute", "m:lang")
# A small phone shows about eight buttons without scrolling: a longer menu keeps its first
# screen to MENU_LIMIT entries (the last one opens the rest, MORE) and moves entries one level
# down in this order, the ones used least first, until it fits. An entry not named stays on top.
MENU_LIMIT = 8
MORE = "m:more"
FOLD_ORDER = ("m:web", "m:dvk", "m:eval", "m:groups", "m:surveys", "m:official", "m:lang", "m:mute", "m:cr",
              "m:unreachable", "m:bcasts", "m:deadlines", "m:bcast", "m:survey", "m:camp", "m:digest", "m:stale",
              "m:open", "m:nhom")


def leads(held: Sequence[Held]) -> bool:
    """A leader of a village or of the commune: the open concerns, the unreachable, report deadlines."""
    return any(h.role in LEADERS for h in held)


def commune_office(held: Sequence[Held]) -> OrgUnit | None:
    """The commune the person's office role is at (its concerns' time limits, its reports overview)."""
    return next((h.unit for h in held if h.role in COMMUNE_OFFICE), None)


def nhom_led(held: Sequence[Held]) -> list[OrgUnit]:
    """The nhóm the person leads: their "👥 Nhóm của tôi" screen."""
    return [h.unit for h in held if h.role in NHOM_LEADS and h.unit.kind == UnitKind.NHOM]


def menu_entries(held: Sequence[Held]) -> list[str]:
    """The main menu's entry keys, in the order shown; none for a person who holds no role any more."""
    if not held:
        return []
    entries = list(FIRST)
    if leads(held):
        entries += ["m:open", "m:unreachable", "m:deadlines", "m:groups", "m:dvk"]
    if nhom_led(held):
        entries.append("m:nhom")
    if stale_scopes(held):
        entries.append("m:stale")
    if commune_office(held) is not None:
        entries.append("m:cr")
    if may_see_digests(held):
        entries.append("m:digest")
    if report_units(held):
        entries.append("m:official")
    if author_scopes(held):
        entries += ["m:bcast", "m:bcasts"]
    if may_see_evaluations(held):
        entries.append("m:eval")
    if survey_communes(held):
        entries.append("m:surveys")
    if may_use_console(held):
        entries.append("m:web")
    return entries + list(LAST)


def menu_screens(held: Sequence[Held]) -> tuple[list[str], list[str]]:
    """The entries of the first screen (ending with MORE when some are folded) and of the one below."""
    return fold_entries(menu_entries(held))


def fold_entries(entries: Sequence[str]) -> tuple[list[str], list[str]]:
    """`entries` split so the first screen holds at most MENU_LIMIT, MORE included."""
    if len(entries) <= MENU_LIMIT:
        return list(entries), []
    down: set[str] = set()
    for key in FOLD_ORDER:
        if len(entries) - len(down) + 1 <= MENU_LIMIT:
            break
        if key in entries:
            down.add(key)
    return [e for e in entries if e not in down] + [MORE], [e for e in entries if e in down]
