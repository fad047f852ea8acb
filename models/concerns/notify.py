"""Telling people that a concern changed: one message per event and person, through the outbox.

Who is told (never the person who acted):
- the volunteers who logged its households, of every change of status or level; when it is
  answered, the message carries the answer and asks them to pass it on to their households;
- the person it is given to (taking on, reopening, a note added by someone else);
- on escalation, the people who hold the receiving level (chi bộ secretary; khối dân vận head and
  commune secretary).
A person with several of these parts gets one message, the most pressing part. The key
`concern:<id>:ev<event>` (then `:p<person>`) makes a second call add nothing.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, format_date, use_locale
from models.concerns import passing_on, people
from models.concerns.passing_on_texts import told_buttons
from models.concerns.texts import LEVEL_LABELS, holder_text
from models.concerns.workflow import Action
from models.labels import CATEGORY_LABELS, CLOSE_REASON_LABELS, STATUS_LABELS
from models.outbox.enqueue import enqueue_for_person, payload
from models.tables import Concern, ConcernEvent, OrgUnit

ASSIGNEE, LEVEL, VOLUNTEER = "assignee", "level", "volunteer"


async def _recipients(session: AsyncSession, concern: Concern, event: ConcernEvent) -> dict[int, str]:
    """Person → the part they are told in; the most pressing part wins."""
    parts: dict[int, str] = {}
    if event.action in (Action.TAKE_ON, Action.REOPEN, Action.NOTE) and concern.assignee_id:
        parts[concern.assignee_id] = ASSIGNEE
    if event.action == Action.ESCALATE:
        for person_id in await people.level_holders(session, concern, concern.level):
            parts.setdefault(person_id, LEVEL)
    if event.action != Action.NOTE and (event.from_status != event.to_status or event.action == Action.ESCALATE):
        for person_id in await people.volunteers(session, concern):
            parts.setdefault(person_id, VOLUNTEER)
    parts.pop(event.actor_id, None)
    return parts


def _head(concern: Concern, village: OrgUnit) -> str:
    return _("{reference} — {village}, {category}").format(
        reference=concern.reference, village=village.name, category=CATEGORY_LABELS[concern.category])


def _volunteer_text(concern: Concern, event: ConcernEvent, village: OrgUnit, households: list[str],
                    holder: str) -> str:
    head = _head(concern, village)
    if event.action == Action.ANSWER:
        who = ", ".join(households) or _("những hộ đã nêu")
        return "\n".join([_("💬 Ý kiến {head} đã có trả lời:").format(head=head), concern.answer_text or "", "",
                          _("👉 Việc của bạn: báo lại câu trả lời cho hộ {households}. Lần tới ghi thăm hộ, "
                            "bot sẽ hỏi bạn đã báo chưa; báo rồi thì bấm “✅ Đã báo cho hộ”.").format(
                              households=who)])
    if event.action == Action.ESCALATE:
        text = _("⬆ Ý kiến {head} đã được chuyển lên {level}.").format(head=head, level=LEVEL_LABELS[concern.level])
    elif event.action == Action.TAKE_ON:
        text = _("🔄 Ý kiến {head} đang được giải quyết. Người xử lý: {who}.").format(head=head, who=holder)
    elif event.action == Action.CLOSE:
        text = _("✅ Ý kiến {head} đã đóng: {reason}.").format(head=head,
                                                               reason=CLOSE_REASON_LABELS[concern.close_reason])
    elif event.action == Action.REOPEN:
        text = _("↩ Ý kiến {head} được mở lại.").format(head=head)
    else:
        text = _("Ý kiến {head}: {status}.").format(head=head, status=STATUS_LABELS[concern.status])
    return text + (("\n" + _("Ghi chú: {note}").format(note=event.note)) if event.note else "")


def _text(part: str, concern: Concern, event: ConcernEvent, village: OrgUnit, households: list[str],
          holder: str, tz: ZoneInfo) -> str:
    if part == VOLUNTEER:
        return _volunteer_text(concern, event, village, households, holder)
    due = _("Hạn trả lời: {due}").format(due=format_date(concern.due_at.astimezone(tz).date()))
    head = _head(concern, village)
    if part == LEVEL:
        text = _("⬆ Ý kiến {head} được chuyển lên {level} để xử lý.").format(head=head,
                                                                          level=LEVEL_LABELS[concern.level])
        if event.actor_id is None:
            text += "\n" + _("(Tự động: đã quá hạn mà chưa có trả lời.)")
    elif event.action == Action.NOTE:
        text = _("📝 Ghi chú mới ở ý kiến {head} bạn đang xử lý.").format(head=head)
    elif event.action == Action.REOPEN:
        text = _("↩ Ý kiến {head} bạn xử lý được mở lại.").format(head=head)
    else:
        text = _("📌 Bạn được giao xử lý ý kiến {head}.").format(head=head)
        if concern.assignee_label:
            text += "\n" + _("Theo dõi với: {body}").format(body=concern.assignee_label)
    note = ("\n" + _("Ghi chú: {note}").format(note=event.note)) if event.note else ""
    return f"{text}{note}\n{due}"


async def notify_change(session: AsyncSession, concern: Concern, event: ConcernEvent, *, now: dt.datetime,
                        tz: ZoneInfo, default_locale: str) -> int:
    """Queues the messages about `event` in the caller's transaction; how many were added."""
    parts = await _recipients(session, concern, event)
    if not parts:
        return 0
    village = await session.get(OrgUnit, concern.village_id)
    households = await people.volunteers(session, concern)
    names = await people.names(session, {concern.assignee_id} if concern.assignee_id else set())
    # Answered: each volunteer also gets "✅ Đã báo cho hộ" for the households they owe it
    # (`passing_on.rows_to_tell`).
    to_tell = await passing_on.rows_to_tell(session, concern.id) if event.action == Action.ANSWER else {}
    added = 0
    for person in await people.persons(session, parts):
        part = parts[person.id]
        with use_locale(person.locale or default_locale):
            holder = holder_text(concern, names.get(concern.assignee_id))
            text = _text(part, concern, event, village, households.get(person.id, []), holder, tz)
            tell = told_buttons(concern.id, to_tell.get(person.id, [])) if part == VOLUNTEER else []
            body = payload(text, [*tell, (f"pa:{concern.id}", _("📄 Xem ý kiến"))])
        added += await enqueue_for_person(session, person, key=f"concern:{concern.id}:ev{event.id}",
                                          kind=f"concern_{event.action}", body=body, now=now, tz=tz)
    return added
