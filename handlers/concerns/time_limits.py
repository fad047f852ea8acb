"""⏱ Thời hạn xử lý ý kiến: the commune's days to answer a concern and before it goes up a level.

For the khối dân vận head and the commune secretary (and the admin): the list of every category
and urgency, then one picked and its new days typed ("20", or "20 2" with the days before it
goes up a level), or "0" to put back the default.
"""

from __future__ import annotations

import re

from core.i18n import _
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.types import Option, Reply
from models import access
from models.concerns import time_limits
from models.concerns.time_limits import BadRule, Limits
from models.enums import ConcernCategory, Urgency
from models.labels import CATEGORY_LABELS, URGENCY_LABELS
from models.tables import OrgUnit

_DAYS = re.compile(r"^\s*(\d{1,3})(?:\s*[\s,;/+]\s*(\d{1,3}))?\s*(?:ngày|ngay|days?)?\s*$", re.IGNORECASE)


def rule_label(category: ConcernCategory, urgency: Urgency) -> str:
    return _("{category} · {urgency}").format(category=CATEGORY_LABELS[category], urgency=URGENCY_LABELS[urgency])


def limits_text(limits: Limits, *, mark_default: bool = True) -> str:
    """"30 ngày, quá hạn 3 ngày thì chuyển lên cấp trên", with "(mặc định)" when the commune set nothing."""
    text = _("{days} ngày, quá hạn {escalate} ngày thì chuyển lên cấp trên").format(
        days=limits.due_days, escalate=limits.escalate_after_days)
    return text if limits.custom or not mark_default else text + " " + _("(mặc định)")


def rule_lines(rules: dict[time_limits.Key, Limits]) -> list[str]:
    return [f"• {rule_label(c, u)}: {limits_text(rules[(c, u)])}" for c in CATEGORY_LABELS for u in URGENCY_LABELS]


def short_limits(limits: Limits) -> str:
    """"30 (+3)", starred when it is the default: one category's urgencies share a line."""
    text = _("{days} (+{escalate})").format(days=limits.due_days, escalate=limits.escalate_after_days)
    return text if limits.custom else text + "*"


def compact_lines(rules: dict[time_limits.Key, Limits]) -> list[str]:
    """One line a category, so that the list and its twenty choices stay one Zalo message."""
    return ["• {category}: {rules}".format(category=CATEGORY_LABELS[c], rules=" · ".join(
        f"{URGENCY_LABELS[u]} {short_limits(rules[(c, u)])}" for u in URGENCY_LABELS)) for c in CATEGORY_LABELS]


async def _commune(ctx: Ctx) -> OrgUnit | None:
    return access.commune_office(await ctx.roles())


async def start(ctx: Ctx) -> str:
    commune = await _commune(ctx)
    if commune is None:
        raise Invalid(_("Mục này dành cho trưởng khối dân vận và bí thư Đảng ủy xã."))
    ctx.put(commune_id=commune.id, commune_name=commune.name)
    return "pick"


async def ask_pick(ctx: Ctx) -> Prompt:
    rules = await time_limits.rules_for(ctx.session, ctx.data["commune_id"])
    lines = [_("⏱ Thời hạn xử lý ý kiến — {commune}").format(commune=ctx.data["commune_name"]),
             _("Số ngày để trả lời ý kiến kể từ khi ghi nhận (+ quá hạn bao nhiêu ngày thì tự động chuyển lên "
               "cấp trên: tổ → chi bộ → xã); * là mặc định."), "", *compact_lines(rules), "",
             _("Chọn mục cần sửa (/huy để thôi):")]
    options = tuple(Option(f"cr:{c.value}:{u.value}", rule_label(c, u))
                    for c in CATEGORY_LABELS for u in URGENCY_LABELS)
    return Prompt("\n".join(lines), options, columns=2)


