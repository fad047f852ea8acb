"""Giving a household left without a volunteer to a member of the team: the leader's “🏠 Giao hộ”
button on the message a roster change sends, then a household and a member, one at a time."""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply
from models import access
from models.households import volunteers
from models.tables import OrgUnit

LISTED = 8


@action("ra")
async def open_from_notice(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    team_id = key_number(key[3:])
    if team_id is None:
        return [Reply(_("Nút này đã cũ."))]
    return "reassign", {"team": team_id}


async def _team(ctx: Ctx) -> OrgUnit:
    team = await ctx.session.get(OrgUnit, ctx.data["team"])
    if team is None or not access.may_assign_households(await ctx.roles(), team):
        raise Invalid(_("Chỉ tổ trưởng, tổ phó của tổ mới giao hộ cho thành viên được."))
    return team


async def start(ctx: Ctx) -> str:
    _rows, total = await volunteers.unassigned(ctx.session, await _team(ctx), LISTED)
    if not total:
        raise Invalid(_("Mọi hộ của tổ đều đã có người phụ trách."))
    return "household"


async def ask_household(ctx: Ctx) -> Prompt:
    rows, total = await volunteers.unassigned(ctx.session, await _team(ctx), LISTED)
    text = _("🏠 {count} hộ chưa có người phụ trách. Chọn hộ cần giao:").format(count=total)
    return Prompt(text, tuple(Option(f"rh:{h.id}", f"{h.head_name} — {h.nhom}"[:60]) for h in rows))


async def accept_household(ctx: Ctx, answer: Answer) -> str:
    if answer.option is None or not answer.option.key.startswith("rh:"):
        raise Invalid(_("Chọn một hộ trong danh sách."))
    ctx.put(household=int(answer.option.key[3:]), household_label=answer.option.label)
    return "member"


async def ask_member(ctx: Ctx) -> Prompt:
    team = await _team(ctx)
    found = await volunteers.volunteers(ctx.session, team)
    if not found:
        return Prompt(_("Tổ chưa có thành viên nào để giao hộ."))
    return Prompt(_("Giao hộ {household} cho ai?").format(household=ctx.data["household_label"]),
                  tuple(Option(f"rp:{v.id}", f"{v.full_name} — {v.nhom}"[:60]) for v in found[:20]))


async def accept_member(ctx: Ctx, answer: Answer) -> None:
    if answer.option is None or not answer.option.key.startswith("rp:"):
        raise Invalid(_("Chọn một thành viên trong danh sách."))
    ctx.put(member=int(answer.option.key[3:]))
    return None


async def finish(ctx: Ctx) -> list[Reply]:
    team = await _team(ctx)
    given = await volunteers.give(ctx.session, team, ctx.data["household"], ctx.data["member"],
                                  actor_id=ctx.person.id)
    if given is None:
        return [Reply(_("Không giao được: hộ hoặc thành viên không còn trong tổ."))]
    household, person = given
    await ctx.session.flush()
    _rows, left = await volunteers.unassigned(ctx.session, team, 1)
    if left:  # the next one straight away: a list of them came in the message
        ctx.put(_next_flow="reassign", _next_data={"team": team.id})
    return [Reply(_("✅ Đã giao hộ {household} cho {member}.").format(household=household.head_name,
                                                                      member=person.full_name))]


FLOW = Flow(name="reassign", first="household", finish=finish, start=start,
            steps={"household": Step("household", ask_household, accept_household, next=("member",)),
                   "member": Step("member", ask_member, accept_member)})
