"""The concern actions that need typed input: take on (whom), escalate (why), note, answer, close
(reason and note), reopen (why). Rights and status are checked when the flow starts and again at
the end — someone else may have acted meanwhile. /huy leaves nothing stored.
"""

from __future__ import annotations

from core.i18n import _, __
from handlers.concerns.detail import ACT_FLOW, screen
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.steps import LabelChoice, TextRule, choice_step, text_step
from handlers.engine.types import Option, Reply
from models.concerns import people as concerns_people, workflow
from models.concerns.notify import notify_change
from models.concerns.texts import LEVEL_LABELS, holder_text, not_found, refusal
from models.concerns.workflow import ACTIVE, Access, Action, Refused
from models.enums import CloseReason, ConcernLevel, ConcernStatus
from models.labels import CLOSE_REASON_LABELS, ROLE_LABELS
from models.tables import Concern, ConcernEvent
from models.people.reach import reach_of

PEOPLE = 12
BODY_MAX, NOTE_MAX, ANSWER_MAX, ANSWER_MIN = 120, 1000, 1500, 5
SKIP = "skip"
FIRST_STEP = {Action.TAKE_ON: "who", Action.ESCALATE: "escalate", Action.NOTE: "note", Action.ANSWER: "answer",
              Action.CLOSE: "reason", Action.REOPEN: "reopen"}
OPTIONAL_NOTE = {Action.TAKE_ON, Action.CLOSE}
TOO_SHORT, TOO_LONG = __("Hãy gõ bằng chữ (ít nhất {min} ký tự)."), __("Dài {count} ký tự; tối đa {max}.")
NOTE = TextRule(NOTE_MAX, TOO_SHORT, TOO_LONG, minimum=2)
BODY = TextRule(BODY_MAX, TOO_SHORT, TOO_LONG, minimum=2)  # an outside body taking the concern on
ANSWER = TextRule(ANSWER_MAX, TOO_SHORT, TOO_LONG, minimum=ANSWER_MIN)
REASONS = LabelChoice("r:", CLOSE_REASON_LABELS, __("Hãy chọn lý do bằng số từ 1 đến {count}."))


def _status_code(concern: Concern, act: str) -> str:
    if act == Action.ESCALATE and concern.status in ACTIVE:
        return "top"
    return {ConcernStatus.CLOSED: "closed", ConcernStatus.ANSWERED: "answered"}.get(concern.status, "not_reopenable")


async def _load(ctx: Ctx) -> tuple[Concern, Access]:
    """The concern, if this person may still take this action on it; Invalid says why not."""
    act = ctx.data["act"]
    found = await workflow.visible_by_id(ctx.session, ctx.person.id, ctx.data["concern_id"], await ctx.roles())
    if found is None:
        raise Invalid(not_found())
    concern, rights = found
    try:
        workflow.check(rights, act)
    except Refused as refused:
        raise Invalid(refusal(refused.code, concern)) from None
    if act not in workflow.available(rights, concern):
        raise Invalid(refusal(_status_code(concern, act), concern))
    return concern, rights


async def start(ctx: Ctx) -> str:
    concern, _rights = await _load(ctx)
    ctx.put(reference=concern.reference)
    return FIRST_STEP[ctx.data["act"]]


async def ask_who(ctx: Ctx) -> Prompt:
    concern = await ctx.session.get(Concern, ctx.data["concern_id"])
    people = await concerns_people.assignable(ctx.session, concern, PEOPLE)
    options = [Option(f"p:{ctx.person.id}", _("🙋 Tôi tự xử lý"))]
    options += [Option(f"p:{person.id}", f"{person.full_name} — {ROLE_LABELS[role]}")
                for person, role in people if person.id != ctx.person.id]
    return Prompt(_("Ai xử lý ý kiến {reference}? Chọn người, hoặc gõ tên cơ quan ngoài tổ "
                    "(ví dụ: UBND xã) — bạn sẽ theo dõi việc đó:").format(reference=ctx.data["reference"]),
                  tuple(options))


async def accept_who(ctx: Ctx, answer: Answer) -> str:
    if answer.option is not None and answer.option.key.startswith("p:"):
        ctx.put(assignee_id=int(answer.option.key[2:]), assignee_label=None)
    else:
        ctx.put(assignee_id=ctx.person.id, assignee_label=BODY.check(answer.text))
    return "note"


async def ask_note(ctx: Ctx) -> Prompt:
    if ctx.data["act"] in OPTIONAL_NOTE:
        return Prompt(_("Ghi chú (không bắt buộc):"), (Option(SKIP, _("Bỏ qua")),))
    return Prompt(_("Ghi chú cho ý kiến {reference}:").format(reference=ctx.data["reference"]))


