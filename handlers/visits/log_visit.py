"""Log a visit: household, purpose, "did they raise a concern?" — four taps from the menu.

When the household is in an open campaign with no final outcome for it, the flow asks that outcome
after the purpose (one extra tap, only then); the household's query brings the campaign too.

When an answer to a concern waits for the household, the flow shows it right after the household
is chosen and asks whether it was passed on; "yes" is recorded with the visit. Any volunteer
visiting the household may pass it on, not only the one who logged the concern (that one is
the volunteer the 7-day nudge goes to). Checking costs nothing extra: the household is read with
an EXISTS in the same query.
"""

from __future__ import annotations

import datetime as dt

from core.i18n import _, __, format_date
from handlers.engine.dates import BadDate, example_back, looks_like_date, looks_like_time, parse_day
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay, Step
from handlers.engine.steps import LabelChoice, TextRule
from handlers.engine.types import Option, Reply
from handlers.campaigns import visit_question
from handlers.households.picker import accept_household, ask_household
from handlers.surveys.answer import AFTER_VISIT_KEY
from models.concerns import passing_on
from models.concerns.passing_on_texts import answer_lines
from models.enums import VisitPurpose
from models.labels import PURPOSE_LABELS
from models.visits.record import household_to_visit, record_visit, visit_with_person

NOTE_MAX = 500
ANSWERS_SHOWN = 3  # more than one waiting is rare; the rest come on the next visit
PURPOSES = LabelChoice("p:", PURPOSE_LABELS, __("Hãy chọn mục đích bằng số từ 1 đến {count}."))
NOTE = TextRule(NOTE_MAX, __("Ghi chú cần có chữ; hoặc chọn Bỏ qua."), __("Ghi chú dài {count} ký tự; tối đa {max}."))


async def ask_household_step(ctx: Ctx) -> Prompt:
    return await ask_household(ctx, _("📝 Ghi thăm hộ — chọn hộ đã thăm:"))


async def accept_household_step(ctx: Ctx, answer: Answer) -> str:
    found = await accept_household(ctx, answer, visit_question.loader(ctx))
    if found is None:
        raise Invalid(_("Hãy chọn một hộ trong danh sách."))
    household, answer_waiting, campaign_row = found
    ctx.drop("told", "told_rows", *visit_question.KEYS)
    ctx.put(household_id=household.id, household_name=household.head_name, campaign_row=campaign_row)
    return "told" if answer_waiting else "purpose"


async def ask_told(ctx: Ctx) -> Prompt:
    """The answers waiting for this household; the rows shown are the ones "yes" records."""
    answers = (await passing_on.waiting_for_household(ctx.session, ctx.data["household_id"]))[:ANSWERS_SHOWN]
    ctx.put(told_rows=[a.row_id for a in answers])
    if not answers:  # told by someone else in the meantime
        return Prompt(_("Câu trả lời cho hộ {name} vừa được người khác ghi nhận là đã báo.").format(
            name=ctx.data["household_name"]), (Option("t:n", _("Tiếp tục")),))
    lines = [_("📨 Có câu trả lời chờ chuyển cho hộ {name}:").format(name=ctx.data["household_name"]),
             *answer_lines(answers), "", _("Bạn đã chuyển câu trả lời này cho hộ chưa?")]
    return Prompt("\n".join(lines), (Option("t:y", _("✅ Đã chuyển")), Option("t:n", _("Chưa, lần sau"))),
                  columns=2)


