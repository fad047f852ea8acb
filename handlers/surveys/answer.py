"""Answering a survey: a household's, asked by its volunteer, or one's own, sent through the outbox.

"📋 Khảo sát" lists the person's own surveys and the households due one; a visit saved offers
the household's, and a survey sent to a person carries its own button. Each answer is stored as
it is given: a form left halfway resumes where it stopped, from the list or with /tieptuc.
"""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply
from handlers.surveys import questions
from models.households import finding
from models.surveys import answering
from models.surveys.answering import Form, QuestionView
from models.surveys.tables import QuestionKind, Respondents, SurveyResponse
from models.surveys.texts import OPEN_KEY, closed_notice

HOUSEHOLD_KEY, OWN_KEY = "sh", "so"
AFTER_VISIT_KEY = "svh"  # "📋 Khảo sát hộ này" on a saved visit: "svh:<survey>:<household>"
CHOICE, TYPED = "choice", "typed"
LABEL_MAX = 64


async def start(ctx: Ctx) -> str:
    """Straight to the question when a survey (and household) is given, else the list of what is due."""
    if "survey_id" in ctx.data:
        return await _begin(ctx, ctx.data["survey_id"], ctx.data.get("household_id"))
    own = await answering.own_due(ctx.session, ctx.person.id, ctx.now)
    homes = await answering.due_households(ctx.session, ctx.person.id, ctx.now)
    if not own and not homes:
        raise Invalid(_("Hiện không có khảo sát nào cần trả lời."))
    return "pick"


async def ask_pick(ctx: Ctx) -> Prompt:
    own = await answering.own_due(ctx.session, ctx.person.id, ctx.now)
    homes = await answering.due_households(ctx.session, ctx.person.id, ctx.now)
    options = [Option(f"{OWN_KEY}:{s.survey_id}", _short(_("🙋 {title} (của bạn)").format(title=s.title)))
               for s in own]
    options += [Option(f"{HOUSEHOLD_KEY}:{h.survey_id}:{h.household_id}", _short(
                       ("✏️ " if h.started else "") + _("{name} — {title}").format(name=h.head_name, title=h.survey_title)))
                for h in homes]
    return Prompt(_("📋 Khảo sát cần trả lời (✏️: đang làm dở):"), tuple(options))


def _short(label: str) -> str:
    """A phone button's worth; the list of 15 stays within one Zalo message."""
    return label if len(label) <= LABEL_MAX else label[:LABEL_MAX - 1].rstrip() + "…"


async def accept_pick(ctx: Ctx, answer: Answer) -> str:
    parts = (answer.option.key if answer.option else "").split(":")
    if parts[0] == OWN_KEY and len(parts) == 2 and (survey_id := key_number(parts[1])) is not None:
        return await _begin(ctx, survey_id, None)
    if parts[0] == HOUSEHOLD_KEY and len(parts) == 3:
        survey_id, household_id = key_number(parts[1]), key_number(parts[2])
        if survey_id is not None and household_id is not None:
            return await _begin(ctx, survey_id, household_id)
    raise Invalid(_("Hãy chọn một khảo sát trong danh sách."))


async def _begin(ctx: Ctx, survey_id: int, household_id: int | None) -> str:
    """Opens (or reopens) the form and names the step for its next question."""
    form = await answering.load_form(ctx.session, survey_id)
    if form is None or not answering.is_open(form.survey, ctx.now):
        raise Invalid(_("Khảo sát này đã kết thúc."))
    if household_id is not None:
        household = await finding.get_in_scope(ctx.session, await ctx.roles(), household_id)
        if household is None or form.survey.respondents != Respondents.HOUSEHOLDS \
                or household.commune_id != form.survey.commune_id:
            raise Invalid(_("Hộ này không thuộc khảo sát hoặc ngoài phạm vi của bạn."))
        response = await answering.household_response(ctx.session, form.survey, household, asked_by=ctx.person.id,
                                                       now=ctx.now)
        ctx.put(household_name=household.head_name)
    else:
        response = await answering.person_response(ctx.session, survey_id, ctx.person.id)
        if response is None:
            raise Invalid(_("Khảo sát này không gửi cho bạn."))
        ctx.drop("household_name")
    if response.completed_at is not None:
        raise Invalid(_("Phiếu này đã hoàn thành."))
    ctx.put(survey_id=survey_id, response_id=response.id, title=form.survey.title, ticked=[], answered=[])
    return await _step_for(ctx, form, response)


async def _step_for(ctx: Ctx, form: Form, response: SurveyResponse) -> str:
    given = await answering.answers(ctx.session, response.id)
    view = answering.next_question(form, given)
    if view is None:
        return TYPED  # every question answered before a restart: the last screen completes it
    return CHOICE if questions.is_choice(view) else TYPED


async def _current(ctx: Ctx) -> tuple[Form, SurveyResponse, QuestionView | None, answering.Answers]:
    form = await answering.load_form(ctx.session, ctx.data["survey_id"])
    response = await answering.response_by_id(ctx.session, ctx.data["response_id"])
    if form is None or response is None:
        raise Invalid(_("Khảo sát này không còn."))
    given = await answering.answers(ctx.session, response.id)
    return form, response, answering.next_question(form, given), given