async def ask_escalate(ctx: Ctx) -> Prompt:
    concern = await ctx.session.get(Concern, ctx.data["concern_id"])
    level = LEVEL_LABELS[workflow.LEVELS[workflow.LEVELS.index(concern.level) + 1]]
    return Prompt(_("Chuyển ý kiến {reference} lên {level}? Gõ lý do nếu cần, hoặc chọn:").format(
        reference=concern.reference, level=level), (Option("go", _("⬆ Chuyển lên {level}").format(level=level)),))


async def ask_answer(ctx: Ctx) -> Prompt:
    return Prompt(_("Nội dung trả lời ý kiến {reference} (người đã ghi ý kiến sẽ báo lại cho hộ):").format(
        reference=ctx.data["reference"]))


def reason_text(ctx: Ctx) -> str:
    return _("Đóng ý kiến {reference} với lý do:").format(reference=ctx.data["reference"])


async def ask_reopen(ctx: Ctx) -> Prompt:
    return Prompt(_("Vì sao mở lại ý kiến {reference}?").format(reference=ctx.data["reference"]))


async def _perform(ctx: Ctx, concern: Concern) -> ConcernEvent | None:
    act, data, common = ctx.data["act"], ctx.data, {"actor_id": ctx.person.id, "now": ctx.now}
    if act == Action.TAKE_ON:
        return await workflow.take_on(ctx.session, concern, assignee_id=data["assignee_id"],
                                      assignee_label=data["assignee_label"], note=data.get("note"), **common)
    if act == Action.ESCALATE:
        return await workflow.escalate(ctx.session, concern, note=data.get("note"), **common)
    if act == Action.NOTE:
        return await workflow.add_note(ctx.session, concern, text=data["note"], **common)
    if act == Action.ANSWER:
        return await workflow.answer(ctx.session, concern, text=data["text"], **common)
    if act == Action.CLOSE:
        return await workflow.close(ctx.session, concern, reason=CloseReason(data["reason"]), note=data.get("note"),
                                    **common)
    return await workflow.reopen(ctx.session, concern, reason=data["note"], **common)


async def _done_text(ctx: Ctx, concern: Concern, level: ConcernLevel) -> str:
    act, reference = ctx.data["act"], concern.reference
    if act == Action.TAKE_ON:
        names = await concerns_people.names(ctx.session, {concern.assignee_id} if concern.assignee_id else set())
        return _("✅ Đã nhận xử lý ý kiến {reference}. Người xử lý: {who}.").format(
            reference=reference, who=holder_text(concern, names.get(concern.assignee_id)))
    if act == Action.ESCALATE:
        return _("⬆ Đã chuyển ý kiến {reference} lên {level}.").format(reference=reference, level=LEVEL_LABELS[level])
    if act == Action.NOTE:
        return _("📝 Đã ghi chú vào ý kiến {reference}.").format(reference=reference)
    if act == Action.ANSWER:
        if not (await reach_of(ctx.session, [concern.reporter_id])).reachable:
            return _("💬 Đã ghi trả lời ý kiến {reference}. Người đã ghi ý kiến chưa tham gia bot hoặc đã chặn bot "
                     "nên không nhận được tin: hãy báo trực tiếp để họ chuyển lời cho hộ.").format(reference=reference)
        return _("💬 Đã ghi trả lời ý kiến {reference}. Người đã ghi ý kiến được báo để chuyển lời cho hộ.").format(
            reference=reference)
    if act == Action.CLOSE:
        return _("✅ Đã đóng ý kiến {reference}: {reason}.").format(
            reference=reference, reason=CLOSE_REASON_LABELS[concern.close_reason])
    return _("↩ Đã mở lại ý kiến {reference}.").format(reference=reference)


async def finish(ctx: Ctx) -> list[Reply]:
    try:
        concern, _rights = await _load(ctx)
        event = await _perform(ctx, concern)
    except Invalid as problem:
        return [Reply(str(problem))]
    except Refused as refused:
        return [Reply(refusal(refused.code, concern))]
    if event is None:  # already at the top
        return [Reply(refusal("top", concern))]
    await notify_change(ctx.session, concern, event, now=ctx.now, tz=ctx.tz, default_locale=ctx.default_locale)
    done = await _done_text(ctx, concern, concern.level)
    rights = await workflow.access(ctx.session, ctx.person.id, concern, await ctx.roles())
    return [Reply(done), await screen(ctx, concern, rights)]


FLOW = Flow(
    name=ACT_FLOW, first="note", finish=finish, start=start, start_steps=tuple(FIRST_STEP.values()),
    steps={
        "who": Step("who", ask_who, accept_who, free_text=True, next=("note",)),
        # The only option either prompt offers is "Bỏ qua" (a note that may be left out) or "⬆ Chuyển lên".
        "note": text_step("note", ask_note, NOTE, optional=True),
        "escalate": text_step("escalate", ask_escalate, NOTE, key="note", optional=True),
        "answer": text_step("answer", ask_answer, ANSWER, key="text"),
        "reason": choice_step("reason", reason_text, REASONS, then="note"),
        "reopen": text_step("reopen", ask_reopen, NOTE, key="note"),
    },
)
