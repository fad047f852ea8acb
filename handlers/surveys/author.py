"""Writing a survey in the chat (the commune's office): title, who answers, deadline, then questions.

Each question: its words, its type, its options (several typed at once, one a line or separated
by ";"), a number's range, whether it must be answered. "👁 Xem trước" shows the form as written,
a page at a time when long; "✅ Đăng" publishes it (a survey for members and leaders is sent by
the survey job within minutes). Show-if conditions come with an XLSForm import.
"""

from __future__ import annotations

import datetime as dt
import re

from core.i18n import _, __, format_date
from handlers.engine.dates import example_ahead, parse_future_day
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay, Step
from handlers.engine.paging import SCREEN, pages
from handlers.engine.steps import LabelChoice, TextRule
from handlers.engine.types import Option, Reply
from models import access
from models.meetings.calendar import local_moment
from models.surveys import forms
from models.surveys.forms import ChoiceDraft, QuestionDraft, SurveyDraft
from models.surveys.tables import CHOICE_KINDS, NUMBER_KINDS, QuestionKind, Respondents
from models.surveys.texts import number

KIND_LABELS = {
    QuestionKind.SINGLE: __("Chọn một"), QuestionKind.MULTIPLE: __("Chọn nhiều"), QuestionKind.INTEGER: __("Số nguyên"),
    QuestionKind.DECIMAL: __("Số thập phân"), QuestionKind.TEXT: __("Chữ ngắn"), QuestionKind.DATE: __("Ngày"),
    QuestionKind.PHOTO: __("Ảnh"),
}
RESPONDENT_LABELS = {Respondents.HOUSEHOLDS: __("🏠 Các hộ (tổ viên hỏi khi thăm)"),
                     Respondents.PEOPLE: __("👥 Tổ viên và lãnh đạo (gửi trực tiếp)")}
KINDS = LabelChoice("k:", KIND_LABELS, __("Hãy chọn kiểu câu hỏi bằng số từ 1 đến {count}."), columns=2)
WHO = LabelChoice("w:", RESPONDENT_LABELS, __("Hãy chọn 1 hoặc 2."))
TITLE = TextRule(forms.TITLE_MAX, __("Tên khảo sát cần có chữ (ít nhất {min} ký tự)."),
                 __("Tên khảo sát dài {count} ký tự; tối đa {max}."), minimum=5)
LABEL = TextRule(300, __("Câu hỏi cần có chữ."), __("Câu hỏi dài {count} ký tự; tối đa {max}."), minimum=3)
ADD, PREVIEW, PUBLISH, MORE_PREVIEW = "a:add", "a:preview", "a:publish", "a:pv"
_RANGE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:-|–|đến|den|to)\s*(-?\d+(?:[.,]\d+)?)\s*$")


def _draft(ctx: Ctx) -> SurveyDraft:
    return forms.from_dict(ctx.data["draft"])


async def start(ctx: Ctx) -> str:
    communes = access.survey_communes(await ctx.roles())
    if not communes:
        raise Invalid(_("Mục này dành cho lãnh đạo xã."))
    ctx.put(commune_id=communes[0].id, commune_name=communes[0].name)
    return "title"


async def ask_title(ctx: Ctx) -> Prompt:
    return Prompt(_("🗳 Khảo sát mới của {commune}. Tên khảo sát?").format(commune=ctx.data["commune_name"]))


async def accept_title(ctx: Ctx, answer: Answer) -> str:
    ctx.put(title=TITLE.check(answer.text))
    return "who"


async def ask_who(ctx: Ctx) -> Prompt:
    return WHO.prompt(_("Ai trả lời khảo sát này?"))


async def accept_who(ctx: Ctx, answer: Answer) -> str:
    ctx.put(draft=forms.to_dict(SurveyDraft(ctx.data["title"], WHO.choose(answer))))
    return "deadline"


async def ask_deadline(ctx: Ctx) -> Prompt:
    return Prompt(_("Hạn trả lời đến hết ngày nào? Ví dụ {example}.").format(example=example_ahead(ctx.today)))


async def accept_deadline(ctx: Ctx, answer: Answer) -> str:
    day = parse_future_day(answer.text, ctx.today)
    if day is None:
        raise Invalid(_("Cần một ngày từ hôm nay trở đi, ví dụ {example}.").format(example=example_ahead(ctx.today)))
    ctx.put(deadline=day.isoformat())
    return "menu"


