"""Choosing who receives an announcement: everyone, some villages, some roles, or the bound groups.

Villages and roles are ticked one at a time (a press, or its number), several at once ("1 3 4"),
and villages can be searched by typing part of a name, diacritics aside; "✔ Xong" moves on. The
ticks are kept under "picked_…", which /quaylai leaves alone, so stepping back loses nothing.
Steps of the broadcast flow (`handlers/broadcasts/compose.py`).
"""

from __future__ import annotations

import re

from core.i18n import _
from core.text import fold
from handlers.engine.flow import Answer, Ctx, Invalid, Prompt, Stay, Step
from handlers.engine.types import Option
from models import access
from models.broadcasts import audience as audiences
from models.broadcasts.audience import Audience
from models.enums import Role, UnitKind
from models.labels import ROLE_LABELS
from models.tables import OrgUnit

PAGE = 8
DONE_WORDS = {"xong", "done", "ok", "xong roi"}  # typed instead of pressing "✔ Xong — …" (a search otherwise)
_NUMBERS = re.compile(r"^\d+(?:[\s,;.]+\d+)+$")


async def _unit(ctx: Ctx) -> OrgUnit:
    return await ctx.session.get(OrgUnit, ctx.data["unit_id"])


def audience_of(data: dict) -> Audience:
    return Audience(data["audience"], tuple(data.get("villages") or ()),
                    tuple(Role(r) for r in data.get("roles") or ()))


async def require_someone(ctx: Ctx, audience: Audience) -> None:
    """Invalid when the audience reaches nobody: better said now than after the confirmation."""
    unit = await _unit(ctx)
    if audience.kind == "groups":
        found = bool(await audiences.groups_in(ctx.session, unit))
    else:
        found = bool(await audiences.count_recipients(ctx.session, unit, audience, ctx.person.id))
    if not found:
        raise Invalid(_("Chưa có ai trong phạm vi này để nhận thông báo; hãy chọn phạm vi khác."))


async def ask_audience(ctx: Ctx) -> Prompt:
    unit = await _unit(ctx)
    if unit.kind == UnitKind.COMMUNE:
        options = [Option("ba:all", _("👥 Tất cả các tổ trong xã")), Option("ba:villages", _("🏘 Chọn thôn")),
                   Option("ba:roles", _("🎖 Chọn theo vai trò"))]
    else:
        options = [Option("ba:all", _("👥 Cả tổ")), Option("ba:roles", _("🎖 Chọn theo vai trò"))]
    groups = len(await audiences.groups_in(ctx.session, unit))
    if groups:
        options.append(Option("ba:groups", _("💬 Các nhóm chat đã gắn ({count})").format(count=groups)))
    return Prompt(_("Gửi cho ai?"), tuple(options))


async def accept_audience(ctx: Ctx, answer: Answer) -> str:
    kind = answer.option.key.removeprefix("ba:") if answer.option else ""
    if kind not in audiences.KINDS:
        raise Invalid(_("Hãy chọn một mục trong danh sách."))
    ctx.put(audience=kind)
    if kind in ("villages", "roles"):
        return kind
    await require_someone(ctx, Audience(kind))
    return "when"


def _toggle(ctx: Ctx, field: str, value: int | str) -> None:
    picked = list(ctx.data.get(field) or [])
    ctx.put(**{field: [v for v in picked if v != value] if value in picked else [*picked, value]})


def _typed_numbers(ctx: Ctx, text: str, prefix: str) -> list[str] | None:
    """The keys of the options numbered in "1 3 4"; None when the text is not such a list."""
    if not _NUMBERS.match(text):
        return None
    offered = ctx.data.get("_offered") or []
    keys = []
    for number in (int(n) for n in re.findall(r"\d+", text)):
        if not 1 <= number <= len(offered) or not offered[number - 1][0].startswith(prefix):
            raise Invalid(_("Không có số {number} trong danh sách.").format(number=number))
        keys.append(offered[number - 1][0])
    return keys


