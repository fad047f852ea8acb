"""/pa <reference> and the "pa:<id>" button: one concern, its history, and what the person may do.

A reference the person may not see gets the same answer as one that does not exist. Each view is
audited: the screen may name a household (rules in `models.concerns.workflow`). The screen fits
one Zalo message: a long description, answer or history is shortened there and read in full,
a page at a time, behind "📄 Xem toàn văn" ("pa:<id>:f:<page>").
"""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import _, format_date
from handlers.engine.flow import Ctx
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import action, command
from handlers.engine.paging import fits, pages
from handlers.engine.types import Option, Reply
from models import access, audit
from models.concerns import group_posts, people
from models.concerns.texts import (
    ACTION_KEYS,
    ACTIONS_BY_KEY,
    BUTTONS,
    EVENT_LABELS,
    LEVEL_LABELS,
    due_phrase,
    holder_text,
    moment,
    normalise_reference,
    not_found,
    urgent_mark,
)
from models.concerns.workflow import ACTIVE, Access, available, find_visible, visible_by_id
from models.labels import CATEGORY_LABELS, CLOSE_REASON_LABELS, STATUS_LABELS, URGENCY_LABELS
from models.tables import Concern, ConcernEvent, Household, OrgUnit

HISTORY = 5
DESCRIPTION = 800  # characters: the whole text of most concerns
NOTE = 100
# (description and answer, history rows, note) tried in turn until the screen is one message.
SHORTER = ((DESCRIPTION, HISTORY, NOTE), (500, 3, 80), (300, 2, 60), (160, 1, 40))
FULL_PAGE = 1700  # characters of the full text per page, the heading and page turns aside
FULL = "f"
ACT_FLOW = "concern_act"
LIST = "pal"  # back to the inbox; "pal:<category>:<village>:<status>:<page>" keeps its filters


@dataclass(frozen=True)
class _Facts:
    """What the screen says, read once and then shortened as far as the message needs."""

    head: list[str]
    description: str
    middle: list[str]
    answer: tuple[str, str] | None  # its date, the text
    tail: list[str]
    events: list[tuple[ConcernEvent, str | None]]  # up to HISTORY + 1: the extra one tells more exist
    hidden: str | None


def _cut(text: str, hidden: str | None, limit: int) -> str:
    return group_posts.snippet(text, hidden_name=hidden, limit=limit)


def _event_line(ctx: Ctx, event: ConcernEvent, name: str | None, note: str) -> str:
    what = str(EVENT_LABELS.get(event.action, event.action))
    return _("• {when} — {who}: {what}{note}").format(
        when=moment(event.at, ctx.tz), who=name or _("Hệ thống"), what=what, note=f": {note}" if note else "")


async def _facts(ctx: Ctx, concern: Concern, rights: Access) -> _Facts:
    village = await ctx.session.get(OrgUnit, concern.village_id)
    household = await ctx.session.get(Household, concern.household_id) if concern.household_id else None
    shown = rights.names_household(concern.category)
    hidden = household.head_name if household is not None and not shown else None
    urgency = f" · ‼ {URGENCY_LABELS[concern.urgency]}" if urgent_mark(concern) else ""
    head = [
        _("📄 Ý kiến {reference}").format(reference=concern.reference) + urgency,
        _("Trạng thái: {status} · Cấp: {level}").format(status=STATUS_LABELS[concern.status],
                                                        level=LEVEL_LABELS[concern.level]),
        _("Lĩnh vực: {category}").format(category=CATEGORY_LABELS[concern.category]),
        _("Thôn: {village}").format(village=village.name),
    ]
    if shown:
        head.append(_("Hộ: {name}").format(name=household.head_name if household else _("ẩn danh / nhiều hộ")))
    due = concern.due_at.astimezone(ctx.tz).date()
    left = f" ({due_phrase(due, ctx.today)})" if concern.status in ACTIVE else ""
    names = await people.names(ctx.session, {concern.assignee_id} if concern.assignee_id else set())
    middle = [_("Hạn trả lời: {due}").format(due=format_date(due)) + left,
              _("Người xử lý: {who}").format(who=holder_text(concern, names.get(concern.assignee_id)))]
    answer = None
    if concern.answer_text and concern.answered_at:
        answer = (format_date(concern.answered_at.astimezone(ctx.tz).date()), concern.answer_text)
    tail = []
    if concern.close_reason and concern.closed_at:
        tail.append(_("Đã đóng ({date}): {reason}").format(
            date=format_date(concern.closed_at.astimezone(ctx.tz).date()),
            reason=CLOSE_REASON_LABELS[concern.close_reason]))
    total, told = await people.household_counts(ctx.session, concern.id)
    tail.append(_("Số hộ nêu: {total} · đã được báo trả lời: {told}").format(total=total, told=told))
    events = await people.history(ctx.session, concern.id, HISTORY + 1)
    return _Facts(head, concern.description, middle, answer, tail, events, hidden)


