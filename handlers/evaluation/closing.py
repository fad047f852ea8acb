"""✅ Xác nhận kết quả năm: after the period's end the khối dân vận head reviews the ranking and
confirms it; the results are frozen and sent to the team leaders and the khối dân vận group."""

from __future__ import annotations

from core.i18n import _, format_short_date
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.types import Option, Reply
from models import access
from models.evaluation import frozen, notify
from models.evaluation.compute import evaluate_commune
from models.evaluation.scoring import Evaluation
from models.evaluation.texts import ranking_text
from models.tables import OrgUnit

YES, NO = "yes", "no"


def not_allowed() -> str:
    return _("Xác nhận kết quả đánh giá dành cho trưởng khối dân vận.")


async def _year_to_close(ctx: Ctx, commune: OrgUnit) -> Evaluation:
    """This year's evaluation once its period is over, else last year's while it is unconfirmed."""
    this_year = await evaluate_commune(ctx.session, commune, ctx.today.year, ctx.tz, ctx.now)
    if this_year.closed:
        return this_year
    last_year = await evaluate_commune(ctx.session, commune, ctx.today.year - 1, ctx.tz, ctx.now)
    if last_year.confirmed_at is None and last_year.cards:
        return last_year
    raise Invalid(_("Kỳ đánh giá năm {year} đến hết {end}; xác nhận được từ ngày hôm sau.").format(
        year=this_year.year, end=format_short_date(this_year.end)))


async def start(ctx: Ctx) -> str:
    commune = access.scoring_commune(await ctx.roles())
    if commune is None:
        raise Invalid(not_allowed())
    evaluation = await _year_to_close(ctx, commune)
    if evaluation.confirmed_at is not None:
        raise Invalid(_("Kết quả năm {year} đã được xác nhận ngày {day}.").format(
            year=evaluation.year, day=format_short_date(evaluation.confirmed_at.astimezone(ctx.tz).date())))
    ctx.put(commune_id=commune.id, year=evaluation.year)
    return "confirm"


async def _evaluation(ctx: Ctx) -> Evaluation:
    commune = await ctx.session.get(OrgUnit, ctx.data["commune_id"])
    return await evaluate_commune(ctx.session, commune, ctx.data["year"], ctx.tz, ctx.now)


async def ask_confirm(ctx: Ctx) -> Prompt:
    text = "\n".join((ranking_text(await _evaluation(ctx)), "",
                      _("Xác nhận thì kết quả được giữ nguyên (số liệu sửa sau không làm thay đổi) và gửi cho các "
                        "tổ trưởng, tổ phó và nhóm khối dân vận. Xác nhận kết quả năm {year}?").format(
                          year=ctx.data["year"])))
    return Prompt(text, (Option(NO, _("Chưa, để xem lại")), Option(YES, _("✅ Đồng ý, xác nhận"), confirm=True)))


async def accept_confirm(ctx: Ctx, answer: Answer) -> None:
    if answer.option is None or answer.option.key not in (YES, NO):
        raise Invalid(_("Chọn “Đồng ý, xác nhận” hoặc “Chưa, để xem lại”."))
    ctx.put(confirmed=answer.option.key == YES)


async def finish(ctx: Ctx) -> list[Reply]:
    if not ctx.data.get("confirmed"):
        return [Reply(_("Chưa xác nhận. Kết quả vẫn tính theo số liệu mới nhất."))]
    commune = await ctx.session.get(OrgUnit, ctx.data["commune_id"])
    if not access.may_confirm_evaluation(await ctx.roles(), commune):
        return [Reply(not_allowed())]
    try:
        confirmed = await frozen.confirm(ctx.session, await _evaluation(ctx), person_id=ctx.person.id,
                                         actor_label=f"person:{ctx.person.id}", now=ctx.now)
    except frozen.AlreadyConfirmed:
        return [Reply(_("Kết quả năm {year} đã được xác nhận trước đó.").format(year=ctx.data["year"]))]
    except frozen.NotClosed:
        return [Reply(_("Kỳ đánh giá chưa kết thúc; chưa xác nhận được."))]
    people, groups, stand_ins = await notify.send_confirmed(ctx.session, confirmed, now=ctx.now, tz=ctx.tz,
                                                            locale=ctx.default_locale)
    if groups or not stand_ins:
        return [Reply(_("✅ Đã xác nhận kết quả năm {year}: {teams} tổ. Đã gửi cho {people} tổ trưởng, tổ phó và "
                        "{groups} nhóm khối dân vận.").format(year=confirmed.year, teams=len(confirmed.cards),
                                                               people=people, groups=groups))]
    return [Reply(_("✅ Đã xác nhận kết quả năm {year}: {teams} tổ. Đã gửi cho {people} tổ trưởng, tổ phó; bảng "
                    "xếp loại gửi riêng cho {stand_ins} người của khối dân vận (xã chưa gắn nhóm).").format(
        year=confirmed.year, teams=len(confirmed.cards), people=people, stand_ins=stand_ins))]


FLOW = Flow(name="evaluation_close", first="confirm", finish=finish, start=start, steps={
    "confirm": Step("confirm", ask_confirm, accept_confirm),
})
