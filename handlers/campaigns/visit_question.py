"""The visit flow's one campaign question: asked only when the household is in an open campaign with no
final outcome for it, and recorded with the visit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _
from handlers.campaigns.record import outcome_prompt, picked_option
from handlers.engine.flow import Answer, Ctx, Prompt
from handlers.engine.types import Option
from models.access import Held
from models.campaigns import outcomes, visits
from models.tables import Household

KEYS = ("campaign_row", "campaign_option")
SKIP = "co:skip"


def loader(ctx: Ctx) -> Callable[[AsyncSession, Sequence[Held], int],
                                  Awaitable[tuple[Household, bool, int | None] | None]]:
    """The picker's household read for a visit today: the household, an answer waiting, a campaign row."""
    async def load(session: AsyncSession, held: Sequence[Held], household_id: int
                   ) -> tuple[Household, bool, int | None] | None:
        return await visits.household_for_visit(session, held, household_id, ctx.today)
    return load


async def ask(ctx: Ctx) -> Prompt:
    prompt = await outcome_prompt(ctx, ctx.data["campaign_row"], ctx.data["household_name"])
    return Prompt(prompt.text, (*prompt.options, Option(SKIP, _("Chưa hỏi, bỏ qua"))), columns=prompt.columns)


async def accept(ctx: Ctx, answer: Answer) -> str:
    if answer.option is not None and answer.option.key == SKIP:
        ctx.put(campaign_option=None)
    else:
        ctx.put(campaign_option=picked_option(answer))
    return "raised"


async def record(ctx: Ctx, visit_id: int) -> str | None:
    """The outcome chosen, recorded against the visit just saved; the line that says so."""
    row_id, option_id = ctx.data.get("campaign_row"), ctx.data.get("campaign_option")
    if not row_id or not option_id:
        return None
    option = await outcomes.record(ctx.session, row_id, option_id, person_id=ctx.person.id, now=ctx.now,
                                   visit_id=visit_id)
    return _("📣 Kết quả vận động: {outcome}.").format(outcome=option.label) if option else None
