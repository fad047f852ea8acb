"""The XLSForm layout read into a survey draft: `survey` and `choices` sheets, checked all or nothing.

Supported: the types select_one / select_multiple (with a list of `choices`), integer, decimal,
text, date and image; `required`; `relevant` of the form ${q} = 'x' (one condition on an earlier
single or multiple choice question); a number's range as `constraint` ". >= 0 and . <= 120".
Metadata rows (start, end, today, deviceid…) are ignored. Every problem is reported with its
sheet and row, and nothing is stored unless there is none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.i18n import _
from core.text import fold
from models.surveys.forms import (
    CHOICE_LABEL_MAX,
    LABEL_MAX,
    MAX_CHOICES,
    MAX_QUESTIONS,
    NAME_MAX,
    SCREEN_ROOM,
    TITLE_MAX,
    ChoiceDraft,
    screen_length,
    QuestionDraft,
    SurveyDraft,
)
from models.surveys.tables import CHOICE_KINDS, NUMBER_KINDS, QuestionKind, Respondents

Rows = Sequence[tuple[int, Sequence[str]]]  # (row number as the spreadsheet shows it, cells as text)

TYPES = {"select_one": QuestionKind.SINGLE, "select_multiple": QuestionKind.MULTIPLE,
         "integer": QuestionKind.INTEGER, "decimal": QuestionKind.DECIMAL, "text": QuestionKind.TEXT,
         "date": QuestionKind.DATE, "image": QuestionKind.PHOTO}
METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid",
            "audit", "calculate"}
YES = {"yes", "true", "true()", "1", "co"}
NO = {"", "no", "false", "false()", "0", "khong"}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_RELEVANT = re.compile(r"""^\$\{([^}]+)\}\s*=\s*(['"])(.*?)\2$""")
_SELECTED = re.compile(r"""^selected\(\s*\$\{([^}]+)\}\s*,\s*(['"])(.*?)\2\s*\)$""")
_BOUND = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+(?:[.,]\d+)?)$")


@dataclass(frozen=True)
class FormError:
    sheet: str
    row: int  # 0: the sheet as a whole
    message: str

    def __str__(self) -> str:
        if not self.row:
            return _("Trang “{sheet}”: {message}").format(sheet=self.sheet, message=self.message)
        return _("Trang “{sheet}”, dòng {row}: {message}").format(sheet=self.sheet, row=self.row, message=self.message)


class FormInvalid(Exception):
    def __init__(self, errors: list[FormError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def _header(rows: Rows) -> tuple[dict[str, int], Rows]:
    """Column positions by folded name (a `label::Tiếng Việt` column counts as `label`), and the rows below."""
    if not rows:
        return {}, []
    positions: dict[str, int] = {}
    for index, text in enumerate(rows[0][1]):
        key = fold(text).strip().split("::")[0].strip()
        positions.setdefault(key, index)
    return positions, rows[1:]


def _cell(cells: Sequence[str], positions: Mapping[str, int], key: str) -> str:
    index = positions.get(key)
    return cells[index].strip() if index is not None and index < len(cells) and cells[index] else ""


def parse(sheets: Mapping[str, Rows], default_title: str, respondents: Respondents) -> SurveyDraft:
    """The draft the workbook describes; FormInvalid with every problem found otherwise."""
    errors: list[FormError] = []
    named = {fold(name).strip(): rows for name, rows in sheets.items()}
    for sheet in ("survey", "choices"):
        if sheet not in named:
            errors.append(FormError(sheet, 0, _("thiếu trang này.")))
    if errors:
        raise FormInvalid(errors)
    choices = _choices(named["choices"], errors)
    questions = _questions(named["survey"], choices, errors)
    if not questions and not errors:
        errors.append(FormError("survey", 0, _("không có câu hỏi nào.")))
    if errors:
        raise FormInvalid(errors)
    title = _title(named.get("settings", [])) or default_title
    return SurveyDraft(title[:TITLE_MAX], respondents, questions)


def _title(rows: Rows) -> str:
    positions, body = _header(rows)
    return next((_cell(cells, positions, "form_title") for _n, cells in body if _cell(cells, positions, "form_title")),
                "")


def _choices(rows: Rows, errors: list[FormError]) -> dict[str, list[ChoiceDraft]]:
    positions, body = _header(rows)
    missing = [key for key in ("list_name", "name", "label") if key not in positions]
    if missing:
        errors.append(FormError("choices", rows[0][0] if rows else 0,
                                _("thiếu cột {columns}.").format(columns=", ".join(missing))))
        return {}
    lists: dict[str, list[ChoiceDraft]] = {}
    for number, cells in body:
        list_name, name, label = (_cell(cells, positions, key) for key in ("list_name", "name", "label"))
        if not (list_name or name or label):
            continue
        if not list_name or not name or not label:
            errors.append(FormError("choices", number, _("cần đủ list_name, name và label.")))
            continue
        if len(name) > NAME_MAX or len(label) > CHOICE_LABEL_MAX:
            errors.append(FormError("choices", number, _("name hoặc label quá dài.")))
            continue
        entries = lists.setdefault(list_name, [])
        if any(c.value == name for c in entries):
            errors.append(FormError("choices", number, _("lựa chọn “{name}” đã có trong danh sách “{list}”.").format(
                name=name, list=list_name)))
            continue
        entries.append(ChoiceDraft(name, label))
    return lists


def _questions(rows: Rows, choices: Mapping[str, list[ChoiceDraft]], errors: list[FormError]) -> list[QuestionDraft]:
    positions, body = _header(rows)
    missing = [key for key in ("type", "name", "label") if key not in positions]
    if missing:
        errors.append(FormError("survey", rows[0][0] if rows else 0,
                                _("thiếu cột {columns}.").format(columns=", ".join(missing))))
        return []
    questions: list[QuestionDraft] = []
    for number, cells in body:
        type_text, name, label = (_cell(cells, positions, key) for key in ("type", "name", "label"))
        if not (type_text or name or label):
            continue
        words = type_text.split()
        if words and words[0] in METADATA:
            continue
        problem = _question(number, words, name, label, cells, positions, choices, questions)
        if isinstance(problem, str):
            errors.append(FormError("survey", number, problem))
        else:
            questions.append(problem)
    if len(questions) > MAX_QUESTIONS:
        errors.append(FormError("survey", 0, _("tối đa {max} câu hỏi.").format(max=MAX_QUESTIONS)))
    return questions


def _question(number: int, words: list[str], name: str, label: str, cells: Sequence[str],
              positions: Mapping[str, int], choices: Mapping[str, list[ChoiceDraft]],
              earlier: list[QuestionDraft]) -> QuestionDraft | str:
    """The row's question, or what is wrong with it."""
    if not words or words[0] not in TYPES:
        return _("kiểu “{type}” không dùng được; dùng một trong: {types}.").format(
            type=" ".join(words), types=", ".join(TYPES))
    kind = TYPES[words[0]]
    if not _NAME.match(name) or len(name) > NAME_MAX:
        return _("tên câu hỏi “{name}” không hợp lệ (chữ không dấu, số, dấu _).").format(name=name)
    if any(q.name == name for q in earlier):
        return _("tên câu hỏi “{name}” bị trùng.").format(name=name)
    if not label or len(label) > LABEL_MAX:
        return _("câu hỏi cần label (tối đa {max} ký tự).").format(max=LABEL_MAX)
    required_text = fold(_cell(cells, positions, "required"))
    if required_text not in YES | NO:
        return _("cột required phải là yes hoặc no, không phải “{text}”.").format(text=required_text)
    question = QuestionDraft(name, label, kind, required_text in YES)
    if kind in CHOICE_KINDS:
        if len(words) != 2 or words[1] not in choices:
            return _("{type} cần tên một danh sách có trong trang choices.").format(type=words[0])
        if not 2 <= len(choices[words[1]]) <= MAX_CHOICES:
            return _("danh sách “{list}” cần từ 2 đến {max} lựa chọn.").format(list=words[1], max=MAX_CHOICES)
        question.choices = list(choices[words[1]])
        if screen_length(label, [c.label for c in question.choices]) > SCREEN_ROOM:
            return _("câu hỏi và các lựa chọn dài quá một tin nhắn (tối đa khoảng {max} ký tự).").format(
                max=SCREEN_ROOM)
    if kind in NUMBER_KINDS and (constraint := _cell(cells, positions, "constraint")):
        bounds = _bounds(constraint)
        if bounds is None:
            return _("constraint chỉ nhận dạng “. >= 0 and . <= 120”, không phải “{text}”.").format(text=constraint)
        question.minimum, question.maximum = bounds
    if relevant := _cell(cells, positions, "relevant"):
        match = _RELEVANT.match(relevant) or _SELECTED.match(relevant)
        if match is None:
            return _("relevant chỉ nhận dạng ${{q}} = 'x', không phải “{text}”.").format(text=relevant)
        target = next((q for q in earlier if q.name == match.group(1).strip()), None)
        if target is None or target.kind not in CHOICE_KINDS:
            return _("relevant phải nhắc tới một câu hỏi lựa chọn ở trên (“{name}”).").format(name=match.group(1))
        if all(c.value != match.group(3) for c in target.choices):
            return _("câu “{name}” không có lựa chọn “{value}”.").format(name=target.name, value=match.group(3))
        question.show_if = (target.name, match.group(3))
    return question


def _bounds(constraint: str) -> tuple[float | None, float | None] | None:
    low = high = None
    for part in re.split(r"\s+and\s+", constraint.strip()):
        match = _BOUND.match(part.strip())
        if match is None:
            return None
        value = float(match.group(2).replace(",", "."))
        if match.group(1).startswith(">"):
            low = value
        else:
            high = value
    if low is not None and high is not None and low > high:
        return None
    return low, high
