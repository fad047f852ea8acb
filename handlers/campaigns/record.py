"""✍ Ghi kết quả vận động: one's households of a campaign that still want an outcome, one after another,
without logging visits (the visit flow asks the same question at the door)."""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay, Step
from handlers.engine.keys import key_number
from handlers.engine.types import Option, Reply
from models.campaigns import outcomes

PAGE = 6
LABEL_MAX = 60


async def start(ctx: Ctx) -> str:
    held = await ctx.roles()
    if ctx.data.get("campaign_id"):
        if await outcomes.campaign_for(ctx.session, held, ctx.data["campaign_id"]) is None:
            raise Invalid(_("Cuộc vận động này không thuộc đơn vị của bạn."))
        return "household"
    running = await outcomes.open_campaigns(ctx.session, held, ctx.today)
    if not running:
        raise Invalid(_("Hiện không có cuộc vận động nào đang diễn ra."))
    if len(running) == 1:
        ctx.put(campaign_id=running[0].id)
        return "household"
    return "campaign"


async def ask_campaign(ctx: Ctx) -> Prompt:
    running = await outcomes.open_campaigns(ctx.session, await ctx.roles(), ctx.today)
    return Prompt(_("Ghi kết quả cho cuộc vận động nào?"),
                  tuple(Option(f"cc:{c.id}", c.name[:LABEL_MAX]) for c in running))


async def accept_campaign(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    campaign_id = key_number(key[3:]) if key.startswith("cc:") else None
    if campaign_id is None or await outcomes.campaign_for(ctx.session, await ctx.roles(), campaign_id) is None:
        raise Invalid(_("Hãy chọn một cuộc vận động trong danh sách."))
    ctx.put(campaign_id=campaign_id)
    return "household"


def _label(row: outcomes.Pending) -> str:
    status = f" ({row.label})" if row.label else ""
    body = f"{row.head_name}, {row.address}" if row.address else row.head_name
    room = LABEL_MAX - len(status)
    return (body if len(body) <= room else body[:room - 1].rstrip(" ,") + "…") + status


async def ask_household(ctx: Ctx) -> Prompt:
    page = int(ctx.data.get("page", 0))
    rows, more = await outcomes.pending(ctx.session, await ctx.roles(), ctx.person.id, ctx.data["campaign_id"],
                                        page * PAGE, PAGE)
    lines = [*([ctx.data["last"]] if ctx.data.get("last") else [])]
    options = [Option(f"ch:{row.row_id}", _label(row)) for row in rows]
    if more:
        options.append(Option(f"pg:{page + 1}", _("➡ Xem thêm")))
    if page:
        options.append(Option("pg:0", _("↩ Về đầu danh sách")))
    if rows or page:
        lines.append(_("✍ Ghi kết quả vận động — chọn hộ:"))
    else:
        lines.append(_("Các hộ bạn phụ trách đều đã có kết quả cuối cùng."))
    options.append(Option("r:done", _("✔ Xong")))
    return Prompt("\n".join(lines), tuple(options))


async def accept_household(ctx: Ctx, answer: Answer) -> str | None:
    key = answer.option.key if answer.option else ""
    if key == "r:done":
        return None
    if key.startswith("pg:") and (page := key_number(key[3:], minimum=0)) is not None:
        ctx.put(page=page)
        ctx.drop("last")
        raise Stay()
    row_id = key_number(key[3:]) if key.startswith("ch:") else None
    name = await outcomes.row_in_scope(ctx.session, await ctx.roles(), ctx.data["campaign_id"], row_id) \
        if row_id else None
    if name is None:
        raise Invalid(_("Hãy chọn một hộ trong danh sách."))
    ctx.put(row_id=row_id, household_name=name)
    return "outcome"


async def outcome_prompt(ctx: Ctx, row_id: int, head: str) -> Prompt:
    """The campaign's question about one household: shared with the visit flow."""
    asked = await outcomes.question(ctx.session, row_id)
    assert asked is not None  # rows are never deleted while their campaign stands
    text = _("📣 {campaign}\nKết quả vận động hộ {name}?").format(campaign=asked.campaign.name, name=head)
    return Prompt(text, tuple(Option(f"co:{o.id}", ("✔ " if o.id == asked.current else "") + o.label)
                              for o in asked.options))


def picked_option(answer: Answer) -> int:
    key = answer.option.key if answer.option else ""
    option_id = key_number(key[3:]) if key.startswith("co:") else None
    if option_id is None:
        raise Invalid(_("Hãy chọn một kết quả trong danh sách."))
    return option_id


async def ask_outcome(ctx: Ctx) -> Prompt:
    return await outcome_prompt(ctx, ctx.data["row_id"], ctx.data["household_name"])


async def accept_outcome(ctx: Ctx, answer: Answer) -> str:
    option = await outcomes.record(ctx.session, ctx.data["row_id"], picked_option(answer), person_id=ctx.person.id,
                                   now=ctx.now)
    if option is None:
        raise Invalid(_("Hãy chọn một kết quả trong danh sách."))
    ctx.put(last=_("✅ Đã ghi: {name} — {outcome}.").format(name=ctx.data["household_name"], outcome=option.label),
            done=int(ctx.data.get("done", 0)) + 1)
    return "household"


async def finish(ctx: Ctx) -> list[Reply]:
    return [Reply(_("Đã ghi kết quả vận động cho {count} hộ.").format(count=int(ctx.data.get("done", 0))))]


FLOW = Flow(
    name="campaign_outcomes", first="household", finish=finish, start=start, start_steps=("campaign",),
    steps={
        "campaign": Step("campaign", ask_campaign, accept_campaign, next=("household",)),
        "household": Step("household", ask_household, accept_household, next=("outcome",)),
        "outcome": Step("outcome", ask_outcome, accept_outcome, next=("household",)),
    },
)
