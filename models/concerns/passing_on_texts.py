"""The words of passing an answer on, shared by the answered notification, the visit flow and the
7-day nudge: the “✅ Đã báo cho hộ” button, the answer lines, the nudge itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.i18n import _
from models.concerns.group_posts import snippet
from models.concerns.passing_on import PendingAnswer

DESCRIPTION_SHOWN, ANSWER_SHOWN = 80, 700


def told_button(concern_id: int, household_row_id: int) -> tuple[str, str]:
    """The button's key and label, for any message that asks the volunteer to pass an answer on."""
    return f"bh:{concern_id}:{household_row_id}", _("✅ Đã báo cho hộ")


def told_buttons(concern_id: int, rows: Sequence[tuple[int, str | None]]) -> list[tuple[str, str]]:
    """One button per household the volunteer owes the answer (`passing_on.rows_to_tell`),
    named by household when there are several."""
    if len(rows) == 1:
        return [told_button(concern_id, rows[0][0])]
    buttons = []
    for row_id, name in rows:
        key, label = told_button(concern_id, row_id)
        buttons.append((key, _("✅ Đã báo cho hộ {name}").format(name=name)[:60] if name else label))
    return buttons


def answer_lines(answers: Sequence[PendingAnswer]) -> list[str]:
    """Reference, what was raised and the answer — what the volunteer needs to say it."""
    lines = []
    for item in answers:
        lines.append(_("• {reference} — {description}").format(
            reference=item.reference, description=snippet(item.description, limit=DESCRIPTION_SHOWN)))
        lines.append(_("  Trả lời: {answer}").format(answer=snippet(item.answer_text, limit=ANSWER_SHOWN)))
    return lines


def nudge_text(row: PendingAnswer, now: dt.datetime) -> str:
    """The 7-day nudge: which household still waits, for how long, and the answer to tell it."""
    days = (now - row.answered_at).days
    if row.household_name is not None:
        head = _("⏰ Câu trả lời cho hộ {name} chưa được chuyển ({days} ngày từ khi có trả lời):").format(
            name=row.household_name, days=days)
        tail = _("Báo cho hộ xong (gặp hoặc gọi điện), bấm “✅ Đã báo cho hộ”. Lần ghi thăm hộ tới, bot cũng hỏi lại.")
    else:
        head = _("⏰ Câu trả lời cho ý kiến {reference} chưa được báo lại cho người nêu ({days} ngày):").format(
            reference=row.reference, days=days)
        tail = _("Báo cho người nêu xong (gặp hoặc gọi điện), bấm “✅ Đã báo cho hộ”.")
    return "\n".join([head, *answer_lines([row]), "", tail])