async def ask_menu(ctx: Ctx) -> Prompt:
    draft = _draft(ctx)
    shown = ctx.data.get("preview")
    if shown is not None:
        pieces, index = shown
        options = [Option(MORE_PREVIEW, _("▶ Xem tiếp ({page}/{count})").format(page=index + 2, count=len(pieces)))] \
            if index + 1 < len(pieces) else []
        return Prompt(pieces[index], (*options, *_menu_options(draft)))
    text = _("“{title}”: {count} câu hỏi. Hạn: hết {date}.").format(
        title=draft.title, count=len(draft.questions), date=format_date(dt.date.fromisoformat(ctx.data["deadline"])))
    return Prompt(text, _menu_options(draft))


def _menu_options(draft: SurveyDraft) -> tuple[Option, ...]:
    options = [Option(ADD, _("➕ Thêm câu hỏi"))]
    if draft.questions:
        options += [Option(PREVIEW, _("👁 Xem trước")), Option(PUBLISH, _("✅ Đăng khảo sát"), confirm=True)]
    return tuple(options)


async def accept_menu(ctx: Ctx, answer: Answer) -> str | None:
    key = answer.option.key if answer.option else ""
    shown = ctx.data.get("preview")
    ctx.drop("preview")
    if key == ADD:
        ctx.drop("q")
        return "label"
    if key == PREVIEW:
        ctx.put(preview=[pages(preview_text(_draft(ctx)), SCREEN - 300), 0])
        raise Stay()
    if key == MORE_PREVIEW and shown is not None and shown[1] + 1 < len(shown[0]):
        ctx.put(preview=[shown[0], shown[1] + 1])
        raise Stay()
    if key == PUBLISH and _draft(ctx).questions:
        return None
    raise Invalid(_("Hãy chọn một mục bằng số."))


def preview_text(draft: SurveyDraft) -> str:
    lines = [_("👁 Xem trước “{title}”:").format(title=draft.title)]
    for index, q in enumerate(draft.questions, 1):
        mark = _("bắt buộc") if q.required else _("không bắt buộc")
        lines.append(_("{number}. {label} — {kind}, {required}").format(number=index, label=q.label,
                                                                       kind=KIND_LABELS[q.kind], required=mark))
        lines += [f"   ○ {c.label}" for c in q.choices]
        if q.minimum is not None or q.maximum is not None:
            lines.append("   " + _("khoảng: {min} – {max}").format(
                min=number(q.minimum) if q.minimum is not None else "…",
                max=number(q.maximum) if q.maximum is not None else "…"))
    return "\n".join(lines)


async def ask_label(ctx: Ctx) -> Prompt:
    return Prompt(_("Câu hỏi {number}: gõ nội dung câu hỏi.").format(number=len(_draft(ctx).questions) + 1))


async def accept_label(ctx: Ctx, answer: Answer) -> str:
    ctx.put(q={"label": LABEL.check(answer.text)})
    return "kind"


async def ask_kind(ctx: Ctx) -> Prompt:
    return KINDS.prompt(_("Kiểu câu trả lời?"))


async def accept_kind(ctx: Ctx, answer: Answer) -> str:
    kind = KINDS.choose(answer)
    ctx.put(q={**ctx.data["q"], "kind": kind.value})
    if kind in CHOICE_KINDS:
        return "choices"
    if kind in NUMBER_KINDS:
        return "range"
    return "required"


async def ask_choices(ctx: Ctx) -> Prompt:
    return Prompt(_("Gõ các lựa chọn, mỗi dòng một lựa chọn hoặc cách nhau bằng dấu “;” (từ 2 đến {max}).").format(
        max=forms.MAX_CHOICES))