def _compose(ctx: Ctx, facts: _Facts, text_limit: int, rows: int, note_limit: int) -> tuple[str, bool]:
    """The screen's text within these limits, and whether anything was left out."""
    description = _cut(facts.description, facts.hidden, text_limit)
    lines = [*facts.head, _("Nội dung: {text}").format(text=description), *facts.middle]
    cut = description.endswith("…")
    if facts.answer is not None:
        answer = _cut(facts.answer[1], facts.hidden, text_limit)
        cut = cut or answer.endswith("…")
        lines.append(_("Trả lời ({date}): {text}").format(date=facts.answer[0], text=answer))
    lines += [*facts.tail, _("Lịch sử:")]
    shown = facts.events[-rows:]
    cut = cut or len(shown) < len(facts.events)
    for event, name in shown:
        note = _cut(event.note, facts.hidden, note_limit) if event.note else ""
        cut = cut or note.endswith("…")
        lines.append(_event_line(ctx, event, name, note))
    return "\n".join(lines), cut


async def screen(ctx: Ctx, concern: Concern, rights: Access, *, back: str = LIST) -> Reply:
    """The detail with the buttons of the actions allowed now, the full text and the way back to
    the list (`back` keeps the list's filters)."""
    audit.record(ctx.session, "concern.view", "concern", concern.id, actor_id=ctx.person.id,
                 actor_label=f"person:{ctx.person.id}", details={"reference": concern.reference})
    actions = [Option(f"pa:{concern.id}:{ACTION_KEYS[name]}", str(BUTTONS[name]))
               for name in available(rights, concern)]
    extra = [Option(back, _("◀ Danh sách ý kiến"))] if access.leads(await ctx.roles()) else []
    facts = await _facts(ctx, concern, rights)
    reply = Reply("")
    for limits in SHORTER:
        text, cut = _compose(ctx, facts, *limits)
        full = [Option(f"pa:{concern.id}:{FULL}:0", _("📄 Xem toàn văn"))] if cut else []
        reply = Reply(text, (*actions, *full, *extra), columns=2)
        if fits(reply):
            break
    return reply


async def full_text(ctx: Ctx, concern: Concern, rights: Access, page: int) -> Reply:
    """Description, answer and every history note as written, a page at a time."""
    audit.record(ctx.session, "concern.view", "concern", concern.id, actor_id=ctx.person.id,
                 actor_label=f"person:{ctx.person.id}", details={"reference": concern.reference, "full": True})
    facts = await _facts(ctx, concern, rights)
    events = await people.history(ctx.session, concern.id, None)
    lines = [_("Nội dung: {text}").format(text=group_posts.masked(facts.description, hidden_name=facts.hidden))]
    if facts.answer is not None:
        lines += ["", _("Trả lời ({date}): {text}").format(
            date=facts.answer[0], text=group_posts.masked(facts.answer[1], hidden_name=facts.hidden))]
    lines += ["", _("Lịch sử:")]
    lines += [_event_line(ctx, event, name, group_posts.masked(event.note, hidden_name=facts.hidden)
                          if event.note else "") for event, name in events]
    pieces = pages("\n".join(lines), FULL_PAGE)
    page = min(max(page, 0), len(pieces) - 1)
    heading = _("📄 Ý kiến {reference} — toàn văn").format(reference=concern.reference)
    if len(pieces) > 1:
        heading += " · " + _("trang {page}/{count}").format(page=page + 1, count=len(pieces))
    options = []
    if page:
        options.append(Option(f"pa:{concern.id}:{FULL}:{page - 1}", _("◀ Trang trước")))
    if page + 1 < len(pieces):
        options.append(Option(f"pa:{concern.id}:{FULL}:{page + 1}", _("▶ Trang sau")))
    options.append(Option(f"pa:{concern.id}", _("📄 Xem ý kiến")))
    return Reply(f"{heading}\n\n{pieces[page]}", tuple(options), columns=2)


async def open_by_id(ctx: Ctx, concern_id: int, *, back: str = LIST) -> list[Reply]:
    found = await visible_by_id(ctx.session, ctx.person.id, concern_id, await ctx.roles())
    if found is None:
        return [Reply(not_found())]
    return [await screen(ctx, *found, back=back)]


@command("pa")
async def by_reference(ctx: Ctx, arg: str) -> list[Reply]:
    if not arg.strip():
        return [Reply(_("Gõ /pa và mã ý kiến, ví dụ: /pa PA-2026-00012"))]
    reference = normalise_reference(arg) or arg.strip()[:24]
    concern = await find_visible(ctx.session, ctx.person.id, reference, await ctx.roles())
    if concern is None:
        return [Reply(not_found(reference))]
    return await open_by_id(ctx, concern.id)


@action("pa")
async def on_button(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    """"pa:<id>" shows the concern; "pa:<id>:f:<page>" its full text; "pa:<id>:<action>" starts that
    action (checked again there)."""
    parts = key.split(":")
    concern_id, rest = key_number(parts[1]) if len(parts) >= 2 else None, parts[2:]
    if concern_id is None:
        return [Reply(_("Nút này đã cũ."))]
    if not rest:
        return await open_by_id(ctx, concern_id)
    if rest[0] == FULL and len(rest) == 2 and (page := key_number(rest[1], minimum=0)) is not None:
        found = await visible_by_id(ctx.session, ctx.person.id, concern_id, await ctx.roles())
        return [await full_text(ctx, *found, page)] if found else [Reply(not_found())]
    if len(rest) == 1 and rest[0] in ACTIONS_BY_KEY:
        return ACT_FLOW, {"concern_id": concern_id, "act": ACTIONS_BY_KEY[rest[0]]}
    return [Reply(_("Nút này đã cũ."))]
