"""The monthly digest in words: short enough to read on a phone, Vietnamese first.

Household names appear only with `names=True`, for a person whose roles cover the village; a
group's copy (the chi bộ group) gives counts only, as everything said in groups does.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from core.i18n import _, current_locale, format_month, format_short_date
from models.concerns import group_posts
from models.digests.compute import (
    CommuneDigest,
    Measures,
    MeetingFigures,
    RaisedConcern,
    StaleHousehold,
    VillageDigest,
    shift_first,
)
from models.labels import CATEGORY_LABELS
from models.campaigns.texts import summary_line

MEMBER_LINES = 10
IDLE_NAMES = 10
VILLAGE_RAISED = 3
RAISED_SNIPPET = 60


def period_text(start: dt.date, end: dt.date) -> str:
    """"tháng 10 năm 2026" for a whole month; the days too for part of one (a month still running)."""
    if start.day == 1 and end == shift_first(start, 1):
        return format_month(start)
    return _("{month} (từ {start} đến {end})").format(month=format_month(start), start=format_short_date(start),
                                                      end=format_short_date(end - dt.timedelta(days=1)))


def change_text(value: int) -> str:
    return f"+{value}" if value > 0 else (str(value) if value < 0 else "±0")


def _percent(part: int, whole: int) -> str:
    return f" ({round(100 * part / whole)}%)" if whole else ""


def _names(names: list[str], limit: int) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += _(" và {count} người khác").format(count=len(names) - limit)
    return shown


def _stale_name(home: StaleHousehold) -> str:
    when = format_short_date(home.last_visit) if home.last_visit else _("chưa thăm")
    return f"{home.name} ({when})"


def days_text(days: float) -> str:
    """A median in days, to a tenth, with the reader's decimal mark: "12,5" in Vietnamese."""
    return format_decimal(round(days, 1), format="#,##0.#", locale=current_locale())


def measures_text(m: Measures) -> str:
    """On time, median and households told, for lines that have their own label in front."""
    return _("đúng hạn {on_time}/{answered}{on_time_percent}, trung vị {days} ngày, "
             "đã báo lại {told}/{households} hộ{told_percent}").format(
        on_time=m.on_time, answered=m.answered, on_time_percent=_percent(m.on_time, m.answered),
        days=days_text(m.median_days or 0), told=m.told, households=m.households,
        told_percent=_percent(m.told, m.households))


def raised_snippet(concern: RaisedConcern) -> str:
    """The start of the description, never a name: the reporting household's is hidden, phones masked."""
    return group_posts.snippet(concern.description, hidden_name=concern.household_name, limit=RAISED_SNIPPET)


def meeting_text(meeting: MeetingFigures, tz: ZoneInfo) -> str:
    if meeting.held:
        day = format_short_date(meeting.last_held.astimezone(tz).date())
        if meeting.recorded:
            return _("📅 Họp giao ban: đã họp ngày {date}, {present}/{recorded} người dự.").format(
                date=day, present=meeting.present, recorded=meeting.recorded)
        return _("📅 Họp giao ban: đã họp ngày {date} (chưa điểm danh).").format(date=day)
    if meeting.unrecorded:
        return _("📅 Họp giao ban: đến giờ họp nhưng chưa ghi điểm danh, biên bản.")
    return _("📅 Họp giao ban: chưa có buổi họp nào.")


def village_text(d: VillageDigest, tz: ZoneInfo, *, names: bool, score: str | None = None) -> str:
    """`score`: the team's running evaluation, one line (`models.evaluation.texts.digest_line`)."""
    f = d.figures
    lines = [_("📊 Tổng hợp {period} — {village}").format(period=period_text(d.start, d.end), village=d.name), "",
             _("🏠 Thăm hộ: {visits} lượt; {reached}/{households} hộ được thăm{percent}").format(
                 visits=d.visits, reached=d.reached, households=d.households,
                 percent=_percent(d.reached, d.households))]
    for nhom in d.nhom:
        lines.append(_("• {nhom}: {visits} lượt, {reached}/{households} hộ, {concerns} ý kiến").format(
            nhom=nhom.name, visits=nhom.visits, reached=nhom.reached, households=nhom.households,
            concerns=nhom.concerns))
    active = [m for m in d.members if not m.idle]
    if active:
        lines.append(_("👤 Theo thành viên:"))
        for member in active[:MEMBER_LINES]:
            lines.append(_("• {name}: {visits} lượt thăm, {concerns} ý kiến").format(
                name=member.name, visits=member.visits, concerns=member.concerns))
        if len(active) > MEMBER_LINES:
            lines.append(_("… và {count} người khác (xem bảng tính)").format(count=len(active) - MEMBER_LINES))
    if d.stale:
        lines.append(_("⏳ {count} hộ chưa được thăm từ 60 ngày trở lên").format(count=d.stale))
        if names and d.oldest:
            lines.append(_("Lâu nhất: {names}").format(names=", ".join(_stale_name(h) for h in d.oldest)))
    else:
        lines.append(_("⏳ Không có hộ nào quá 60 ngày chưa được thăm."))
    lines.append(_("📣 Ý kiến, kiến nghị: {opened} mới, {answered} đã trả lời, {overdue} quá hạn").format(
        opened=f.opened, answered=f.answered, overdue=f.overdue))
    for line in d.categories:
        lines.append(_("• {category}: {opened} mới, {answered} đã trả lời, {overdue} quá hạn").format(
            category=CATEGORY_LABELS[line.category], opened=line.opened, answered=line.answered,
            overdue=line.overdue))
    if d.measures.answered:
        lines.append(_("⏱ Trả lời: {measures}").format(measures=measures_text(d.measures)))
    if d.raised:
        lines.append(_("👥 Nhiều hộ cùng phản ánh:"))
        for concern in d.raised[:VILLAGE_RAISED]:
            lines.append(_("• {reference}: {count} hộ — {text}").format(
                reference=concern.reference, count=concern.households, text=raised_snippet(concern)))
    lines += [summary_line(campaign, counts) for campaign, counts in d.campaigns]
    if d.models_approved:
        lines.append(_("🌟 Mô hình “Dân vận khéo” đã duyệt: {count}").format(count=d.models_approved))
    lines.append(meeting_text(d.meeting, tz))
    idle = [m.name for m in d.idle]
    if idle:
        lines.append(_("😴 Chưa có hoạt động ({count}/{total}): {names}").format(
            count=len(idle), total=len(d.members), names=_names(idle, IDLE_NAMES)))
    elif d.members:
        lines.append(_("✅ Thành viên nào cũng có hoạt động."))
    if score:
        lines.append(score)
    return "\n".join(lines)