async def accept_choices(ctx: Ctx, answer: Answer) -> str:
    labels = [" ".join(part.split()) for part in re.split(r"[\n;]", answer.text) if part.strip()]
    if not 2 <= len(labels) <= forms.MAX_CHOICES:
        raise Invalid(_("Cần từ 2 đến {max} lựa chọn; bạn gõ {count}.").format(max=forms.MAX_CHOICES,
                                                                              count=len(labels)))
    if len({label.casefold() for label in labels}) != len(labels):
        raise Invalid(_("Có lựa chọn bị trùng."))
    if any(len(label) > 80 for label in labels):
        raise Invalid(_("Mỗi lựa chọn tối đa 80 ký tự."))
    if forms.screen_length(ctx.data["q"]["label"], labels) > forms.SCREEN_ROOM:
        raise Invalid(_("Câu hỏi và các lựa chọn dài quá một tin nhắn; hãy rút gọn."))
    ctx.put(q={**ctx.data["q"], "choices": labels})
    return "required"


async def ask_range(ctx: Ctx) -> Prompt:
    return Prompt(_("Khoảng cho phép, ví dụ “0-120”; hoặc bỏ qua."), (Option("r:none", _("Bỏ qua")),))


async def accept_range(ctx: Ctx, answer: Answer) -> str:
    if answer.option is not None and answer.option.key == "r:none":
        return "required"
    match = _RANGE.match(answer.text)
    low, high = (float(g.replace(",", ".")) for g in match.groups()) if match else (None, None)
    if low is None or high is None or low > high:
        raise Invalid(_("Gõ hai số, số nhỏ trước, ví dụ “0-120”; hoặc chọn Bỏ qua."))
    ctx.put(q={**ctx.data["q"], "minimum": low, "maximum": high})
    return "required"


async def ask_required(ctx: Ctx) -> Prompt:
    return Prompt(_("Câu này có bắt buộc trả lời không?"),
                  (Option("q:yes", _("Bắt buộc")), Option("q:no", _("Không bắt buộc"))), columns=2)


async def accept_required(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    if key not in ("q:yes", "q:no"):
        raise Invalid(_("Hãy chọn 1 hoặc 2."))
    q, draft = ctx.data["q"], _draft(ctx)
    if len(draft.questions) >= forms.MAX_QUESTIONS:
        raise Invalid(_("Tối đa {max} câu hỏi.").format(max=forms.MAX_QUESTIONS))
    draft.questions.append(QuestionDraft(
        f"q{len(draft.questions) + 1}", q["label"], QuestionKind(q["kind"]), key == "q:yes",
        [ChoiceDraft(f"c{i}", label) for i, label in enumerate(q.get("choices", []), 1)],
        q.get("minimum"), q.get("maximum")))
    ctx.put(draft=forms.to_dict(draft))
    ctx.drop("q")
    return "menu"


async def finish(ctx: Ctx) -> list[Reply]:
    draft = _draft(ctx)
    day = dt.date.fromisoformat(ctx.data["deadline"])
    deadline = local_moment(day, 23, 59, ctx.tz)
    survey = await forms.create_survey(ctx.session, draft, commune_id=ctx.data["commune_id"], deadline=deadline,
                                       author_id=ctx.person.id, now=ctx.now)
    text = _("✅ Đã đăng khảo sát “{title}” ({count} câu hỏi), hạn hết {date}.").format(
        title=survey.title, count=len(draft.questions), date=format_date(day))
    if draft.respondents == Respondents.PEOPLE:
        text += "\n" + _("Khảo sát sẽ được gửi tới tổ viên và lãnh đạo trong ít phút, và nhắc một lần trước hạn.")
    else:
        text += "\n" + _("Tổ viên thấy các hộ cần khảo sát ở mục “📋 Khảo sát”.")
    return [Reply(text)]


FLOW = Flow(
    name="survey_new", first="title", finish=finish, start=start,
    steps={
        "title": Step("title", ask_title, accept_title, free_text=True, next=("who",)),
        "who": Step("who", ask_who, accept_who, next=("deadline",)),
        "deadline": Step("deadline", ask_deadline, accept_deadline, free_text=True, next=("menu",)),
        "menu": Step("menu", ask_menu, accept_menu, next=("label",)),
        "label": Step("label", ask_label, accept_label, free_text=True, next=("kind",)),
        "kind": Step("kind", ask_kind, accept_kind, next=("choices", "range", "required")),
        "choices": Step("choices", ask_choices, accept_choices, free_text=True, next=("required",)),
        "range": Step("range", ask_range, accept_range, free_text=True, next=("required",)),
        "required": Step("required", ask_required, accept_required, next=("menu",)),
    },
)
