"""The khối dân vận head's review of a proposed model: approve, or return it with a note."""

from __future__ import annotations

from core.i18n import _, __
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import action
from handlers.engine.steps import TextRule
from handlers.engine.types import Option, Reply
from models.dan_van_kheo import proposals
from models.dan_van_kheo.proposals import NOTE_MAX
from models.labels import MODEL_FIELD_LABELS

NOTE = TextRule(NOTE_MAX, __("Ghi chú cần có chữ."), __("Ghi chú dài {count} ký tự; tối đa {max}."))


@action("dvk")
async def open_review(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    model_id = key_number(key.split(":")[1]) if key.count(":") >= 1 else None
    if model_id is None or await proposals.for_review(ctx.session, await ctx.roles(), model_id) is None:
        return [Reply(_("Nút này đã cũ."))]
    return "dvk_review", {"model_id": model_id}


async def _model(ctx: Ctx):  # noqa: ANN202
    model = await proposals.for_review(ctx.session, await ctx.roles(), ctx.data["model_id"])
    if model is None:
        raise Invalid(_("Mô hình này đã được duyệt hoặc không còn chờ duyệt."))
    return model


async def start(ctx: Ctx) -> str:
    await _model(ctx)
    return "decision"


async def ask_decision(ctx: Ctx) -> Prompt:
    model = await _model(ctx)
    text = "\n".join((f"🌟 {model.name}", _("Lĩnh vực: {field}").format(field=MODEL_FIELD_LABELS[model.field]),
                      model.description))
    return Prompt(text, (Option("dr:ok", _("✅ Duyệt")), Option("dr:back", _("↩ Trả lại, kèm ghi chú"))), columns=2)


async def accept_decision(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    if key not in ("dr:ok", "dr:back"):
        raise Invalid(_("Hãy chọn “✅ Duyệt” hoặc “↩ Trả lại, kèm ghi chú”."))
    ctx.put(approve=key == "dr:ok")
    return "note"


async def ask_note(ctx: Ctx) -> Prompt:
    if ctx.data.get("approve"):
        return Prompt(_("Lời nhắn cho tổ (không bắt buộc):"), (Option("dn:skip", _("Bỏ qua")),))
    return Prompt(_("Cần bổ sung gì? Ghi chú gửi cho tổ trưởng:"))


async def accept_note(ctx: Ctx, answer: Answer) -> None:
    if ctx.data.get("approve") and answer.option is not None:
        ctx.put(note=None)
        return
    ctx.put(note=NOTE.check(answer.text))


async def finish(ctx: Ctx) -> list[Reply]:
    model = await proposals.for_review(ctx.session, await ctx.roles(), ctx.data["model_id"])
    if model is None:
        return [Reply(_("Mô hình này đã được duyệt hoặc không còn chờ duyệt."))]
    approve = bool(ctx.data.get("approve"))
    await proposals.review(ctx.session, model, approve=approve, note=ctx.data.get("note"), person_id=ctx.person.id,
                           now=ctx.now, tz=ctx.tz)
    text = _("✅ Đã duyệt mô hình “{name}”; tổ được báo.") if approve else \
        _("↩ Đã trả lại mô hình “{name}” kèm ghi chú; tổ được báo.")
    return [Reply(text.format(name=model.name))]


FLOW = Flow(
    name="dvk_review", first="decision", finish=finish, start=start,
    steps={
        "decision": Step("decision", ask_decision, accept_decision, next=("note",)),
        "note": Step("note", ask_note, accept_note, free_text=True),
    },
)
