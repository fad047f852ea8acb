"""How an announcement reads: to its recipients (the outbox payloads of the announcement, its
reminder and the note to team leaders) and, described, to its author.

Each payload is written in the reader's language: `use_locale(locale)` around every text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, format_date, use_locale
from models.broadcasts import announcements
from models.broadcasts.audience import Audience, units_named
from models.broadcasts.follow_up import ForLeader
from models.enums import UnitKind
from models.labels import ROLE_LABELS
from models.outbox.enqueue import payload
from models.tables import Announcement, OrgUnit

SNIPPET = 60
LEADER_NAMES = 200  # names in one note to a leader; a team has far fewer
VILLAGE_NAMES = 8  # villages named when describing an audience


def ack_key(announcement_id: int) -> str:
    """The "Đã nhận" button: compact, and all it needs, so it works days later from any screen."""
    return f"an:{announcement_id}"


def snippet(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SNIPPET else line[:SNIPPET - 1].rstrip() + "…"


def when(moment: dt.datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return _("{date} lúc {time}").format(date=format_date(local.date()), time=local.strftime("%H:%M"))


def _heading(unit: OrgUnit, author: str) -> list[str]:
    return [_("📢 THÔNG BÁO — {unit}").format(unit=unit.name), _("Người gửi: {name}").format(name=author)]


def _photo(announcement: Announcement) -> dict[str, Any]:
    return {"photo": announcement.photo_ref, "photo_channel": announcement.photo_channel}


def for_person(announcement: Announcement, unit: OrgUnit, author: str, locale: str) -> dict[str, Any]:
    """The announcement with its "Đã nhận" button (a number to reply on Zalo)."""
    with use_locale(locale):
        text = "\n".join([*_heading(unit, author), "", announcement.text, "",
                          _("Đọc xong, xin bấm “✅ Đã nhận” (hoặc trả lời số 1, hay gõ /danhan).")])
        return payload(text, [(ack_key(announcement.id), _("✅ Đã nhận"))], **_photo(announcement))


def for_group(announcement: Announcement, unit: OrgUnit, author: str, locale: str) -> dict[str, Any]:
    """In a group chat nobody acknowledges for the others: no button."""
    with use_locale(locale):
        return payload("\n".join([*_heading(unit, author), "", announcement.text]), **_photo(announcement))


def reminder(announcement: Announcement, unit: OrgUnit, author: str, tz: ZoneInfo, locale: str) -> dict[str, Any]:
    with use_locale(locale):
        sent = announcement.enqueued_at or announcement.send_at
        text = "\n".join([
            _("🔔 Nhắc: bạn chưa xác nhận đã nhận thông báo của {unit} gửi {date}.").format(
                unit=unit.name, date=format_date(sent.astimezone(tz).date())),
            _("Người gửi: {name}").format(name=author), "", announcement.text, "",
            _("Đọc xong, xin bấm “✅ Đã nhận” (hoặc trả lời số 1, hay gõ /danhan).")])
        return payload(text, [(ack_key(announcement.id), _("✅ Đã nhận"))])


def to_leader(announcement: Announcement, unit: OrgUnit, entry: ForLeader, tz: ZoneInfo,
              locale: str) -> dict[str, Any]:
    """One note per leader, naming all their silent members, team by team."""
    with use_locale(locale):
        sent = announcement.enqueued_at or announcement.send_at
        count = sum(len(names) for names in entry.teams.values())
        lines = [_("📋 Thông báo của {unit} gửi {date}: “{snippet}”").format(
                     unit=unit.name, date=format_date(sent.astimezone(tz).date()), snippet=snippet(announcement.text)),
                 _("{count} người trong tổ đã được nhắc mà vẫn chưa xác nhận đã nhận. "
                   "Xin nhắc trực tiếp giúp:").format(count=count)]
        budget = LEADER_NAMES
        for team, names in entry.teams.items():
            shown, budget = names[:max(budget, 0)], budget - len(names)
            more = _(" và {count} người khác").format(count=len(names) - len(shown)) if len(shown) < len(names) else ""
            lines.append(f"• {team}: {', '.join(shown)}{more}")
        return payload("\n".join(lines))


async def describe_audience(session: AsyncSession, unit: OrgUnit, audience: Audience) -> str:
    """The audience in words, for the confirmation and the report."""
    if audience.kind == "villages":
        villages = await units_named(session, audience.villages)
        names = ", ".join(v.name for v in villages[:VILLAGE_NAMES])
        more = _(" và {count} thôn khác").format(count=len(villages) - VILLAGE_NAMES) \
            if len(villages) > VILLAGE_NAMES else ""
        return _("{count} thôn: {names}{more}").format(count=len(villages), names=names, more=more)
    if audience.kind == "roles":
        return _("Vai trò: {roles} — {unit}").format(roles=", ".join(str(ROLE_LABELS[r]) for r in audience.roles),
                                                     unit=unit.name)
    if audience.kind == "groups":
        return _("Các nhóm chat đã gắn — {unit}").format(unit=unit.name)
    if unit.kind == UnitKind.COMMUNE:
        return _("Tất cả các tổ trong {unit}").format(unit=unit.name)
    return _("Tất cả thành viên {unit}").format(unit=unit.name)


def renderers(announcement: Announcement, unit: OrgUnit, author: str,
              default_locale: str) -> tuple[announcements.Render, announcements.Render]:
    """The payloads `announcements.send` enqueues: to a person in their language, to a group in the default."""
    return (lambda locale: for_person(announcement, unit, author, locale or default_locale),
            lambda _locale: for_group(announcement, unit, author, default_locale))
