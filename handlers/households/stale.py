"""⏳ Hộ lâu chưa thăm: a nhóm's or team's leader pages through every household nobody visited
for 60 days, and may have them all as a spreadsheet (through the outbox, as the digest's files)."""

from __future__ import annotations

from core.i18n import _
from core.text import fold
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step, Stay
from handlers.engine.types import Option, Reply
from models import access
from models.digests.media import XLSX
from models.households import stale
from models.outbox import attachments
from models.outbox.enqueue import PHONE_APPS, enqueue, payload
from reports.spreadsheet import workbook

PAGE = 10


async def start(ctx: Ctx) -> str:
    if not access.stale_scopes(await ctx.roles()):
        raise Invalid(_("Mục này dành cho nhóm trưởng, tổ trưởng và tổ phó."))
    return "page"


async def ask_page(ctx: Ctx) -> Prompt:
    units = access.stale_scopes(await ctx.roles())
    number = int(ctx.data.get("_page", 0))
    rows, total = await stale.page(ctx.session, units, ctx.today, number * PAGE, PAGE)
    if not total:
        return Prompt(_("⏳ Không có hộ nào quá 60 ngày chưa được thăm."), (Option("m:main", _("↩ Trang chính")),))
    pages = (total + PAGE - 1) // PAGE
    lines = [_("⏳ {count} hộ quá 60 ngày chưa được thăm ({units}) — trang {page}/{pages}:").format(
        count=total, units=", ".join(u.name for u in units), page=number + 1, pages=pages)]
    lines += [_("• {name} — {nhom} — {last} — {member}").format(
        name=h.head_name, nhom=h.nhom, last=stale.last_visit(h), member=h.member or _("chưa giao"))
        for h in rows]
    options = []
    if number + 1 < pages:
        options.append(Option(f"sp:{number + 1}", _("➡ Trang sau")))
    if number:
        options.append(Option(f"sp:{number - 1}", _("⬅ Trang trước")))
    options += [Option("sx", _("📎 Gửi bảng tính (XLSX)")), Option("m:main", _("↩ Trang chính"))]
    return Prompt("\n".join(lines), tuple(options), columns=2)


async def accept_page(ctx: Ctx, answer: Answer) -> None:
    key = answer.option.key if answer.option is not None else ""
    if key.startswith("sp:") and key[3:].isdigit():
        ctx.put(_page=int(key[3:]))
        raise Stay()
    if key == "sx":
        raise Stay(await _send_sheet(ctx))
    if key == "m:main":
        return None
    raise Invalid(_("Chọn một mục trong danh sách."))


async def _send_sheet(ctx: Ctx) -> str:
    """Every listed household in one file, to this chat; where no file can go, says so."""
    if ctx.incoming.channel not in PHONE_APPS:
        return _("Bảng tính chỉ gửi được qua Telegram hoặc Zalo; ở đây xem từng trang.")
    units = access.stale_scopes(await ctx.roles())
    rows = await stale.every(ctx.session, units, ctx.today)
    data = workbook([stale.stale_table(rows)])
    name = "ho-lau-chua-tham-" + fold(units[0].name).replace(" ", "-") + f"-{ctx.today.isoformat()}.xlsx"
    document = await attachments.store(ctx.session, data, filename=name, mime=XLSX, now=ctx.now)
    ask = ctx.incoming.message_id or ctx.now.isoformat()
    await enqueue(ctx.session, key=f"stale:{ctx.incoming.channel.value}:{ctx.incoming.chat_id}:{ask}",
                  channel=ctx.incoming.channel, chat_id=ctx.incoming.chat_id, kind="stale_files",
                  body=payload(_("📎 Hộ quá 60 ngày chưa thăm: {count} hộ.").format(count=len(rows)),
                               document_attachment=document.id),
                  not_before=ctx.now, person_id=ctx.person.id)
    return _("📎 Bảng tính gửi ngay sau tin này.")


async def finish(ctx: Ctx) -> list[Reply]:
    return []


FLOW = Flow(name="stale", first="page", finish=finish, start=start,
            steps={"page": Step("page", ask_page, accept_page)})
