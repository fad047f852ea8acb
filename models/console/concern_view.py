"""One concern as the console shows it: the chat's detail screen (`handlers/concerns/detail.py`) in full,
with the same masking (phones always, the household's name where the person may not read it) and
the same audit entry for each view."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import access, audit
from models.concerns import group_posts, people
from models.concerns.workflow import Access, Action, available, visible_by_id
from models.console.concern_actions import assignees
from models.enums import Role
from models.tables import Concern, ConcernEvent, Household, OrgUnit, Person


@dataclass(frozen=True)
class ConcernView:
    concern: Concern
    rights: Access
    village: str
    household: str | None  # shown only where the person may read it
    description: str
    answer: str | None
    history: list[tuple[ConcernEvent, str | None, str]]  # event, actor's name, note masked
    households: int
    told: int
    assignee: str | None
    actions: list[str]
    assignees: Sequence[tuple[Person, Role]]


async def concern_view(session: AsyncSession, held: Sequence[access.Held], person_id: int, concern_id: int
                       ) -> ConcernView | None:
    """None both for a concern that does not exist and for one the person may not see."""
    found = await visible_by_id(session, person_id, concern_id, held)
    if found is None:
        return None
    concern, rights = found
    audit.record(session, "concern.view", "concern", concern.id, actor_id=person_id,
                 actor_label=f"person:{person_id}", details={"reference": concern.reference, "web": True})
    village = await session.get(OrgUnit, concern.village_id)
    household = await session.get(Household, concern.household_id) if concern.household_id else None
    shown = rights.names_household(concern.category)
    hidden = household.head_name if household is not None and not shown else None
    names = await people.names(session, {concern.assignee_id} if concern.assignee_id else set())
    total, told = await people.household_counts(session, concern.id)
    history = [(event, name, group_posts.masked(event.note, hidden_name=hidden) if event.note else "")
               for event, name in await people.history(session, concern.id, None)]
    actions = available(rights, concern)
    assignable = await assignees(session, concern) if Action.TAKE_ON in actions else ()
    return ConcernView(
        concern=concern, rights=rights, village=village.name if village else "",
        household=household.head_name if household is not None and shown else None,
        description=group_posts.masked(concern.description, hidden_name=hidden),
        answer=group_posts.masked(concern.answer_text, hidden_name=hidden) if concern.answer_text else None,
        history=history, households=max(total, 1), told=told, assignee=names.get(concern.assignee_id),
        actions=actions, assignees=assignable)
