"""The visit flow's household read, with the campaign question folded in: the same one query as before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.access import Held, covers_bound, scope_params
from models.campaigns.outcomes import campaign_waiting
from models.concerns.passing_on import answer_waits
from models.tables import Household, OrgUnit


async def household_for_visit(session: AsyncSession, held: Sequence[Held], household_id: int, day: dt.date
                              ) -> tuple[Household, bool, int | None] | None:
    """The household if the roles cover it, whether an answer waits for it, and its row in an open
    campaign that has no final outcome for it (None: nothing to ask)."""
    paths = scope_params(held)
    row = (await session.execute(_statement(len(paths)), {**paths, "household_id": household_id, "day": day})).first()
    return (row[0], bool(row[1]), row[2]) if row else None


@cache
def _statement(paths: int) -> Select[Any]:
    # `concerns.passing_on.household_for_visit` with the campaign's scalar subquery beside the EXISTS.
    return (select(Household, answer_waits(Household.id), campaign_waiting())
            .join(OrgUnit, OrgUnit.id == Household.nhom_id)
            .where(Household.id == bindparam("household_id"), Household.active.is_(True),
                   covers_bound(OrgUnit.path, paths)))
