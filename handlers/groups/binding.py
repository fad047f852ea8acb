"""Group chats: only commands addressed to the bot, and `/ganket` to bind the group to a unit.

Nothing about households is answered in a group: its members are not all entitled to see it.
What the bot posts to groups on its own follows the rule in `models/concerns/group_posts.py`.
"""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Ctx
from handlers.engine.keys import choice_index
from handlers.engine.matching import match_option
from handlers.engine.types import Option, Reply
from models import conversations
from models.enums import GroupPurpose
from models.groups import binding as groups
from models.labels import GROUP_PURPOSE_LABELS
from models.tables import OrgUnit

BIND = {"ganket", "bind"}
UNBIND_KEY, CANCEL_KEY = "g:unbind", "g:cancel"


async def handle_group(ctx: Ctx, command: str, text: str) -> list[Reply]:
    if command in BIND:
        return await _start(ctx)
    if command in ("help", "trogiup", "start", "menu"):
        return [Reply(_("Trong nhóm, Gần Dân chỉ nhận lệnh /ganket (gắn nhóm với đơn vị). "
                        "Ghi thăm hộ và ý kiến: nhắn riêng cho bot."))]
    if command in ("huy", "cancel") and ctx.state.flow == "ganket":
        conversations.clear_flow(ctx.state)
        return [Reply(_("Đã hủy."))]
    if command or ctx.state.flow != "ganket":
        return []  # other commands and chatter in the group are not for us
    if ctx.person is None or ctx.state.person_id != ctx.person.id:
        return []  # only the person who asked may choose
    return await _choose(ctx, text)


def _label(unit: OrgUnit, purpose: GroupPurpose) -> str:
    return f"{GROUP_PURPOSE_LABELS[purpose]} — {unit.name}"[:64]


async def _start(ctx: Ctx) -> list[Reply]:
    if ctx.person is None:
        return [Reply(_("Chỉ thành viên đã tham gia Gần Dân mới gắn được nhóm. Hãy nhắn riêng cho bot để tham gia."))]
    held = await ctx.roles()
    allowed = await groups.candidates(ctx.session, held)
    bound = await groups.current(ctx.session, ctx.incoming.channel, ctx.incoming.chat_id)
    if not allowed:
        return [Reply(_("Bạn không có vai trò để gắn nhóm này (cần tổ trưởng, nhóm trưởng, bí thư chi bộ "
                        "hoặc lãnh đạo xã)."))]
    options = [Option(f"g:{unit.id}:{purpose.value}", _label(unit, purpose)) for unit, purpose in allowed]
    text = _("Gắn nhóm này với đơn vị nào?")
    if bound is not None:
        unit = await ctx.session.get(OrgUnit, bound.unit_id)
        text = _("Nhóm này đang là: {label}.").format(label=_label(unit, bound.purpose)) + "\n" + text
        if any(u.id == bound.unit_id and p == bound.purpose for u, p in allowed):
            options.append(Option(UNBIND_KEY, _("Bỏ gắn kết")))
    options.append(Option(CANCEL_KEY, _("Hủy")))
    conversations.start_flow(ctx.state, "ganket", "choose", ctx.now)
    ctx.state.person_id = ctx.person.id
    ctx.put(_offered=[[o.key, o.label] for o in options])
    return [Reply(text, tuple(options))]


async def _choose(ctx: Ctx, text: str) -> list[Reply]:
    offered = [Option(k, label) for k, label in ctx.data.get("_offered", [])]
    choice = ctx.incoming.choice
    index = choice_index(choice) if choice else None
    if index is not None and index < len(offered):
        choice = offered[index].key
    option = next((o for o in offered if o.key == choice), None) if choice else match_option(offered, text)
    if option is None:
        return [Reply(_("Hãy chọn một số trong danh sách."), tuple(offered))]
    conversations.clear_flow(ctx.state)
    if option.key == CANCEL_KEY:
        return [Reply(_("Đã hủy."))]
    held = await ctx.roles()
    allowed = {(u.id, p): u for u, p in await groups.candidates(ctx.session, held)}
    if option.key == UNBIND_KEY:
        bound = await groups.current(ctx.session, ctx.incoming.channel, ctx.incoming.chat_id)
        if bound is None or (bound.unit_id, bound.purpose) not in allowed:
            return [Reply(_("Bạn không có quyền bỏ gắn kết nhóm này."))]
        await groups.unbind(ctx.session, bound, ctx.person.id)
        return [Reply(_("Đã bỏ gắn kết nhóm này."))]
    _g, unit_id, purpose = option.key.split(":", 2)
    unit = allowed.get((int(unit_id), GroupPurpose(purpose)))
    if unit is None:  # roles changed since the list was shown
        return [Reply(_("Bạn không có quyền gắn nhóm với đơn vị này."))]
    await groups.bind(ctx.session, channel=ctx.incoming.channel, chat_id=ctx.incoming.chat_id,
                      title=ctx.incoming.chat_title, unit=unit, purpose=GroupPurpose(purpose),
                      person_id=ctx.person.id, now=ctx.now)
    return [Reply(_("✅ Đã gắn nhóm này: {label}. Báo cáo của đơn vị sẽ được gửi vào đây.").format(
        label=_label(unit, GroupPurpose(purpose))))]
