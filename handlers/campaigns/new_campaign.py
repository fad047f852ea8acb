"""➕ Tạo cuộc vận động: name, what it is about, which households, outcomes, dates and target, then confirm.

A commune's leads create one for the commune, a team leader for the village (`models/access/campaigns.py`).
The households are counted before the author confirms, and fixed when the campaign is created.
"""

from __future__ import annotations

import datetime as dt
import re

from core.i18n import _, __, format_date
from handlers.engine.dates import example_ahead, parse_future_day
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay, Step
from handlers.engine.keys import key_number
from handlers.engine.steps import TextRule, text_step
from handlers.engine.types import Option, Reply
from models import access
from models.campaigns import attributes
from models.campaigns.create import (
    ALL,
    ATTRIBUTE,
    VILLAGES,
    CampaignProblem,
    Draft,
    count_households,
    create_campaign,
    default_options,
    typed_options,
)
from models.campaigns.texts import number, percent
from models.enums import UnitKind
from models.tables import OrgUnit
from models.units import tree

NAME = TextRule(120, __("Tên cuộc vận động cần có chữ (ít nhất {min} ký tự)."),
                __("Tên dài {count} ký tự; tối đa {max}."), minimum=3)
ABOUT = TextRule(1000, __("Mô tả cần có chữ; hoặc chọn Bỏ qua."), __("Mô tả dài {count} ký tự; tối đa {max}."))
OPTIONS_MAX, OPTION_MAX = 8, 60
_PERCENT = re.compile(r"^\s*(\d{1,3})([.,]\d+)?\s*%?\s*$")


async def start(ctx: Ctx) -> str:
    units = access.campaign_author_units(await ctx.roles())
    if not units:
        raise Invalid(_("Tạo cuộc vận động dành cho lãnh đạo xã và tổ trưởng."))
    if len(units) == 1:
        ctx.put(scope_id=units[0])
        return "name"
    return "unit"


async def _scope(ctx: Ctx) -> OrgUnit:
    unit = await ctx.session.get(OrgUnit, ctx.data["scope_id"])
    assert unit is not None
    return unit


async def ask_unit(ctx: Ctx) -> Prompt:
    units = [await ctx.session.get(OrgUnit, unit_id) for unit_id in access.campaign_author_units(await ctx.roles())]
    return Prompt(_("Cuộc vận động cho đơn vị nào?"), tuple(
        Option(f"cu:{u.id}", _("Toàn {unit}").format(unit=u.name) if u.kind == UnitKind.COMMUNE else u.name)
        for u in units if u is not None))