async def ask_villages(ctx: Ctx) -> Prompt:
    unit = await _unit(ctx)
    picked = set(ctx.data.get("picked_villages") or [])
    query, page = ctx.data.get("_vq"), int(ctx.data.get("_vpage", 0))
    rows, more = await audiences.village_page(ctx.session, unit, query, 0 if query else page * PAGE, PAGE)
    options = [Option(f"bv:{v.id}", ("☑ " if v.id in picked else "☐ ") + v.name[:56]) for v in rows]
    if query:
        head = _("Kết quả tìm “{query}”:").format(query=query) if rows else \
            _("Không có thôn nào khớp “{query}”.").format(query=query)
        if more:
            head += " " + _("(còn nữa — gõ cụ thể hơn)")
        options.append(Option("bvp:0", _("↩ Tất cả các thôn")))
    else:
        head = _("Chọn các thôn nhận thông báo:")
        if more:
            options.append(Option(f"bvp:{page + 1}", _("➡ Trang sau")))
        if page:
            options.append(Option(f"bvp:{page - 1}", _("⬅ Trang trước")))
    options.append(Option("bvd", _("✔ Xong — đã chọn {count} thôn").format(count=len(picked))))
    hint = _("Bấm một thôn để chọn hoặc bỏ chọn (gõ nhiều số cùng lúc, ví dụ 1 3 4, để chọn nhiều thôn); "
             "gõ một phần tên để tìm thôn.")
    return Prompt(f"{head}\n{hint}", tuple(options))


async def accept_villages(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    if not key and fold(answer.text).strip(" .!") in DONE_WORDS:
        key = "bvd"
    if key.startswith("bv:"):
        _toggle(ctx, "picked_villages", int(key[3:]))
        raise Stay()
    if key.startswith("bvp:"):
        ctx.drop("_vq")
        ctx.put(_vpage=int(key[4:]))
        raise Stay()
    if key == "bvd":
        picked = sorted(ctx.data.get("picked_villages") or [])
        if not picked:
            raise Invalid(_("Chưa chọn thôn nào."))
        await require_someone(ctx, Audience("villages", tuple(picked)))
        ctx.put(villages=picked)
        return "when"
    text = answer.text.strip()
    keys = _typed_numbers(ctx, text, "bv:")
    if keys is not None:
        for typed in keys:
            _toggle(ctx, "picked_villages", int(typed[3:]))
        raise Stay()
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        raise Invalid(_("Hãy chọn một số trong danh sách, hoặc gõ ít nhất 2 chữ để tìm thôn."))
    ctx.put(_vq=text[:60], _vpage=0)
    raise Stay()


async def ask_roles(ctx: Ctx) -> Prompt:
    unit = await _unit(ctx)
    picked = set(ctx.data.get("picked_roles") or [])
    options = [Option(f"br:{role.value}", ("☑ " if role.value in picked else "☐ ") + str(ROLE_LABELS[role]))
               for role in access.audience_roles(unit)]
    options.append(Option("brd", _("✔ Xong — đã chọn {count} vai trò").format(count=len(picked))))
    return Prompt(_("Chọn các vai trò nhận thông báo — {unit}. Bấm để chọn hoặc bỏ chọn (gõ nhiều số cùng lúc "
                    "để chọn nhiều), xong bấm “✔ Xong”.").format(unit=unit.name), tuple(options), columns=2)


async def accept_roles(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    keys = [key] if key.startswith("br:") else _typed_numbers(ctx, answer.text.strip(), "br:")
    if keys:
        for typed in keys:
            _toggle(ctx, "picked_roles", typed[3:])
        raise Stay()
    if key != "brd":
        raise Invalid(_("Hãy chọn vai trò trong danh sách, rồi bấm “✔ Xong”."))
    ticked = set(ctx.data.get("picked_roles") or [])
    picked = [r.value for r in access.audience_roles(await _unit(ctx)) if r.value in ticked]
    if not picked:
        raise Invalid(_("Chưa chọn vai trò nào."))
    await require_someone(ctx, Audience("roles", roles=tuple(Role(r) for r in picked)))
    ctx.put(roles=picked)
    return "when"


STEPS = {
    "audience": Step("audience", ask_audience, accept_audience, next=("villages", "roles", "when")),
    "villages": Step("villages", ask_villages, accept_villages, free_text=True, next=("when",)),
    "roles": Step("roles", ask_roles, accept_roles, next=("when",)),
}