async def accept_told(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    if key == "t:y":
        ctx.put(told=ctx.data.get("told_rows", []))
    elif key != "t:n":
        raise Invalid(_("Hãy chọn 1 hoặc 2."))
    return "purpose"


def visit_day(ctx: Ctx) -> dt.date:
    value = ctx.data.get("visited_on")
    return dt.date.fromisoformat(value) if value else ctx.today


async def ask_purpose(ctx: Ctx) -> Prompt:
    day = visit_day(ctx)
    when = _("hôm nay") if day == ctx.today else format_date(day)
    text = _("Thăm hộ {name} ({when}). Mục đích thăm?\n(Thăm vào ngày khác? Gõ ngày, ví dụ “hôm qua” hoặc “{example}”.)"
             ).format(name=ctx.data["household_name"], when=when, example=example_back(ctx.today))
    return PURPOSES.prompt(text)


async def accept_purpose(ctx: Ctx, answer: Answer) -> str:
    if (purpose := PURPOSES.picked(answer)) is not None:
        ctx.put(purpose=purpose.value)
        return "campaign" if ctx.data.get("campaign_row") else "raised"
    if looks_like_date(answer.text) or looks_like_time(answer.text):
        try:
            day = parse_day(answer.text, ctx.today)
        except BadDate as error:
            raise Invalid(date_problem(error, answer.text, ctx.today)) from None
        ctx.put(visited_on=day.isoformat())
        raise Stay(_("Ngày thăm: {date}.").format(date=format_date(day)))
    raise Invalid(PURPOSES.refusal())


def date_problem(error: BadDate, text: str, today: dt.date) -> str:
    """What is wrong with the day typed, in its own words: a time, a day ahead, a day too long ago."""
    if error.reason == "format" and looks_like_time(text):  # "19:30", "19.30"
        return _("Chỉ cần ngày thăm, không cần giờ: gõ ví dụ “hôm qua” hoặc “{example}”.").format(
            example=example_back(today))
    if error.reason == "future":
        return _("Ngày thăm không thể ở tương lai.")
    if error.reason == "too_old":
        return _("Chỉ ghi được lượt thăm trong 90 ngày gần đây.")
    return _("Không hiểu ngày này; gõ ví dụ “hôm qua” hoặc “{example}”.").format(example=example_back(today))


async def ask_raised(ctx: Ctx) -> Prompt:
    return Prompt(_("Hộ có ý kiến, kiến nghị gì không?"), (
        Option("r:save", _("Không — lưu ngay")),
        Option("r:note", _("Không, thêm ghi chú")),
        Option("r:concern", _("Có — ghi ý kiến")),
    ))


async def accept_raised(ctx: Ctx, answer: Answer) -> str | None:
    key = answer.option.key if answer.option else ""
    if key == "r:note":
        return "note"
    if key in ("r:save", "r:concern"):
        ctx.put(raised=key == "r:concern")
        return await save_or_ask(ctx)
    raise Invalid(_("Hãy chọn 1, 2 hoặc 3."))


async def ask_note(ctx: Ctx) -> Prompt:
    return Prompt(_("Ghi chú ngắn (tối đa {max} ký tự), hoặc bỏ qua:").format(max=NOTE_MAX),
                  (Option("n:skip", _("Bỏ qua")),))


async def accept_note(ctx: Ctx, answer: Answer) -> str | None:
    ctx.put(note=None if answer.option is not None else NOTE.check(answer.text))
    return await save_or_ask(ctx)


async def save_or_ask(ctx: Ctx) -> str | None:
    """Saves (None), or first asks when the household already has a visit that day (a double tap,
    or two volunteers at the same door). The household read here serves the save too."""
    found = await household_to_visit(ctx.session, ctx.data["household_id"], visit_day(ctx), ctx.now)
    if found is None or found[2] is None or ctx.data.get("again") == "save":
        return None
    ctx.put(earlier_visit=found[2])
    return "again"


async def ask_again(ctx: Ctx) -> Prompt:
    earlier = await visit_with_person(ctx.session, ctx.data["earlier_visit"])
    day = visit_day(ctx)
    if earlier is None:
        text = _("Hộ {name} đã có lượt thăm {date}.").format(name=ctx.data["household_name"],
                                                            date=format_date(day))
    else:
        visit, who = earlier
        text = _("Hộ {name} đã có lượt thăm {date} ({who} ghi lúc {time}).").format(
            name=ctx.data["household_name"], date=format_date(day),
            who=_("bạn") if visit.person_id == ctx.person.id else who,
            time=visit.created_at.astimezone(ctx.tz).strftime("%H:%M"))
    return Prompt(text + "\n" + _("Vẫn ghi thêm lượt thăm này?"),
                  (Option("a:save", _("✅ Vẫn ghi thêm")), Option("a:skip", _("Không ghi lượt này"))))


async def accept_again(ctx: Ctx, answer: Answer) -> None:
    key = answer.option.key if answer.option else ""
    if key not in ("a:save", "a:skip"):
        raise Invalid(_("Hãy chọn 1 hoặc 2."))
    ctx.put(again=key[2:])


async def finish(ctx: Ctx) -> list[Reply]:
    if ctx.data.get("again") == "skip":
        return _not_saved(ctx)
    day = visit_day(ctx)
    # Households are never deleted; read by `save_or_ask` in the same update, as a rule.
    household, nhom, _earlier, survey_id = await household_to_visit(ctx.session, ctx.data["household_id"], day,
                                                                    ctx.now)
    visit = await record_visit(ctx.session, person_id=ctx.person.id, household=household, visited_on=day,
                               purpose=VisitPurpose(ctx.data["purpose"]), note=ctx.data.get("note"),
                               channel=ctx.incoming.channel, now=ctx.now, nhom=nhom)
    text = _("✅ Đã ghi thăm hộ {name}, {date}.\nMục đích: {purpose}.").format(
        name=household.head_name, date=format_date(day), purpose=PURPOSE_LABELS[visit.purpose])
    if visit.note:
        text += "\n" + _("Ghi chú: {note}").format(note=visit.note)
    if outcome := await visit_question.record(ctx, visit.id):
        text += "\n" + outcome
    if told := await _record_told(ctx, household.id):
        text += "\n" + _("📨 Đã ghi nhận: hộ đã được báo câu trả lời {references}.").format(
            references=", ".join(told))
    if ctx.data.get("raised"):
        ctx.put(_next_flow="concern", _next_data={"household_id": household.id, "household_name": household.head_name})
        return [Reply(text)]
    text += "\n" + _("(Có thể hoàn tác trong 10 phút.)")
    # The next visit first (a "1" typed out of habit logs another), undo last and asked again on a bare number.
    # A survey the household is due: one more button, no question in the visit itself.
    survey = (Option(f"{AFTER_VISIT_KEY}:{survey_id}:{household.id}", _("📋 Khảo sát hộ này")),) if survey_id else ()
    return [Reply(text, (Option("m:visit", _("📝 Ghi thăm hộ")), *survey, Option("m:main", _("🏠 Trang chính")),
                         Option(f"undo:{visit.id}", _("↩ Hoàn tác"), confirm=True)), columns=2)]


def _not_saved(ctx: Ctx) -> list[Reply]:
    text = _("Không ghi thêm lượt thăm hộ {name}.").format(name=ctx.data["household_name"])
    if ctx.data.get("raised"):
        ctx.put(_next_flow="concern", _next_data={"household_id": ctx.data["household_id"],
                                                  "household_name": ctx.data["household_name"]})
    return [Reply(text)]


async def _record_told(ctx: Ctx, household_id: int) -> list[str]:
    """The answers the volunteer said were passed on, recorded now that the visit is saved."""
    told = []
    for row_id in ctx.data.get("told", []):
        found = await passing_on.row_with_concern(ctx.session, row_id)
        if found is None or found[0].household_id != household_id or not passing_on.stands(found[1]):
            continue
        if await passing_on.mark_told(ctx.session, found[0], person_id=ctx.person.id, now=ctx.now,
                                        concern=found[1]):
            told.append(found[1].reference)
    return told


FLOW = Flow(
    name="visit", first="household", finish=finish,
    steps={
        "household": Step("household", ask_household_step, accept_household_step, next=("told", "purpose")),
        "told": Step("told", ask_told, accept_told, next=("purpose",)),
        "purpose": Step("purpose", ask_purpose, accept_purpose, next=("campaign", "raised")),
        "campaign": Step("campaign", visit_question.ask, visit_question.accept, next=("raised",)),
        "raised": Step("raised", ask_raised, accept_raised, next=("note", "again")),
        "note": Step("note", ask_note, accept_note, free_text=True, next=("again",)),
        "again": Step("again", ask_again, accept_again),
    },
)
