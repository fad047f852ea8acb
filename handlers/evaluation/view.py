"""📈 Xếp loại dự kiến: the score so far, visible all year.

A team's leaders see their team's scorecard with last year's total beside it and the actions that
would raise it most; the commune's two leads see every team's running score, and the khối dân vận
head gets the buttons to score criteria by hand and, once the period is over, to confirm the year.
"""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Ctx
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply
from models import access
from models.enums import UnitKind
from models.evaluation.running import Running, actions, running
from models.evaluation.texts import card_text, ranking_text, total_text
from models.tables import OrgUnit
from models.units import tree


def refusal() -> str:
    return _("Xếp loại dự kiến dành cho tổ trưởng, tổ phó, bí thư chi bộ, trưởng khối dân vận và bí thư Đảng ủy xã.")


async def _commune(ctx: Ctx, held: list[access.Held]) -> OrgUnit | None:
    commune_id = access.commune_of(held)
    return await ctx.session.get(OrgUnit, commune_id) if commune_id is not None else None


def _team_text(state: Running, team_id: int) -> str:
    card = state.evaluation.card(team_id)
    if card is None:
        return ""
    text = card_text(card, state.evaluation, state.last(team_id))
    todo = actions(card, state)
    if todo:
        text += "\n" + _("Việc nên làm để tăng điểm:") + "\n" + "\n".join(f"• {line}" for line in todo)
    return text


async def from_menu(ctx: Ctx) -> list[Reply]:
    """The main menu's 📈 entry."""
    held = list(await ctx.roles())
    commune = await _commune(ctx, held)
    if commune is None or not access.may_see_evaluations(held):
        return [Reply(refusal())]
    state = await running(ctx.session, commune, ctx.tz, ctx.now)
    if access.evaluation_commune(held) is not None:
        text = ranking_text(state.evaluation)
        last = [f"{c.village}: {total_text(c)}" for c in state.last_year.cards]
        if last:
            text += "\n" + _("Năm {year}:").format(year=state.last_year.year) + " " + " · ".join(last)
        return [Reply(text, _khoi_options(held, commune, state))]
    texts = [_team_text(state, team.id) for team in await _own_teams(ctx, held)]
    return [Reply(text) for text in texts if text] or [Reply(refusal())]


async def _own_teams(ctx: Ctx, held: list[access.Held]) -> list[OrgUnit]:
    """The teams whose score the person's village roles show (a chi bộ secretary's is the village's team)."""
    found: dict[int, OrgUnit] = {}
    for h in held:
        units = [h.unit] if h.unit.kind == UnitKind.TEAM else (
            await tree.children(ctx.session, h.unit, UnitKind.TEAM) if h.unit.kind == UnitKind.VILLAGE else [])
        found.update({u.id: u for u in units if access.may_see_evaluation(held, u)})
    return list(found.values())


def _khoi_options(held: list[access.Held], commune: OrgUnit, state: Running) -> tuple[Option, ...]:
    if not access.may_score_by_hand(held, commune):
        return ()
    options = [Option("m:main", _("🏠 Trang chính"))]
    if state.evaluation.confirmed_at is None:
        options.append(Option("ev:s", _("✍ Chấm điểm tiêu chí chấm tay")))
    # This year's after its period's end; before then, last year's while it waits for its confirmation.
    if state.evaluation.closed:
        closing = state.evaluation if state.evaluation.confirmed_at is None else None
    else:
        closing = state.last_year if state.last_year.confirmed_at is None and state.last_year.cards else None
    if closing is not None:
        options.append(Option("ev:c", _("✅ Xác nhận kết quả năm {year}").format(year=closing.year)))
    return tuple(options) if len(options) > 1 else ()


@action("ev")
async def pressed(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    """The khối dân vận head's buttons under the ranking."""
    if key == "ev:s":
        return "evaluation_scores", {}
    if key == "ev:c":
        return "evaluation_close", {}
    return [Reply(_("Nút này đã cũ."))]
