"""/pa <reference> and the "pa:<id>" button: one concern, its history, and what the person may do.

A reference the person may not see gets the same answer as one that does not exist. Each view is
audited: the screen may name a household (rules in `models.concerns.workflow`).
"""

from __future__ import annotations

from core.i18n import _, format_date
from handlers.engine.flow import Ctx
from handlers.engine.outside_flows import action, command
from handlers.engine.types import Option, Reply
from models import audit
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
from models.tables import Concern, Household, OrgUnit

HISTORY = 5
DESCRIPTION = 800  # characters: the whole text of most concerns, within every platform's limit
NOTE = 100
ACT_FLOW = "concern_act"


def _clean(concern: Concern, text: str, hidden: str | None, limit: int) -> str:
    return group_posts.snippet(text, hidden_name=hidden, limit=limit)


async def _history_lines(ctx: Ctx, concern: Concern, hidden: str | None) -> list[str]:
    lines = [_("Lịch sử:")]
    for event, name in await people.history(ctx.session, concern.id, HISTORY):
        what = str(EVENT_LABELS.get(event.action, event.action))
        note = f": {_clean(concern, event.note, hidden, NOTE)}" if event.note else ""
        lines.append(_("• {when} — {who}: {what}{note}").format(
            when=moment(event.at, ctx.tz), who=name or _("Hệ thống"), what=what, note=note))
    return lines


async def detail_text(ctx: Ctx, concern: Concern, rights: Access) -> str:
    village = await ctx.session.get(OrgUnit, concern.village_id)
    household = await ctx.session.get(Household, concern.household_id) if concern.household_id else None
    shown = rights.names_household(concern.category)
    hidden = household.head_name if household is not None and not shown else None
    urgency = f" · ‼ {URGENCY_LABELS[concern.urgency]}" if urgent_mark(concern) else ""
    lines = [
        _("📄 Ý kiến {reference}").format(reference=concern.reference) + urgency,
        _("Trạng thái: {status} · Cấp: {level}").format(status=STATUS_LABELS[concern.status],
                                                        level=LEVEL_LABELS[concern.level]),
        _("Lĩnh vực: {category}").format(category=CATEGORY_LABELS[concern.category]),
        _("Thôn: {village}").format(village=village.name),
    ]
    if shown:
        lines.append(_("Hộ: {name}").format(name=household.head_name if household else _("ẩn danh / nhiều hộ")))
    lines.append(_("Nội dung: {text}").format(text=_clean(concern, concern.description, hidden, DESCRIPTION)))
    due = concern.due_at.astimezone(ctx.tz).date()
    left = f" ({due_phrase(due, ctx.today)})" if concern.status in ACTIVE else ""
    lines.append(_("Hạn trả lời: {due}").format(due=format_date(due)) + left)
    names = await people.names(ctx.session, {concern.assignee_id} if concern.assignee_id else set())
    lines.append(_("Người xử lý: {who}").format(who=holder_text(concern, names.get(concern.assignee_id))))
    if concern.answer_text and concern.answered_at:
        lines.append(_("Trả lời ({date}): {text}").format(
            date=format_date(concern.answered_at.astimezone(ctx.tz).date()),
            text=_clean(concern, concern.answer_text, hidden, DESCRIPTION)))
    if concern.close_reason and concern.closed_at:
        lines.append(_("Đã đóng ({date}): {reason}").format(
            date=format_date(concern.closed_at.astimezone(ctx.tz).date()),
            reason=CLOSE_REASON_LABELS[concern.close_reason]))
    total, told = await people.household_counts(ctx.session, concern.id)
    lines.append(_("Số hộ nêu: {total} · đã được báo trả lời: {told}").format(total=total, told=told))
    return "\n".join([*lines, *await _history_lines(ctx, concern, hidden)])


async def screen(ctx: Ctx, concern: Concern, rights: Access) -> Reply:
    """The detail with the buttons of the actions allowed now."""
    audit.record(ctx.session, "concern.view", "concern", concern.id, actor_id=ctx.person.id,
                 actor_label=f"person:{ctx.person.id}", details={"reference": concern.reference})
    options = tuple(Option(f"pa:{concern.id}:{ACTION_KEYS[name]}", str(BUTTONS[name]))
                    for name in available(rights, concern))
    return Reply(await detail_text(ctx, concern, rights), options, columns=2)


async def open_by_id(ctx: Ctx, concern_id: int) -> list[Reply]:
    found = await visible_by_id(ctx.session, ctx.person.id, concern_id, await ctx.roles())
    if found is None:
        return [Reply(not_found())]
    return [await screen(ctx, *found)]


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
    """"pa:<id>" shows the concern; "pa:<id>:<action>" starts that action (checked again there)."""
    parts = key.split(":")
    if len(parts) not in (2, 3) or not parts[1].isdigit() or (len(parts) == 3 and parts[2] not in ACTIONS_BY_KEY):
        return [Reply(_("Nút này đã cũ."))]
    if len(parts) == 2:
        return await open_by_id(ctx, int(parts[1]))
    return ACT_FLOW, {"concern_id": int(parts[1]), "act": ACTIONS_BY_KEY[parts[2]]}
