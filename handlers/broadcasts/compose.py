"""📢 Gửi thông báo (/thongbao): an announcement from the commune or a team, with an optional photo,
to a chosen audience, now or at a set time, each recipient acknowledging it with "✅ Đã nhận".

The author writes the text, may add a photo, chooses the audience (`handlers/broadcasts/audience.py`)
and the time, sees how many it will reach and confirms. Nothing is stored before that; the rights
are checked again when it is (`models/broadcasts/announcements.py`). Sent now, it is enqueued in this same
transaction; at a time, the broadcast job (`scheduler/broadcasts.py`) sends it.
"""

from __future__ import annotations

import datetime as dt

from core.i18n import LazyString, _, __
from handlers.broadcasts import audience as broadcasts_audience
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay, Step
from handlers.engine.outside_flows import command
from handlers.engine.steps import FutureMoment, TextRule
from handlers.engine.types import Option, Reply
from models.access import author_scopes
from models.broadcasts import announcements, texts
from models.broadcasts.announcements import TEXT_MAX
from models.broadcasts.audience import NotAllowed, count_recipients, groups_in, recipient_reach
from models.enums import Channel, UnitKind
from models.outbox.enqueue import outside_quiet_hours
from models.people.reach import reach_text
from models.tables import OrgUnit

REFUSALS: dict[str, LazyString] = {
    "role": __("Chỉ Bí thư Đảng ủy, Trưởng khối dân vận (cho cả xã), Tổ trưởng và Tổ phó (cho tổ của mình) "
               "gửi được thông báo."),
    "unit": __("Bạn không còn quyền gửi thông báo cho đơn vị này."),
    "audience": __("Phạm vi nhận đã chọn nằm ngoài đơn vị của bạn; hãy chọn lại."),
}


TEXT = TextRule(TEXT_MAX, __("Nội dung thông báo cần có chữ."),
                __("Nội dung dài {count} ký tự; tối đa {max}. Hãy rút gọn rồi gửi lại."))
SEND_AT = FutureMoment("date", bad_day=__("Hãy gõ một ngày từ hôm nay trở đi, ví dụ {example} hoặc “ngày mai”."),
                       bad_time=__("Không hiểu giờ này; gõ ví dụ {example}."),
                       past=__("Giờ này đã qua; hãy gõ một giờ sắp tới."))


def refusal(reason: str) -> str:
    return str(REFUSALS[reason])


@command("thongbao", "announce")
async def compose(ctx: Ctx, arg: str) -> tuple[str, dict]:
    return "broadcast", {}


async def start(ctx: Ctx) -> str:
    units = author_scopes(await ctx.roles())
    if not units:
        raise Invalid(refusal("role"))
    if len(units) == 1:
        ctx.put(unit_id=units[0].id)
        return "text"
    return "unit"


def _unit_label(unit: OrgUnit) -> str:
    return (_("Toàn {unit}").format(unit=unit.name) if unit.kind == UnitKind.COMMUNE else unit.name)[:60]


async def ask_unit(ctx: Ctx) -> Prompt:
    units = author_scopes(await ctx.roles())
    return Prompt(_("Thông báo cho đơn vị nào?"), tuple(Option(f"bu:{u.id}", _unit_label(u)) for u in units))


async def accept_unit(ctx: Ctx, answer: Answer) -> str:
    if answer.option is None or not answer.option.key.startswith("bu:"):
        raise Invalid(_("Hãy chọn một đơn vị trong danh sách."))
    ctx.put(unit_id=int(answer.option.key[3:]))
    return "text"


async def ask_text(ctx: Ctx) -> Prompt:
    return Prompt(_("✍ Gõ nội dung thông báo (tối đa {max} ký tự). Có thể gửi kèm một ảnh, "
                    "với nội dung là chú thích của ảnh.").format(max=TEXT_MAX))


def _keep_photo(ctx: Ctx, answer: Answer) -> bool:
    if answer.photo:
        ctx.put(photo=answer.photo, photo_channel=ctx.incoming.channel.value)
    return bool(answer.photo)


async def accept_text(ctx: Ctx, answer: Answer) -> str:
    photo = _keep_photo(ctx, answer)
    if not answer.text.strip() and photo:
        raise Stay(_("📷 Đã nhận ảnh. Giờ hãy gõ nội dung thông báo."))
    ctx.put(text=TEXT.check(answer.text))
    return "audience" if ctx.data.get("photo") else "photo"


async def ask_photo(ctx: Ctx) -> Prompt:
    return Prompt(_("Gửi kèm một ảnh? Gửi ảnh ngay bây giờ, hoặc chọn “Không kèm ảnh”."),
                  (Option("bp:none", _("Không kèm ảnh")),))


async def accept_photo(ctx: Ctx, answer: Answer) -> str:
    if _keep_photo(ctx, answer):
        return "audience"
    if answer.option is not None and answer.option.key == "bp:none":
        ctx.put(photo=None, photo_channel=None)
        return "audience"
    raise Invalid(_("Hãy gửi một ảnh, hoặc chọn “Không kèm ảnh”."))


async def ask_when(ctx: Ctx) -> Prompt:
    return Prompt(_("Gửi khi nào?"), (Option("bw:now", _("🚀 Gửi ngay")), Option("bw:later", _("🕒 Hẹn giờ gửi"))))


