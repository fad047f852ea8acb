"""One survey question as a screen, and the answer read back by its kind.

Single choice: a button (or its number) per option. Several choices: each button toggles a ✔ and
"✅ Xong" moves on; on Zalo the numbers work the same, or several typed at once ("1 3"). Numbers
take Vietnamese writing (1.240, 86,5) within the question's range; dates "15/6/2026"; a photo.
"""

from __future__ import annotations

import datetime as dt
import re

from core.i18n import _, format_date
from core.text import fold_words
from handlers.engine.flow import Answer, Ctx, Invalid, Prompt, Stay
from handlers.engine.types import Option
from models.surveys.answering import QuestionView
from models.surveys.tables import CHOICE_KINDS, NUMBER_KINDS, QuestionKind
from models.surveys.texts import number

PICK, TICK, DONE, SKIP = "sc:", "st:", "sd", "ss"
TEXT_MAX = 500
_DAY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$")
_SEVERAL = re.compile(r"^\d+(?:\s*[,;\s]\s*\d+)+$")
SKIP_WORDS = {"bo qua", "skip"}


def is_choice(view: QuestionView) -> bool:
    return view.question.kind in CHOICE_KINDS


def prompt(view: QuestionView, heading: str, ticked: list[int]) -> Prompt:
    """The question with what to do, its options, and "Bỏ qua" when it is optional."""
    question = view.question
    lines = [heading, question.label + ("" if question.required else " " + _("(không bắt buộc)"))]
    options: list[Option] = []
    if question.kind == QuestionKind.SINGLE:
        options = [Option(f"{PICK}{c.id}", c.label) for c in view.choices]
    elif question.kind == QuestionKind.MULTIPLE:
        lines.append(_("Chọn một hay nhiều ý (chọn lại để bỏ), rồi chọn “✅ Xong”. Có thể gõ nhiều số, ví dụ: 1 3."))
        options = [Option(f"{TICK}{c.id}", ("✔ " if c.id in ticked else "") + c.label) for c in view.choices]
        options.append(Option(DONE, _("✅ Xong")))
    else:
        lines.append(_hint(view))
    if not question.required:
        options.append(Option(SKIP, _("Bỏ qua")))
    return Prompt("\n".join(lines), tuple(options))


def _hint(view: QuestionView) -> str:
    question = view.question
    if question.kind in NUMBER_KINDS:
        return _("Gõ một số{range}.").format(range=_range(view))
    if question.kind == QuestionKind.DATE:
        return _("Gõ ngày, ví dụ 15/6/2026.")
    if question.kind == QuestionKind.PHOTO:
        return _("Gửi một ảnh.")
    return _("Gõ câu trả lời (tối đa {max} ký tự).").format(max=TEXT_MAX)


def _range(view: QuestionView) -> str:
    low, high = view.question.minimum, view.question.maximum
    if low is not None and high is not None:
        return _(" từ {min} đến {max}").format(min=number(low), max=number(high))
    if low is not None:
        return _(" từ {min} trở lên").format(min=number(low))
    if high is not None:
        return _(" không quá {max}").format(max=number(high))
    return ""


def skipped(ctx: Ctx, view: QuestionView, answer: Answer) -> bool:
    """"Bỏ qua" pressed or typed (a bare "1" typed for a number is the number, not the first option)."""
    if view.question.required:
        return False
    if ctx.incoming.choice is not None:
        return answer.option is not None and answer.option.key == SKIP
    if fold_words(answer.text) in SKIP_WORDS:
        return True
    return is_choice(view) and answer.option is not None and answer.option.key == SKIP


def choices_picked(ctx: Ctx, view: QuestionView, answer: Answer) -> list[int]:
    """The choice ids the answer settles on; a toggle asks the question again (Stay) with its ✔ moved."""
    key = answer.option.key if answer.option is not None else ""
    ids = [c.id for c in view.choices]
    if view.question.kind == QuestionKind.SINGLE:
        if key.startswith(PICK) and key[len(PICK):].isdigit() and int(key[len(PICK):]) in ids:
            return [int(key[len(PICK):])]
        raise Invalid(_("Hãy chọn bằng số từ 1 đến {count}.").format(count=len(ids)))
    ticked = [i for i in ctx.data.get("ticked", []) if i in ids]
    if key.startswith(TICK) and key[len(TICK):].isdigit() and int(key[len(TICK):]) in ids:
        choice = int(key[len(TICK):])
        ctx.put(ticked=[i for i in ticked if i != choice] if choice in ticked else [*ticked, choice])
        raise Stay()
    if key == DONE:
        if not ticked:
            raise Invalid(_("Chưa chọn ý nào; chọn ít nhất một ý rồi chọn “✅ Xong”."))
        return sorted(ticked, key=ids.index)
    if _SEVERAL.match(answer.text.strip()):
        numbers = [int(n) for n in re.findall(r"\d+", answer.text)]
        if all(1 <= n <= len(ids) for n in numbers):
            return sorted({ids[n - 1] for n in numbers}, key=ids.index)
    raise Invalid(_("Hãy chọn các ý bằng số từ 1 đến {count} (ví dụ: 1 3), rồi chọn “✅ Xong”.").format(
        count=len(ids)))


def read_number(view: QuestionView, text: str) -> float:
    """"1.240", "86,5", "-3" as a number within the question's range; Invalid says what is expected."""
    question = view.question
    cleaned = text.strip().replace(" ", "")
    if question.kind == QuestionKind.INTEGER:
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", cleaned):
            cleaned = cleaned.replace(".", "")
        if not re.fullmatch(r"-?\d+", cleaned):
            raise Invalid(_("Cần một số nguyên{range}.").format(range=_range(view)))
        value = float(int(cleaned))
    else:
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", cleaned):
            cleaned = cleaned.replace(".", "")
        cleaned = cleaned.replace(",", ".")
        if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            raise Invalid(_("Cần một số, ví dụ 86,5{range}.").format(range=_range(view)))
        value = float(cleaned)
    if (question.minimum is not None and value < question.minimum) or (
            question.maximum is not None and value > question.maximum):
        raise Invalid(_("{value} nằm ngoài khoảng cho phép: cần một số{range}.").format(
            value=number(value), range=_range(view)))
    return value


def read_day(text: str) -> dt.date:
    match = _DAY.match(text.strip())
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year + 2000 if year < 100 else year, month, day)
        except ValueError:
            pass
    raise Invalid(_("Không hiểu ngày “{text}”; gõ ví dụ 15/6/2026.").format(text=text.strip()))


def read_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise Invalid(_("Hãy gõ câu trả lời."))
    if len(text) > TEXT_MAX:
        raise Invalid(_("Câu trả lời dài {count} ký tự; tối đa {max}.").format(count=len(text), max=TEXT_MAX))
    return text


def shown_day(day: dt.date) -> str:
    return format_date(day)
