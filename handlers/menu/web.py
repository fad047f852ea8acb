"""`/web` and "🖥 Trang quản lý": a one-time link that signs the person in to the web console."""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Ctx
from handlers.engine.outside_flows import command
from handlers.engine.types import Reply
from models.console import login


@command("web")
async def web_link(ctx: Ctx, arg: str = "") -> list[Reply]:
    assert ctx.person is not None
    if ctx.web_url is None:
        return [Reply(_("Trang quản lý trên web chưa được bật ở máy chủ này. Xin liên hệ người quản trị."))]
    try:
        token = await login.issue_link(ctx.session, ctx.person.id, now=ctx.now)
    except login.NotAllowed:
        return [Reply(_("Trang quản lý dành cho tổ trưởng, tổ phó, bí thư chi bộ và lãnh đạo xã."))]
    link = f"{ctx.web_url.rstrip('/')}/login/{token}"
    return [Reply(_("🖥 Mở trang quản lý: {link}\nĐường dẫn dùng được một lần, trong 10 phút. "
                    "Đừng chuyển cho người khác.").format(link=link))]


async def from_menu(ctx: Ctx) -> list[Reply]:
    return await web_link(ctx, "")
