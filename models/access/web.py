"""Who may open the web console: the leaders who follow a village's or the commune's work.

The console shows nothing the chat would not: each page asks the same rights as the chat's screens
(`concern_access`, `may_see_digest`, …); this right only decides who gets a login link.
"""

from collections.abc import Sequence

from models.access.roles import LEADERS
from models.access.scope import Held
from models.tables import OrgUnit

# The team's leader and deputies, the chi bộ secretary and the commune's office.
USES_CONSOLE = LEADERS


def may_use_console(held: Sequence[Held]) -> bool:
    return any(h.role in USES_CONSOLE for h in held)


def uses_console_in(held: Sequence[Held], commune: OrgUnit) -> bool:
    """The console opens on this commune: a leader's role is held in it."""
    return any(h.role in USES_CONSOLE and h.unit.path.startswith(commune.path) for h in held)