async def _undo_if_back(ctx: Ctx) -> None:
    """/quaylai takes back the last answer: the engine drops the data kept under the step it returns
    to, so a missing marker for the last answer given here means the person went back."""
    answered = list(ctx.data.get("answered", []))
    if answered and answered[-1][0] not in ctx.data:
        step, question_id = answered.pop()
        await answering.clear_answer(ctx.session, ctx.data["response_id"], question_id)
        ctx.put(answered=answered, ticked=[])
        if answered:
            ctx.put(**{answered[-1][0]: answered[-1][1]})


async def ask_question(ctx: Ctx) -> Prompt:
    await _undo_if_back(ctx)
    form, _response, view, given = await _current(ctx)
    if view is None:
        return Prompt(_("Đã trả lời hết các câu hỏi."), (Option(questions.DONE, _("✅ Lưu phiếu")),))
    answered, total = answering.progress(form, given)
    who = ctx.data.get("household_name")
    heading = (_("📋 {title} — hộ {name}").format(title=form.survey.title, name=who) if who
               else _("📋 {title}").format(title=form.survey.title))
    heading += "\n" + _("Câu {number}/{count}:").format(number=answered + 1, count=total)
    return questions.prompt(view, heading, ctx.data.get("ticked", []))


async def accept_question(ctx: Ctx, answer: Answer) -> str | None:
    form, response, view, _given = await _current(ctx)
    if not answering.is_open(form.survey, ctx.now):
        ctx.put(closed=True)
        return None
    if view is None:
        return None
    await _store(ctx, response, view, answer)
    step = ctx.state.step
    ctx.put(ticked=[], answered=[*ctx.data.get("answered", []), [step, view.question.id]], **{step: view.question.id})
    following = answering.next_question(form, await answering.answers(ctx.session, response.id))
    if following is None:
        return None
    return CHOICE if questions.is_choice(following) else TYPED


async def _store(ctx: Ctx, response: SurveyResponse, view: QuestionView, answer: Answer) -> None:
    question = view.question
    if questions.skipped(ctx, view, answer):
        await answering.save_answer(ctx.session, response, question)
    elif questions.is_choice(view):
        await answering.save_answer(ctx.session, response, question,
                                    choice_ids=questions.choices_picked(ctx, view, answer))
    elif question.kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
        await answering.save_answer(ctx.session, response, question, number=questions.read_number(view, answer.text))
    elif question.kind == QuestionKind.DATE:
        await answering.save_answer(ctx.session, response, question, day=questions.read_day(answer.text))
    elif question.kind == QuestionKind.PHOTO:
        if not answer.photo:
            raise Invalid(_("Câu này cần một ảnh: hãy gửi ảnh."))
        await answering.save_answer(ctx.session, response, question, text=answer.photo)
    else:
        await answering.save_answer(ctx.session, response, question, text=questions.read_text(answer.text))


async def finish(ctx: Ctx) -> list[Reply]:
    form = await answering.load_form(ctx.session, ctx.data["survey_id"])
    response = await answering.response_by_id(ctx.session, ctx.data["response_id"])
    if ctx.data.get("closed") or form is None or response is None or not answering.is_open(form.survey, ctx.now):
        return [Reply(closed_notice(form.survey) + " " + _("Phiếu chưa xong nên không được tính.")
                      if form else _("Khảo sát này không còn."))]
    await answering.complete(ctx.session, response, ctx.now)
    who = ctx.data.get("household_name")
    text = (_("✅ Đã lưu phiếu khảo sát “{title}” của hộ {name}.").format(title=form.survey.title, name=who) if who
            else _("✅ Đã lưu phiếu khảo sát “{title}”. Cảm ơn bạn!").format(title=form.survey.title))
    return [Reply(text, (Option("m:survey", _("📋 Khảo sát khác")), Option("m:main", _("🏠 Trang chính"))), columns=2)]


@action(OPEN_KEY)
async def open_own(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    """The button on a survey sent to the person: their form, resumed where they left it."""
    survey_id = key_number(key.split(":", 1)[1]) if ":" in key else None
    if survey_id is None:
        return [Reply(_("Nút này đã cũ."))]
    return "survey", {"survey_id": survey_id}


@action(AFTER_VISIT_KEY)
async def after_visit(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    parts = key.split(":")
    ids = [key_number(p) for p in parts[1:]] if len(parts) == 3 else []
    if len(ids) != 2 or None in ids:
        return [Reply(_("Nút này đã cũ."))]
    return "survey", {"survey_id": ids[0], "household_id": ids[1]}


_QUESTION_NEXT = (CHOICE, TYPED)
FLOW = Flow(
    name="survey", first="pick", finish=finish, start=start, start_steps=(CHOICE, TYPED),
    steps={
        "pick": Step("pick", ask_pick, accept_pick, next=_QUESTION_NEXT),
        CHOICE: Step(CHOICE, ask_question, accept_question, next=_QUESTION_NEXT),
        TYPED: Step(TYPED, ask_question, accept_question, free_text=True, next=_QUESTION_NEXT),
    },
)
