"""How report deadlines read, shared by the "🗓 Hạn báo cáo" screen and the scheduled nudges.

Everything renders in the current locale (the caller sets the recipient's with `use_locale`).
"""

from __future__ import annotations

import datetime as dt

from core.i18n import LazyString, _, __, current_locale, format_date, format_short_date
from models.deadlines.calendar import ANNUAL, HALF_YEAR, MONTHLY_TEAM, day_off


def report_title(kind: str, period: str) -> str:
    year, _sep, month = period.partition("-")
    if kind == HALF_YEAR:
        return _("Báo cáo 6 tháng đầu năm {year}").format(year=year)
    if kind == ANNUAL:
        return _("Báo cáo năm {year}").format(year=year)
    return _("Báo cáo tháng {month}/{year}").format(month=int(month), year=year)


def day_off_note(day: dt.date) -> str:
    """Empty on a working day; otherwise why the office may be closed that day."""
    off = day_off(day, current_locale())
    if off is None:
        return ""
    if off.holiday:
        return _("trùng ngày nghỉ lễ: {holiday}").format(holiday=off.holiday)
    weekday = _("Chủ nhật") if off.weekday == 6 else _("Thứ Bảy")
    return _("rơi vào {weekday}, ngày nghỉ cuối tuần").format(weekday=weekday)


def due_text(day: dt.date, *, short: bool = False) -> str:
    """"ngày 25 tháng 11 năm 2026", with the weekend or holiday note in brackets when there is one."""
    text = format_short_date(day) if short else format_date(day)
    note = day_off_note(day)
    return f"{text} (⚠ {note})" if note else text


def days_left_text(due: dt.date, on: dt.date) -> str:
    days = (due - on).days
    if days > 1:
        return _("Còn {days} ngày.").format(days=days)
    if days == 1:
        return _("Hạn là ngày mai.")
    if days == 0:
        return _("Hạn là hôm nay.")
    return _("Đã quá hạn {days} ngày.").format(days=-days)


KIND_LABELS: dict[str, LazyString] = {
    MONTHLY_TEAM: __("Báo cáo tháng của Tổ Dân vận"),
    HALF_YEAR: __("Báo cáo 6 tháng của chi bộ"),
    ANNUAL: __("Báo cáo năm của chi bộ"),
}