async def accept_pick(ctx: Ctx, answer: Answer) -> str:
    if answer.option is None or not answer.option.key.startswith("cr:"):
        raise Invalid(_("Chọn một mục trong danh sách bằng số thứ tự."))
    _prefix, category, urgency = answer.option.key.split(":")
    ctx.put(category=category, urgency=urgency)
    return "days"


def _picked(ctx: Ctx) -> tuple[ConcernCategory, Urgency]:
    return ConcernCategory(ctx.data["category"]), Urgency(ctx.data["urgency"])


async def ask_days(ctx: Ctx) -> Prompt:
    category, urgency = _picked(ctx)
    current = await time_limits.limits_for(ctx.session, ctx.data["commune_id"], category, urgency)
    text = "\n".join((
        _("{rule}: hiện là {limits}.").format(rule=rule_label(category, urgency), limits=limits_text(current)),
        _("Gõ số ngày để trả lời (1–{max_due}), có thể kèm số ngày quá hạn trước khi chuyển lên cấp trên "
          "(1–{max_escalate}). Ví dụ: 20 hoặc 20 2.").format(max_due=time_limits.MAX_DUE_DAYS,
                                                             max_escalate=time_limits.MAX_ESCALATE_DAYS),
    ))
    if current.custom:  # typed, not a button: a button would take the number "1" typed as days
        default = time_limits.default_limits(category, urgency)
        text += "\n" + _("Gõ 0 để về mặc định ({limits}).").format(limits=limits_text(default, mark_default=False))
    return Prompt(text)


async def accept_days(ctx: Ctx, answer: Answer) -> None:
    match = _DAYS.match(answer.text)
    if match is None:
        raise Invalid(_("Hãy gõ số ngày bằng chữ số, ví dụ: 20 hoặc 20 2."))
    category, urgency = _picked(ctx)
    current = await time_limits.limits_for(ctx.session, ctx.data["commune_id"], category, urgency)
    due_days = int(match.group(1))
    if due_days == 0 and match.group(2) is None and current.custom:
        ctx.put(reset=True)
        return None
    escalate = int(match.group(2)) if match.group(2) else current.escalate_after_days
    try:
        time_limits.validate(due_days, escalate)
    except BadRule:
        raise Invalid(_("Số ngày trả lời phải từ 1 đến {max_due}; số ngày quá hạn trước khi chuyển lên từ 1 đến "
                        "{max_escalate}.").format(max_due=time_limits.MAX_DUE_DAYS,
                                                  max_escalate=time_limits.MAX_ESCALATE_DAYS)) from None
    ctx.put(due_days=due_days, escalate=escalate)
    return None


async def finish(ctx: Ctx) -> list[Reply]:
    commune = await _commune(ctx)
    if commune is None or commune.id != ctx.data["commune_id"]:
        return [Reply(_("Mục này dành cho trưởng khối dân vận và bí thư Đảng ủy xã."))]
    category, urgency = _picked(ctx)
    label = rule_label(category, urgency)
    if ctx.data.get("reset"):
        await time_limits.reset_rule(ctx.session, commune.id, category, urgency, person_id=ctx.person.id,
                                       now=ctx.now)
        limits = time_limits.default_limits(category, urgency)
    else:
        await time_limits.set_rule(ctx.session, commune.id, category, urgency, due_days=ctx.data["due_days"],
                                     escalate_after_days=ctx.data["escalate"], person_id=ctx.person.id, now=ctx.now)
        limits = Limits(ctx.data["due_days"], ctx.data["escalate"], custom=True)
    return [Reply(_("✅ Đã lưu — {rule}: {limits}.\nÝ kiến ghi từ nay theo thời hạn này; ý kiến đã ghi giữ hạn cũ.")
                  .format(rule=label, limits=limits_text(limits)))]


FLOW = Flow(name="concern_rules", first="pick", finish=finish, start=start, steps={
    "pick": Step("pick", ask_pick, accept_pick, next=("days",)),
    "days": Step("days", ask_days, accept_days, free_text=True),
})