async def accept_when(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    if key not in ("bw:now", "bw:later"):
        raise Invalid(_("Hãy chọn “Gửi ngay” hoặc “Hẹn giờ gửi”."))
    ctx.put(when=key[3:])
    return "confirm" if key == "bw:now" else "date"


async def ask_date(ctx: Ctx) -> Prompt:
    return Prompt(_("Gửi vào ngày nào? Gõ ngày, ví dụ {example}, hoặc “ngày mai”.").format(
        example=SEND_AT.day_example(ctx)))


async def ask_time(ctx: Ctx) -> Prompt:
    return Prompt(_("Gửi lúc mấy giờ? Gõ giờ:phút, ví dụ {example}.").format(example=SEND_AT.time_example(ctx)))


def _send_at(ctx: Ctx) -> dt.datetime:
    return SEND_AT.at(ctx) if ctx.data.get("when") == "later" else ctx.now


async def ask_confirm(ctx: Ctx) -> Prompt:
    unit = await ctx.session.get(OrgUnit, ctx.data["unit_id"])
    audience = broadcasts_audience.audience_of(ctx.data)
    send_at = _send_at(ctx)
    described = await texts.describe_audience(ctx.session, unit, audience)
    lines = [_("📢 Xem lại trước khi gửi"), _("Gửi tới: {audience}").format(audience=described)]
    if audience.kind == "groups":
        lines.append(_("Số nhóm chat nhận: {count}").format(count=len(await groups_in(ctx.session, unit))))
    else:
        count = await count_recipients(ctx.session, unit, audience, ctx.person.id)
        lines.append(_("Số người nhận: {count}").format(count=count))
        lines.append(reach_text(await recipient_reach(ctx.session, unit, audience, ctx.person.id)))
    lines.append(_("Thời gian: gửi ngay") if ctx.data.get("when") != "later" else
                 _("Thời gian: {when}").format(when=texts.when(send_at, ctx.tz)))
    if outside_quiet_hours(send_at, ctx.tz) != send_at:
        lines.append(_("⚠ Giờ này là giờ nghỉ (21:00–07:00): tin sẽ đến người nhận lúc 07:00."))
    if ctx.data.get("photo"):
        lines.append(_("Kèm một ảnh."))
    lines += [_("Nội dung:"), ctx.data["text"]]
    return Prompt("\n".join(lines), (Option("bc:yes", _("✅ Gửi")), Option("bc:no", _("✖ Hủy, không gửi"))))


async def accept_confirm(ctx: Ctx, answer: Answer) -> None:
    key = answer.option.key if answer.option else ""
    if key not in ("bc:yes", "bc:no"):
        raise Invalid(_("Hãy chọn “✅ Gửi” hoặc “✖ Hủy, không gửi”."))
    ctx.put(confirmed=key == "bc:yes")
    return None


async def finish(ctx: Ctx) -> list[Reply]:
    if not ctx.data.get("confirmed"):
        return [Reply(_("Đã hủy, chưa gửi thông báo nào."))]
    photo_channel = ctx.data.get("photo_channel")
    try:
        announcement = await announcements.create(
            ctx.session, author_id=ctx.person.id, unit_id=ctx.data["unit_id"],
            audience=broadcasts_audience.audience_of(ctx.data), text=ctx.data["text"], photo=ctx.data.get("photo"),
            photo_channel=Channel(photo_channel) if photo_channel else None, send_at=_send_at(ctx),
            now=ctx.now)
    except NotAllowed as refused:
        return [Reply(refusal(refused.reason))]
    buttons = (Option(f"ar:{announcement.id}", _("📊 Báo cáo gửi")), Option("m:main", _("🏠 Trang chính")))
    if announcement.send_at > ctx.now:
        return [Reply(_("⏳ Đã hẹn gửi thông báo {when}. Trước giờ đó có thể hủy trong “📬 Thông báo đã gửi”.").format(
            when=texts.when(announcement.send_at, ctx.tz)), buttons)]
    unit = await ctx.session.get(OrgUnit, announcement.scope_unit_id)
    person_body, group_body = texts.renderers(announcement, unit, ctx.person.full_name, ctx.default_locale)
    sent = await announcements.send(ctx.session, announcement.id, now=ctx.now, tz=ctx.tz, for_person=person_body,
                                 for_group=group_body)
    assert sent is not None  # created in this very transaction: nobody else can have sent it
    lines = []
    if announcement.audience.get("kind") == "groups":
        lines.append(_("✅ Đã gửi thông báo tới {count} nhóm chat.").format(count=sent.groups))
    else:
        lines.append(_("✅ Đã gửi thông báo tới {count} người.").format(count=sent.enqueued))
        if sent.recipients > sent.enqueued:
            lines.append(_("{count} người chưa kết nối Telegram hay Zalo với bot nên chưa nhận được.").format(
                count=sent.recipients - sent.enqueued))
        lines.append(_("Bấm “📊 Báo cáo gửi” để xem ai đã nhận, ai chưa."))
    return [Reply("\n".join(lines), buttons)]


FLOW = Flow(
    name="broadcast", first="text", finish=finish, start=start, start_steps=("unit",),
    steps={
        "unit": Step("unit", ask_unit, accept_unit, next=("text",)),
        "text": Step("text", ask_text, accept_text, free_text=True, next=("audience", "photo")),
        "photo": Step("photo", ask_photo, accept_photo, next=("audience",)),
        **broadcasts_audience.STEPS,
        "when": Step("when", ask_when, accept_when, next=("confirm", "date")),
        "date": SEND_AT.day_step("date", ask_date, then="time"),
        "time": SEND_AT.time_step("time", ask_time, then="confirm"),
        "confirm": Step("confirm", ask_confirm, accept_confirm),
    },
)
