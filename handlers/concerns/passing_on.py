"""“✅ Đã báo cho hộ”: recording that a household heard the answer, without logging a visit.

The button rides on the answered notification and on the 7-day nudge, so a volunteer who told
the household by phone can say so days later from any screen. Its key carries the concern and
the household's row ("bh:12:34"); pressing it twice records once.
"""

from __future__ import annotations

from core.i18n import _, format_date
from handlers.engine.flow import Ctx
from handlers.engine.keys import key_numbers
from handlers.engine.outside_flows import action
from handlers.engine.types import Reply
from models.concerns import passing_on
from models.tables import Household


@action("bh")
async def told(ctx: Ctx, key: str) -> list[Reply]:
    """The household heard the answer: the row's volunteer, whoever handles the concern, or a
    leader of its village may record it."""
    numbers = key_numbers(key, 2) if key.count(":") == 2 else None
    if numbers is None:
        return [Reply(_("Nút này đã cũ."))]
    concern_id, row_id = numbers
    found = await passing_on.row_with_concern(ctx.session, row_id)
    if found is None or found[1].id != concern_id:
        return [Reply(_("Nút này đã cũ."))]
    row, concern = found
    if not await passing_on.may_record_told(ctx.session, ctx.person.id, row, concern, await ctx.roles()):
        return [Reply(_("Chỉ người đã ghi ý kiến này, người đang xử lý hoặc lãnh đạo thôn mới ghi nhận được."))]
    household = await ctx.session.get(Household, row.household_id) if row.household_id is not None else None
    who = _("hộ {name}").format(name=household.head_name) if household else _("người nêu ý kiến")
    if row.told_at is not None:
        return [Reply(_("Đã ghi nhận trước đó: {who} đã được báo câu trả lời {reference} ({date}).").format(
            who=who, reference=concern.reference, date=format_date(row.told_at.astimezone(ctx.tz).date())))]
    if not passing_on.stands(concern):
        return [Reply(_("Ý kiến {reference} hiện không có câu trả lời nào chờ báo cho hộ.").format(
            reference=concern.reference))]
    await passing_on.mark_told(ctx.session, row, person_id=ctx.person.id, now=ctx.now, concern=concern)
    return [Reply(_("✅ Đã ghi nhận: {who} đã được báo câu trả lời {reference}.").format(
        who=who, reference=concern.reference))]
