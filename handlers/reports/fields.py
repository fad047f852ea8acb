"""✏️ Điền số liệu: the report's figures only people know, one short question each.

Started with `{"unit_id": …, "year": …}` (from "📄 Báo cáo"). Each answer is saved at once, so a
person called away keeps what they gave. "Bỏ qua" leaves a field as it is; a field that rarely
changes offers last year's value as a choice. A bare number typed is always the value (the figures
are numbers), never the position of a choice; the choices are pressed or their words typed.
"""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.matching import is_number
from handlers.engine.types import Option, Reply
from models import access
from models.reports import fields
from models.reports.fields import BadValue, FieldSpec
from models.enums import UnitKind
from models.tables import OrgUnit

NAME = "report_fields"
SKIP, LAST_YEAR = "rf:skip", "rf:last"


def _refusal() -> str:
    return _("Mục này dành cho bí thư chi bộ và tổ trưởng (số liệu của thôn), trưởng khối dân vận và bí thư "
             "Đảng ủy (số liệu của xã).")


async def _unit(ctx: Ctx) -> OrgUnit:
    unit = await ctx.session.get(OrgUnit, int(ctx.data.get("unit_id") or 0))
    if unit is not None and unit.kind == UnitKind.TEAM and unit.parent_id is not None:  # a team's are its village's
        unit = await ctx.session.get(OrgUnit, unit.parent_id)
    if unit is None or not access.may_fill_report(await ctx.roles(), unit):
        raise Invalid(_refusal())
    return unit


def _specs(unit: OrgUnit) -> tuple[FieldSpec, ...]:
    return fields.specs_for(unit.kind)


async def start(ctx: Ctx) -> str:
    unit = await _unit(ctx)
    ctx.put(unit_name=unit.name, index=0, saved=[])
    return "value"


def _spec(ctx: Ctx, unit: OrgUnit) -> FieldSpec:
    return _specs(unit)[ctx.data["index"]]


async def ask_value(ctx: Ctx) -> Prompt:
    unit = await _unit(ctx)
    spec, year, specs = _spec(ctx, unit), int(ctx.data["year"]), _specs(unit)
    now = (await fields.values(ctx.session, unit.id, year)).get(spec.key)
    last = (await fields.values(ctx.session, unit.id, year - 1)).get(spec.key) if spec.stable else None
    lines = [_("✏️ Số liệu báo cáo năm {year} — {unit} ({index}/{count})").format(
                 year=year, unit=ctx.data["unit_name"], index=ctx.data["index"] + 1, count=len(specs)),
             _("{label} ({unit})?").format(label=spec.label, unit=spec.unit)]
    if now is not None:
        lines.append(_("Đã ghi: {value}.").format(value=fields.format_value(spec, now)))
    lines.append(_("Gõ {rule}.").format(rule=fields.RULES[spec.kind]))
    options = []
    if last is not None:
        options.append(Option(LAST_YEAR, _("Như năm {year}: {value}").format(
            year=year - 1, value=fields.format_value(spec, last))))
    options.append(Option(SKIP, _("Bỏ qua")))
    return Prompt("\n".join(lines), tuple(options))


def _typed_value(ctx: Ctx, answer: Answer) -> bool:
    """A number typed is the value, even where the screen numbers its choices."""
    return ctx.incoming.choice is None and is_number(answer.text)


async def accept_value(ctx: Ctx, answer: Answer) -> str | None:
    unit = await _unit(ctx)
    spec, year = _spec(ctx, unit), int(ctx.data["year"])
    key = None if answer.option is None or _typed_value(ctx, answer) else answer.option.key
    if key == SKIP:
        value = None
    elif key == LAST_YEAR:
        value = (await fields.values(ctx.session, unit.id, year - 1)).get(spec.key)
    else:
        try:
            value = fields.parse_value(spec, answer.text)
        except BadValue as bad:
            raise Invalid(_("“{text}” chưa dùng được: {label} cần {rule}.").format(
                text=answer.text.strip(), label=spec.label, rule=bad)) from None
    if value is not None:
        await fields.set_values(ctx.session, unit.id, unit.kind, year, {spec.key: value}, actor_id=ctx.person.id,
                                actor_label=f"person:{ctx.person.id}", now=ctx.now)
        ctx.put(saved=[*ctx.data.get("saved", []), spec.key])
    ctx.put(index=ctx.data["index"] + 1)
    return "value" if ctx.data["index"] < len(_specs(unit)) else None


async def finish(ctx: Ctx) -> list[Reply]:
    unit = await _unit(ctx)
    year = int(ctx.data["year"])
    given = await fields.report_values(ctx.session, unit.id, unit.kind, year)
    blanks = [str(v.spec.label) for v in given if v.value is None]
    text = _("✅ Đã lưu {count} số liệu cho báo cáo năm {year} — {unit}.").format(
        count=len(set(ctx.data.get("saved", []))), year=year, unit=ctx.data["unit_name"])
    if blanks:
        text += "\n" + _("Còn trống (để “……” trong báo cáo): {blanks}.").format(blanks=", ".join(blanks))
    else:
        text += "\n" + _("Đã đủ mọi số liệu.")
    return [Reply(text)]


FLOW = Flow(name=NAME, first="value", finish=finish, start=start, steps={
    "value": Step("value", ask_value, accept_value, free_text=True, next=("value",)),
})
