"""Undoing a concern just logged: "cu:<id>" asks, "cu:<id>:y" removes it (within 10 minutes).

Undo is never the first option and never happens on one press or one typed number: the
confirmation says what it does and puts keeping the concern first.
"""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Ctx
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply
from models.concerns.record import UNDO_WINDOW, UndoRefused, undo_concern
from models.tables import Concern

PREFIX = "cu"


def undo_option(concern: Concern) -> Option:
    return Option(f"{PREFIX}:{concern.id}", _("↩ Hoàn tác"))


def _refusal(reason: UndoRefused) -> str:
    if reason == UndoRefused.ACTED_ON:
        return _("Không hoàn tác được: ý kiến đã được tiếp nhận hoặc có hộ khác cùng phản ánh.")
    if reason == UndoRefused.SENT:
        return _("Không hoàn tác được: ý kiến đã được gửi tới nhóm.")
    return _("Không hoàn tác được: đã quá 10 phút hoặc ý kiến không còn.")


@action(PREFIX)
async def answer(ctx: Ctx, key: str) -> list[Reply]:
    parts = key.split(":")
    concern_id = key_number(parts[1]) if len(parts) in (2, 3) else None
    if concern_id is None:
        return [Reply(_("Nút này đã cũ."))]
    if len(parts) == 2:
        concern = await ctx.session.get(Concern, concern_id)
        if concern is None or concern.reporter_id != ctx.person.id or ctx.now - concern.created_at > UNDO_WINDOW:
            return [Reply(_refusal(UndoRefused.GONE))]
        return [Reply(_("Hoàn tác ý kiến {reference}? Ý kiến sẽ bị xóa và không được gửi tới nhóm nào.").format(
            reference=concern.reference),
            (Option("m:main", _("Không, giữ lại")), Option(f"{PREFIX}:{concern_id}:y", _("↩ Hoàn tác ý kiến"))))]
    result = await undo_concern(ctx.session, person_id=ctx.person.id, concern_id=concern_id, now=ctx.now)
    if isinstance(result, UndoRefused):
        return [Reply(_refusal(result))]
    return [Reply(_("↩ Đã hoàn tác ý kiến {reference}.").format(reference=result.reference))]
