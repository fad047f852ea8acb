"""🔕 Tạm dừng nhắc: anyone may pause reminders and nudges for a while, and turn them back on."""

from __future__ import annotations

import datetime as dt

from core.i18n import _, format_date
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.types import Option, Reply
from models.people import mutes

DAYS = {"mu:1": 1, "mu:3": 3, "mu:7": 7, "mu:0": None}  # None: until turned on again


def menu_label(ctx: Ctx) -> str:
    """The menu entry says what pressing it will do."""
    return _("🔔 Bật lại nhắc") if mutes.is_muted(ctx.person, ctx.now) else _("🔕 Tạm dừng nhắc")


async def start(ctx: Ctx) -> str | None:
    # Already muted: the entry reads "Bật lại nhắc" and one tap turns reminders back on.
    return None if mutes.is_muted(ctx.person, ctx.now) else "length"


async def ask_length(ctx: Ctx) -> Prompt:
    return Prompt(_("🔕 Tạm dừng tin nhắc (họp, hạn báo cáo) trong bao lâu?"), (
        Option("mu:1", _("1 ngày")), Option("mu:3", _("3 ngày")), Option("mu:7", _("7 ngày")),
        Option("mu:0", _("Đến khi tôi bật lại")),
    ), columns=2)


async def accept_length(ctx: Ctx, answer: Answer) -> None:
    if answer.option is None or answer.option.key not in DAYS:
        raise Invalid(_("Chọn một mục từ 1 đến 4."))
    ctx.put(mute=answer.option.key)
    return None


async def finish(ctx: Ctx) -> list[Reply]:
    if "mute" not in ctx.data:
        await mutes.unmute(ctx.session, ctx.person, now=ctx.now, tz=ctx.tz)
        return [Reply(_("🔔 Đã bật lại nhắc: các tin nhắc đang chờ sẽ được gửi."))]
    days = DAYS[ctx.data["mute"]]
    until = mutes.FOREVER if days is None else ctx.now + dt.timedelta(days=days)
    await mutes.mute(ctx.session, ctx.person, until, tz=ctx.tz)
    if days is None:
        return [Reply(_("🔕 Đã tạm dừng nhắc cho đến khi bạn bật lại (mục “🔔 Bật lại nhắc” ở trang chính)."))]
    local = until.astimezone(ctx.tz)
    return [Reply(_("🔕 Đã tạm dừng nhắc đến {time} {date}. Tin nhắc trong thời gian này sẽ gửi sau đó.").format(
        time=local.strftime("%H:%M"), date=format_date(local.date())))]


FLOW = Flow(name="mute", first="length", finish=finish, start=start,
            steps={"length": Step("length", ask_length, accept_length)})
