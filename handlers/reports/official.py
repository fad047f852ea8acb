"""📄 Báo cáo: the current draft of an official report, for a unit the person's roles cover.

The unit (asked only when the roles cover several), the kind, the year; then the draft is made
from the data as it stands, the Word document follows through the outbox (Telegram gets the
file, Zalo a link) and the message lists the figures still blank, with "✏️ Điền số liệu" when the
flow that fills them ("report_fields") is there.
"""

from __future__ import annotations

from core.i18n import _, __
from handlers.engine import outside_flows
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.keys import key_number, key_numbers
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply
from models import access
from models.outbox import attachments
from models.outbox.enqueue import PHONE_APPS, enqueue, payload
from models.report_docs import drafts
from models.report_docs.texts import KIND_LABELS, draft_text
from models.tables import OrgUnit
from reports.official import ReportKind
from reports.word import DOCX

FIELDS_FLOW = "report_fields"  # the figures only people know, one question each (built beside this)
YEAR_KEYS = ("oy:0", "oy:1")  # this year, last year
outside_flows.SLOW.update(YEAR_KEYS)  # the draft is made while the person waits: "typing…" at once
REFUSED = __("Mục báo cáo dành cho tổ trưởng, tổ phó, bí thư chi bộ, trưởng khối dân vận và bí thư Đảng ủy xã.")


async def start(ctx: Ctx) -> str:
    units = access.report_units(await ctx.roles())
    if not units:
        raise Invalid(str(REFUSED))
    if len(units) == 1:
        ctx.put(unit_id=units[0])
        return "kind"
    ctx.put(units=units)
    return "unit"


async def ask_unit(ctx: Ctx) -> Prompt:
    options = []
    for unit_id in ctx.data["units"]:
        unit = await ctx.session.get(OrgUnit, unit_id)
        if unit is not None:
            options.append(Option(f"ou:{unit.id}", unit.name))
    return Prompt(_("📄 Báo cáo của đơn vị nào?"), tuple(options))


async def accept_unit(ctx: Ctx, answer: Answer) -> str:
    unit_id = key_number(answer.option.key[3:]) if answer.option is not None else None
    if unit_id is None or unit_id not in ctx.data["units"]:
        raise Invalid(_("Chọn một đơn vị trong danh sách bằng số thứ tự."))
    ctx.put(unit_id=unit_id)
    return "kind"


async def ask_kind(ctx: Ctx) -> Prompt:
    return Prompt(_("Loại báo cáo nào?"), tuple(Option(f"ok:{kind.value}", str(label))
                                               for kind, label in KIND_LABELS.items()))


async def accept_kind(ctx: Ctx, answer: Answer) -> str:
    kind = answer.option.key[3:] if answer.option is not None else ""
    if kind not in {k.value for k in ReportKind}:
        raise Invalid(_("Chọn một loại báo cáo trong danh sách bằng số thứ tự."))
    ctx.put(kind=kind)
    return "year"


async def ask_year(ctx: Ctx) -> Prompt:
    year = ctx.today.year
    return Prompt(_("Năm nào?"), (Option(YEAR_KEYS[0], str(year)), Option(YEAR_KEYS[1], str(year - 1))), columns=2)


async def accept_year(ctx: Ctx, answer: Answer) -> None:
    if answer.option is None or answer.option.key not in YEAR_KEYS:
        raise Invalid(_("Chọn năm nay hoặc năm trước bằng số thứ tự."))
    ctx.put(year=ctx.today.year - YEAR_KEYS.index(answer.option.key))


async def finish(ctx: Ctx) -> list[Reply]:
    unit = await ctx.session.get(OrgUnit, ctx.data["unit_id"])
    if unit is None or not access.may_receive_report(await ctx.roles(), unit):
        return [Reply(str(REFUSED))]
    year = ctx.data["year"]
    draft = await drafts.make(ctx.session, unit, ReportKind(ctx.data["kind"]), year, today=ctx.today, now=ctx.now)
    text = draft_text(draft.report, unit.name, draft.version)
    if ctx.incoming.channel in PHONE_APPS:
        stored = await attachments.store(ctx.session, draft.data, filename=draft.filename, mime=DOCX, now=ctx.now)
        ask = ctx.incoming.message_id or ctx.now.isoformat()
        await enqueue(ctx.session, key=f"report:ask:{ctx.incoming.channel.value}:{ctx.incoming.chat_id}:{ask}",
                      channel=ctx.incoming.channel, chat_id=ctx.incoming.chat_id, kind="report_draft",
                      body=payload(_("📎 {name}").format(name=draft.filename), document_attachment=stored.id),
                      not_before=ctx.now, person_id=ctx.person.id)
        text += "\n" + _("📎 Tệp Word gửi ngay sau tin này.")
    else:
        text += "\n" + _("Tệp Word: gandan report {kind} --unit … --year {year} --out bao-cao.docx").format(
            kind=ctx.data["kind"], year=year)
    options = ()
    if _fields_flow_exists():
        options = (Option(f"rf:{unit.id}:{year}", _("✏️ Điền số liệu")),)
    return [Reply(text, options)]


def _fields_flow_exists() -> bool:
    from handlers.registry import FLOWS  # the registry imports this module: asked when used, not at import

    return FIELDS_FLOW in FLOWS


@action("rf")
async def fill_fields(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    """"✏️ Điền số liệu" under a draft: the figures only people know, for that unit and year."""
    numbers = key_numbers(key, 2)
    unit = await ctx.session.get(OrgUnit, numbers[0]) if numbers else None
    if unit is None or not _fields_flow_exists():
        return [Reply(_("Nút này đã cũ."))]
    if not access.may_receive_report(await ctx.roles(), unit):
        return [Reply(str(REFUSED))]
    return FIELDS_FLOW, {"unit_id": unit.id, "year": numbers[1]}


FLOW = Flow(name="official_report", first="kind", finish=finish, start=start, start_steps=("unit",),
            steps={"unit": Step("unit", ask_unit, accept_unit, next=("kind",)),
                   "kind": Step("kind", ask_kind, accept_kind, next=("year",)),
                   "year": Step("year", ask_year, accept_year)})
