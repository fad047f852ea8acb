"""Words shared by the concern inbox, its detail screen, its actions and their notifications."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from core.i18n import LazyString, _, __, format_short_date
from models.concerns.passing_on import TOLD
from models.concerns.similar import ADDED
from models.concerns.workflow import Action
from models.enums import ConcernLevel, Urgency
from models.tables import Concern

LEVEL_LABELS: dict[ConcernLevel, LazyString] = {
    ConcernLevel.TEAM: __("Tổ Dân vận"),
    ConcernLevel.CHI_BO: __("Chi bộ"),
    ConcernLevel.COMMUNE: __("Khối dân vận xã"),
}

# What each history row says (actions of other modules fall back to their code).
EVENT_LABELS: dict[str, LazyString] = {
    "created": __("Tiếp nhận"),
    Action.TAKE_ON: __("Nhận xử lý"),
    Action.ESCALATE: __("Chuyển lên cấp trên"),
    Action.NOTE: __("Ghi chú"),
    Action.ANSWER: __("Trả lời"),
    Action.CLOSE: __("Đóng"),
    Action.REOPEN: __("Mở lại"),
    ADDED: __("Thêm hộ nêu cùng ý kiến"),
    TOLD: __("Đã báo trả lời cho hộ"),
}

# The detail screen's buttons: "pa:<id>:<key>".
ACTION_KEYS = {Action.TAKE_ON: "t", Action.ESCALATE: "e", Action.NOTE: "n", Action.ANSWER: "a",
               Action.CLOSE: "c", Action.REOPEN: "r"}
ACTIONS_BY_KEY = {key: name for name, key in ACTION_KEYS.items()}
BUTTONS: dict[str, LazyString] = {
    Action.TAKE_ON: __("🙋 Nhận xử lý"),
    Action.ESCALATE: __("⬆ Chuyển lên"),
    Action.NOTE: __("📝 Ghi chú"),
    Action.ANSWER: __("💬 Trả lời"),
    Action.CLOSE: __("✅ Đóng"),
    Action.REOPEN: __("↩ Mở lại"),
}

REFUSALS: dict[str, LazyString] = {
    "read_only": __("Bạn chỉ xem được ý kiến này; tổ trưởng và lãnh đạo phụ trách sẽ xử lý."),
    "closed": __("Ý kiến này đã đóng; hãy mở lại trước."),
    "answered": __("Ý kiến này đã có trả lời; có thể đóng hoặc mở lại."),
    "not_reopenable": __("Chỉ mở lại được ý kiến đã trả lời hoặc đã đóng."),
    "top": __("Ý kiến đã ở cấp xã, không chuyển lên được nữa."),
}

_REFERENCE = re.compile(r"^\s*PA\s*-?\s*(\d{4})\s*-?\s*(\d{1,5})\s*$", re.IGNORECASE)


def refusal(code: str, concern: Concern) -> str:
    if code == "level":
        return _("Ý kiến {reference} đã chuyển lên {level}; cấp đó xử lý, bạn vẫn theo dõi được.").format(
            reference=concern.reference, level=LEVEL_LABELS[concern.level])
    return str(REFUSALS[code])


def not_found(reference: str | None = None) -> str:
    """The same words whether the concern does not exist or the person may not see it."""
    if reference:
        return _("Không tìm thấy ý kiến {reference} trong phạm vi bạn theo dõi.").format(reference=reference)
    return _("Không tìm thấy ý kiến này trong phạm vi bạn theo dõi.")


def normalise_reference(text: str) -> str | None:
    """"pa-2026-12", "PA 2026 00012" → "PA-2026-00012"; None when it is not a reference."""
    match = _REFERENCE.match(text)
    return f"PA-{match.group(1)}-{int(match.group(2)):05d}" if match else None


def urgent_mark(concern: Concern) -> str:
    return "‼ " if concern.urgency == Urgency.URGENT else ""


def due_phrase(due: dt.date, today: dt.date) -> str:
    days = (due - today).days
    if days > 0:
        return _("còn {days} ngày").format(days=days)
    if days == 0:
        return _("hạn hôm nay")
    return _("quá hạn {days} ngày").format(days=-days)


def moment(at: dt.datetime, tz: ZoneInfo) -> str:
    local = at.astimezone(tz)
    return f"{format_short_date(local.date())} {local:%H:%M}"


def holder_text(concern: Concern, name: str | None) -> str:
    """Who handles it: a person, an outside body followed up by a person, or nobody yet."""
    if concern.assignee_label and name:
        return _("{body} (theo dõi: {name})").format(body=concern.assignee_label, name=name)
    return concern.assignee_label or name or _("chưa có")