async def accept_unit(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    unit_id = key_number(key[3:]) if key.startswith("cu:") else None
    if unit_id is None or unit_id not in access.campaign_author_units(await ctx.roles()):
        raise Invalid(_("Hãy chọn một đơn vị trong danh sách."))
    ctx.put(scope_id=unit_id)
    return "name"


async def ask_name(ctx: Ctx) -> Prompt:
    return Prompt(_("➕ Tạo cuộc vận động — gõ tên, ví dụ “Vận động tham gia BHYT hộ gia đình 2027”:"))


async def ask_about(ctx: Ctx) -> Prompt:
    return Prompt(_("Mô tả ngắn: vận động hộ làm gì (tối đa {max} ký tự), hoặc bỏ qua:").format(max=ABOUT.maximum),
                  (Option("d:skip", _("Bỏ qua")),))


async def ask_who(ctx: Ctx) -> Prompt:
    scope = await _scope(ctx)
    options = [Option("w:all", _("Tất cả các hộ"))]
    if scope.kind == UnitKind.COMMUNE:
        options.append(Option("w:vil", _("Các hộ của một số thôn")))
    if await attributes.names_in(ctx.session, scope.path, limit=1):
        options.append(Option("w:attr", _("Các hộ theo một cột của danh sách hộ")))
    return Prompt(_("Cuộc vận động dành cho những hộ nào?"), tuple(options))


async def accept_who(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    ctx.drop("villages", "attribute")
    if key == "w:all":
        ctx.put(audience=ALL)
        return "outcomes"
    if key == "w:vil":
        ctx.put(audience=VILLAGES, villages=[])
        return "villages"
    if key == "w:attr":
        ctx.put(audience=ATTRIBUTE)
        return "attribute"
    raise Invalid(_("Hãy chọn một cách trong danh sách."))


async def _villages(ctx: Ctx) -> list[OrgUnit]:
    return list(await tree.descendants(ctx.session, await _scope(ctx), UnitKind.VILLAGE))


async def ask_villages(ctx: Ctx) -> Prompt:
    chosen = set(ctx.data.get("villages", []))
    options = [Option(f"v:{v.id}", ("✔ " if v.id in chosen else "") + v.name) for v in await _villages(ctx)]
    options.append(Option("v:done", _("✅ Xong ({count} thôn)").format(count=len(chosen))))
    return Prompt(_("Chọn các thôn (chọn lại để bỏ), rồi chọn “Xong”:"), tuple(options), columns=2)


async def accept_villages(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    chosen = list(ctx.data.get("villages", []))
    if key == "v:done":
        if not chosen:
            raise Invalid(_("Hãy chọn ít nhất một thôn."))
        return "outcomes"
    village_id = key_number(key[2:]) if key.startswith("v:") else None
    if village_id is None or village_id not in {v.id for v in await _villages(ctx)}:
        raise Invalid(_("Hãy chọn một thôn trong danh sách."))
    chosen = [v for v in chosen if v != village_id] if village_id in chosen else [*chosen, village_id]
    ctx.put(villages=chosen)
    raise Stay()


async def ask_attribute(ctx: Ctx) -> Prompt:
    names = await attributes.names_in(ctx.session, (await _scope(ctx)).path)
    ctx.put(attribute_names=names)
    return Prompt(_("Các hộ được đánh dấu ở cột nào của danh sách hộ?"),
                  tuple(Option(f"at:{i}", name) for i, name in enumerate(names, 1)))


async def accept_attribute(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    names = ctx.data.get("attribute_names", [])
    index = key_number(key[3:]) if key.startswith("at:") else None
    if index is None or index > len(names):
        raise Invalid(_("Hãy chọn một cột trong danh sách."))
    ctx.put(attribute=names[index - 1])
    return "outcomes"


async def ask_outcomes(ctx: Ctx) -> Prompt:
    shown = " · ".join(label for label, _kind in default_options())
    return Prompt(_("Kết quả vận động mỗi hộ: {options}.").format(options=shown), (
        Option("o:default", _("Dùng các kết quả này")), Option("o:own", _("Tự ghi các kết quả"))))


async def accept_outcomes(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    if key == "o:default":
        ctx.drop("own_options")
        return "starts"
    if key == "o:own":
        return "own_options"
    raise Invalid(_("Hãy chọn 1 hoặc 2."))


async def ask_own_options(ctx: Ctx) -> Prompt:
    return Prompt(_("Gõ các kết quả, mỗi dòng một kết quả (2 đến {max}); dòng đầu là kết quả cần đạt. "
                    "“Không thuộc diện” được thêm sẵn.").format(max=OPTIONS_MAX))


async def accept_own_options(ctx: Ctx, answer: Answer) -> str:
    labels = [" ".join(line.split()) for line in answer.text.splitlines() if line.strip()]
    if not 2 <= len(labels) <= OPTIONS_MAX:
        raise Invalid(_("Cần từ 2 đến {max} kết quả, mỗi dòng một.").format(max=OPTIONS_MAX))
    if any(len(label) > OPTION_MAX for label in labels):
        raise Invalid(_("Mỗi kết quả tối đa {max} ký tự.").format(max=OPTION_MAX))
    ctx.put(own_options=labels)
    return "starts"


async def ask_starts(ctx: Ctx) -> Prompt:
    return Prompt(_("Bắt đầu ngày nào? Gõ ngày, ví dụ {example}, hoặc chọn Hôm nay.").format(
        example=example_ahead(ctx.today)), (Option("s:today", _("Hôm nay")),))


async def accept_starts(ctx: Ctx, answer: Answer) -> str:
    day = ctx.today if answer.option is not None else parse_future_day(answer.text, ctx.today)
    if day is None:
        raise Invalid(_("Không hiểu ngày này (ngày bắt đầu từ hôm nay trở đi); gõ ví dụ {example}.").format(
            example=example_ahead(ctx.today)))
    ctx.put(starts_on=day.isoformat())
    return "ends"


async def ask_ends(ctx: Ctx) -> Prompt:
    starts = dt.date.fromisoformat(ctx.data["starts_on"])
    return Prompt(_("Kết thúc ngày nào (sau {start})? Gõ ngày, ví dụ {example}.").format(
        start=format_date(starts), example=f"{starts.day}/{starts.month}/{starts.year + 1}"))


async def accept_ends(ctx: Ctx, answer: Answer) -> str:
    starts = dt.date.fromisoformat(ctx.data["starts_on"])
    day = parse_future_day(answer.text, ctx.today)
    if day is None or day <= starts:
        raise Invalid(_("Ngày kết thúc phải sau ngày bắt đầu {start}; gõ ví dụ {example}.").format(
            start=format_date(starts), example=f"{starts.day}/{starts.month}/{starts.year + 1}"))
    ctx.put(ends_on=day.isoformat())
    return "target"


async def ask_target(ctx: Ctx) -> Prompt:
    return Prompt(_("Mục tiêu: bao nhiêu phần trăm số hộ đồng ý? Gõ số từ 1 đến 100, hoặc chọn:"),
                  tuple(Option(f"t:{value}", percent(value)) for value in (100, 95, 90, 80)), columns=2)


async def accept_target(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    value = key_number(key[2:]) if key.startswith("t:") else None
    match = _PERCENT.match(answer.text) if value is None else None
    if match and not match.group(2):
        value = int(match.group(1))
    if value is None or not 1 <= value <= 100:
        raise Invalid(_("Hãy gõ một số nguyên từ 1 đến 100, ví dụ 95."))
    ctx.put(target=value)
    return "confirm"


async def draft(ctx: Ctx) -> Draft:
    data = ctx.data
    own = data.get("own_options")
    return Draft(scope=await _scope(ctx), name=data["name"], description=data.get("description") or "",
                 starts_on=dt.date.fromisoformat(data["starts_on"]), ends_on=dt.date.fromisoformat(data["ends_on"]),
                 target_percent=int(data["target"]), audience=data.get("audience", ALL),
                 villages=tuple(data.get("villages", ())), attribute=data.get("attribute"),
                 options=tuple(typed_options(own)) if own else ())


async def ask_confirm(ctx: Ctx) -> Prompt:
    plan = await draft(ctx)
    count = await count_households(ctx.session, plan)
    who = {ALL: _("tất cả các hộ"), VILLAGES: _("các hộ của {count} thôn").format(count=len(plan.villages)),
           ATTRIBUTE: _("các hộ có đánh dấu ở cột “{name}”").format(name=plan.attribute)}[plan.audience]
    options = plan.options or default_options()
    lines = [_("Xem lại cuộc vận động:"), f"📣 {plan.name}", *([plan.description] if plan.description else []),
             _("Đơn vị: {unit}; {who}: {count} hộ.").format(unit=plan.scope.name, who=who, count=number(count)),
             _("Kết quả: {options}.").format(options=" · ".join(label for label, _kind in options)),
             _("Từ {start} đến {end}; mục tiêu {target}.").format(
                 start=format_date(plan.starts_on), end=format_date(plan.ends_on), target=percent(plan.target_percent))]
    if not count:
        lines.append(_("⚠ Không có hộ nào như vậy: hãy quay lại (/quaylai) chọn cách khác."))
        return Prompt("\n".join(lines), (Option("c:no", _("✖ Hủy, không tạo")),))
    return Prompt("\n".join(lines), (Option("c:yes", _("✅ Tạo")), Option("c:no", _("✖ Hủy, không tạo"))), columns=2)


async def accept_confirm(ctx: Ctx, answer: Answer) -> None:
    key = answer.option.key if answer.option else ""
    if key not in ("c:yes", "c:no"):
        raise Invalid(_("Hãy chọn “✅ Tạo” hoặc “✖ Hủy, không tạo”."))
    ctx.put(confirmed=key == "c:yes")


async def finish(ctx: Ctx) -> list[Reply]:
    if not ctx.data.get("confirmed"):
        return [Reply(_("Đã hủy, không tạo cuộc vận động."))]
    plan = await draft(ctx)
    if not access.may_create_campaign(await ctx.roles(), plan.scope):
        return [Reply(_("Tạo cuộc vận động dành cho lãnh đạo xã và tổ trưởng."))]
    try:
        campaign = await create_campaign(ctx.session, plan, person_id=ctx.person.id, now=ctx.now)
    except CampaignProblem:
        return [Reply(_("Không tạo được: không có hộ nào thuộc cuộc vận động này."))]
    return [Reply(_("✅ Đã tạo cuộc vận động “{name}”. Khi thành viên ghi thăm một hộ thuộc diện, bot sẽ hỏi "
                    "kết quả vận động.").format(name=campaign.name),
                  (Option(f"cp:{campaign.id}", _("📣 Xem cuộc vận động")), Option("m:main", _("🏠 Trang chính"))),
                  columns=2)]


FLOW = Flow(
    name="campaign_new", first="name", finish=finish, start=start, start_steps=("unit",),
    steps={
        "unit": Step("unit", ask_unit, accept_unit, next=("name",)),
        "name": text_step("name", ask_name, NAME, then="about"),
        "about": text_step("about", ask_about, ABOUT, key="description", then="who", optional=True),
        "who": Step("who", ask_who, accept_who, next=("outcomes", "villages", "attribute")),
        "villages": Step("villages", ask_villages, accept_villages, next=("outcomes",)),
        "attribute": Step("attribute", ask_attribute, accept_attribute, next=("outcomes",)),
        "outcomes": Step("outcomes", ask_outcomes, accept_outcomes, next=("starts", "own_options")),
        "own_options": Step("own_options", ask_own_options, accept_own_options, free_text=True, next=("starts",)),
        "starts": Step("starts", ask_starts, accept_starts, free_text=True, next=("ends",)),
        "ends": Step("ends", ask_ends, accept_ends, free_text=True, next=("target",)),
        "target": Step("target", ask_target, accept_target, free_text=True, next=("confirm",)),
        "confirm": Step("confirm", ask_confirm, accept_confirm),
    },
)