def meeting_mark(d: VillageDigest) -> str:
    if d.meeting.held:
        return _("đã họp")
    return _("chưa ghi nhận") if d.meeting.unrecorded else _("chưa họp")


def commune_text(d: CommuneDigest) -> str:
    total, change = d.total, d.total - d.previous_total
    held = sum(1 for v in d.villages if v.meeting.held)
    lines = [_("📊 Tổng hợp {period} — {commune}").format(period=period_text(d.start, d.end), commune=d.name),
             _("(Trong ngoặc: thay đổi so với {period}.)").format(
                 period=period_text(d.previous_start, d.previous_end)), "",
             _("Toàn xã: {visits} lượt thăm ({visits_change}); {reached}/{households} hộ được thăm; "
               "{stale} hộ quá 60 ngày chưa thăm ({stale_change})").format(
                 visits=total.visits, visits_change=change_text(change.visits), reached=total.reached,
                 households=total.households, stale=total.stale, stale_change=change_text(change.stale)),
             _("Ý kiến: {opened} mới ({opened_change}), {answered} đã trả lời ({answered_change}), "
               "{overdue} quá hạn ({overdue_change})").format(
                 opened=total.opened, opened_change=change_text(change.opened), answered=total.answered,
                 answered_change=change_text(change.answered), overdue=total.overdue,
                 overdue_change=change_text(change.overdue)),
             *([_("Trả lời: {measures}").format(measures=measures_text(d.measures))] if d.measures.answered else []),
             _("Họp giao ban: {held}/{villages} thôn đã họp; {idle}/{members} thành viên chưa có hoạt động").format(
                 held=held, villages=len(d.villages), idle=total.idle, members=total.members),
             *(summary_line(campaign, counts) for campaign, counts in d.campaigns),
             *([_("🌟 Mô hình “Dân vận khéo” đã duyệt: {count}").format(count=models)]
               if (models := sum(v.models_approved for v in d.villages)) else []), ""]
    for village in d.villages:
        f, c = village.figures, d.change(village.village_id)
        lines.append(_("• {village}: {visits} lượt ({visits_change}), {reached}/{households} hộ, "
                       "{stale} hộ quá 60 ngày ({stale_change})").format(
            village=village.name, visits=f.visits, visits_change=change_text(c.visits), reached=f.reached,
            households=f.households, stale=f.stale, stale_change=change_text(c.stale)))
        lines.append(_("  ý kiến {opened} mới, {answered} đã trả lời, {overdue} quá hạn ({overdue_change}); "
                       "họp: {meeting}; {idle} chưa có hoạt động").format(
            opened=f.opened, answered=f.answered, overdue=f.overdue, overdue_change=change_text(c.overdue),
            meeting=meeting_mark(village), idle=f.idle))
        if village.measures.answered:
            lines.append(_("  trả lời: {measures}").format(measures=measures_text(village.measures)))
    if d.category_measures:
        lines += ["", _("Trả lời theo lĩnh vực:")]
        for category, m in d.category_measures:
            lines.append(_("• {category}: {measures}").format(category=CATEGORY_LABELS[category],
                                                             measures=measures_text(m)))
    if d.raised:
        names = {v.village_id: v.name for v in d.villages}
        lines += ["", _("👥 Nhiều hộ cùng phản ánh:")]
        for concern in d.raised:
            lines.append(_("• {reference} ({village}): {count} hộ — {text}").format(
                reference=concern.reference, village=names.get(concern.village_id, ""), count=concern.households,
                text=raised_snippet(concern)))
    return "\n".join(lines)
