"""Where each of a leader's units posts: into its bound group, or to the people who make the group up.

`/ganket` typed in a private chat (and the menu's "🔗 Nhóm nhận báo cáo") answers it, since the
command only binds inside a group; it also says when the Zalo bot cannot join groups at all.
"""

from __future__ import annotations

from core.i18n import _, ngettext
from handlers.engine import outside_flows
from handlers.engine.flow import Ctx
from handlers.engine.types import Reply
from models import access
from models.enums import Channel, GroupPurpose
from models.groups import binding, posts
from models.labels import GROUP_PURPOSE_LABELS, ROLE_LABELS
from models.tables import ChatGroup

POSTED = (GroupPurpose.CHI_BO, GroupPurpose.KHOI_DAN_VAN)  # the groups the bot posts to on its own


def _group(group: ChatGroup) -> str:
    app = group.channel.value.capitalize()
    if group.title:
        return _("nhóm {app} “{title}”").format(app=app, title=group.title)
    return _("một nhóm {app}").format(app=app)


def _stand_ins(purpose: GroupPurpose) -> str:
    roles = access.group_member_roles(purpose)
    return ", ".join(str(ROLE_LABELS[role]) for role in roles)


@outside_flows.command("ganket", "bind")
async def where_posts_go(ctx: Ctx, _arg: str) -> list[Reply]:
    """The private answer to /ganket: each unit's posts, to a group or to people, and how to bind one."""
    held = await ctx.roles()
    pairs = [(unit, purpose) for unit, purpose in await binding.candidates(ctx.session, held) if purpose in POSTED]
    zalo_cannot = Channel.ZALO in await posts.platforms_without_groups(ctx.session)
    lines = [_("🔗 Nhóm nhận báo cáo của đơn vị bạn phụ trách:")]
    if not pairs:
        lines = [_("Bạn không phụ trách nhóm chi bộ hay nhóm Khối dân vận nào, nên không có gì để gắn.")]
    for unit, purpose, groups, people in await posts.where_posts_go(ctx.session, pairs):
        label = f"{GROUP_PURPOSE_LABELS[purpose]} — {unit.name}"
        if groups:
            lines.append(_("• {label}: gửi vào {groups}.").format(
                label=label, groups=", ".join(_group(g) for g in groups)))
            continue
        lines.append(_("• {label}: chưa gắn nhóm — gửi riêng cho {people} ({roles}).").format(
            label=label, roles=_stand_ins(purpose),
            people=ngettext("{count} người", "{count} người", people).format(count=people)))
    if pairs:
        lines.append(_("Khi chưa gắn nhóm, mỗi người nhận một tin mỗi ngày cho mỗi đơn vị (lúc tổng hợp buổi tối, "
                       "kèm các ý kiến mới trong ngày); ý kiến khẩn gửi ngay; ai chưa có vai trò trong Gần Dân "
                       "(Chủ tịch Mặt trận, trưởng các đoàn thể) chưa nhận được."))
        lines.append(_("Để gắn nhóm: thêm bot vào nhóm chat rồi gõ /ganket trong nhóm đó."))
    if zalo_cannot:
        lines.append(_("⚠️ Zalo chưa cho bot này vào nhóm, nên không gắn được nhóm Zalo: đơn vị chưa có nhóm "
                       "Telegram thì tin được gửi riêng cho từng người như trên."))
    return [Reply("\n".join(lines))]


async def from_menu(ctx: Ctx) -> list[Reply]:
    """The menu's "🔗 Nhóm nhận báo cáo": the same answer."""
    return await where_posts_go(ctx, "")
