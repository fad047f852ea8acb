"""📂 Ý kiến đang mở: the concerns a leader's units cover, urgent and nearest due first.

One compact line each; answered concerns have left it (the status filter shows them). Filters by
category, village and status, and pages, as buttons; choosing a concern (or typing its reference)
opens its detail with the actions allowed and "◀ Danh sách ý kiến" back to the list as it was.
"""

from __future__ import annotations

from core.i18n import _
from handlers.concerns.detail import LIST, open_by_id
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay, Step
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply
from models import access
from models.concerns.texts import due_phrase, normalise_reference, urgent_mark
from models.concerns.workflow import ACTIVE, InboxRow, find_visible, inbox, inbox_facets
from models.enums import ConcernCategory, ConcernStatus
from models.labels import CATEGORY_LABELS, STATUS_LABELS
from models.tables import OrgUnit

PAGE = 8
CATEGORIES, STATUSES = list(ConcernCategory), list(ConcernStatus)


async def start(ctx: Ctx) -> str:
    if not access.leads(await ctx.roles()):
        raise Invalid(_("Mục này dành cho tổ trưởng và lãnh đạo xã."))
    ctx.put(page=ctx.data.get("page", 0))
    return "list"


@action(LIST)
async def back_to_list(ctx: Ctx, key: str) -> list[Reply] | tuple[str, dict]:
    """"pal:<category>:<village>:<status>:<page>" from a concern's screen: the list as it was left."""
    parts = key.split(":")[1:]
    values = [key_number(part, minimum=0) if part else None for part in parts]
    if len(parts) != 4 or any(part and value is None for part, value in zip(parts, values)):
        return [Reply(_("Nút này đã cũ."))]
    data = {name: value for name, value in zip(("cat", "vil", "st"), values[:3]) if value is not None}
    return "concern_inbox", {**data, "page": values[3] or 0}


def _back_key(ctx: Ctx) -> str:
    values = [ctx.data.get("cat"), ctx.data.get("vil"), ctx.data.get("st"), ctx.data.get("page", 0)]
    return ":".join([LIST, *("" if value is None else str(value) for value in values)])


def _filters(ctx: Ctx) -> dict:
    cat, village, status = ctx.data.get("cat"), ctx.data.get("vil"), ctx.data.get("st")
    return {"category": CATEGORIES[cat] if cat is not None else None, "village_id": village,
            "status": STATUSES[status] if status is not None else None}


def _line(ctx: Ctx, row: InboxRow) -> str:
    concern = row.concern
    parts = [f"• {urgent_mark(concern)}{concern.reference}", str(CATEGORY_LABELS[concern.category]), row.village,
             str(STATUS_LABELS[concern.status])]
    if concern.status in ACTIVE:
        parts.append(due_phrase(concern.due_at.astimezone(ctx.tz).date(), ctx.today))
    if row.households > 1:
        parts.append(_("{count} hộ").format(count=row.households))
    return " · ".join(parts)


async def _title(ctx: Ctx, filters: dict) -> str:
    status = filters["status"]
    title = (_("📂 Ý kiến: {status}").format(status=STATUS_LABELS[status]) if status
             else _("📂 Ý kiến đang mở (khẩn trước, gần hạn trước)"))
    chosen = [str(CATEGORY_LABELS[filters["category"]])] if filters["category"] else []
    if filters["village_id"] is not None:
        village = await ctx.session.get(OrgUnit, filters["village_id"])
        chosen.append(village.name if village else "?")
    return title + ("\n" + _("Lọc: {filters}").format(filters=" · ".join(chosen)) if chosen else "")


async def ask_list(ctx: Ctx) -> Prompt:
    filters, page = _filters(ctx), ctx.data.get("page", 0)
    found = await inbox(ctx.session, ctx.person.id, **filters, limit=PAGE, offset=page * PAGE)
    lines = [await _title(ctx, filters)]
    if page:
        lines.append(_("Trang {page}").format(page=page + 1))
    lines += [_line(ctx, row) for row in found.rows] or [_("Không có ý kiến nào.")]
    options = [Option(f"o:{row.concern.id}", f"{urgent_mark(row.concern)}{row.concern.reference}")
               for row in found.rows]
    if page:
        options.append(Option("pg:p", _("◀ Trang trước")))
    if found.more:
        options.append(Option("pg:n", _("▶ Trang sau")))
    options += [Option("f:c", _("🗂 Lĩnh vực")), Option("f:v", _("🏘 Thôn")), Option("f:s", _("🔖 Trạng thái"))]
    if any(value is not None for value in filters.values()):
        options.append(Option("x", _("✖ Bỏ lọc")))
    lines.append(_("Chọn một ý kiến để xem và xử lý, hoặc gõ mã ý kiến."))
    return Prompt("\n".join(lines), tuple(options), columns=2)


async def accept_list(ctx: Ctx, answer: Answer) -> str | None:
    key = answer.option.key if answer.option is not None else ""
    if key.startswith("o:"):
        ctx.put(open=int(key[2:]))
        return None
    if key.startswith("f:"):
        ctx.put(filter=key[2:])
        return "filter"
    if key in ("pg:p", "pg:n"):
        ctx.put(page=max(0, ctx.data.get("page", 0) + (1 if key == "pg:n" else -1)))
        raise Stay()
    if key == "x":
        ctx.drop("cat", "vil", "st")
        ctx.put(page=0)
        raise Stay()
    reference = normalise_reference(answer.text)
    concern = await find_visible(ctx.session, ctx.person.id, reference, await ctx.roles()) if reference else None
    if concern is not None:
        ctx.put(open=concern.id)
        return None
    if reference:
        raise Invalid(_("Không tìm thấy ý kiến {reference} trong phạm vi bạn theo dõi.").format(reference=reference))
    raise Invalid(_("Chọn một ý kiến hoặc một bộ lọc bằng số thứ tự."))


async def ask_filter(ctx: Ctx) -> Prompt:
    which = ctx.data["filter"]
    if which == "s":
        options = [Option("fs:open", _("Đang mở (chưa trả lời)"))]
        options += [Option(f"fs:{i}", str(STATUS_LABELS[s])) for i, s in enumerate(STATUSES)]
        return Prompt(_("Xem ý kiến ở trạng thái nào?"), tuple(options))
    categories, villages = await inbox_facets(ctx.session, ctx.person.id, status=_filters(ctx)["status"])
    if which == "c":
        options = [Option(f"fc:{CATEGORIES.index(c)}", f"{CATEGORY_LABELS[c]} ({n})") for c, n in categories]
        options.append(Option("fc:all", _("Tất cả lĩnh vực")))
        return Prompt(_("Lọc theo lĩnh vực:"), tuple(options))
    options = [Option(f"fv:{village_id}", f"{name} ({n})") for village_id, name, n in villages]
    options.append(Option("fv:all", _("Tất cả thôn")))
    return Prompt(_("Lọc theo thôn:"), tuple(options))


async def accept_filter(ctx: Ctx, answer: Answer) -> str:
    if answer.option is None or answer.option.key[:3] not in ("fc:", "fv:", "fs:"):
        raise Invalid(_("Chọn một mục trong danh sách bằng số thứ tự."))
    field, value = {"fc": "cat", "fv": "vil", "fs": "st"}[answer.option.key[:2]], answer.option.key[3:]
    if value.isdigit():
        ctx.put(**{field: int(value)})
    else:
        ctx.drop(field)
    ctx.put(page=0)
    return "list"


async def finish(ctx: Ctx) -> list[Reply]:
    return await open_by_id(ctx, ctx.data["open"], back=_back_key(ctx))


FLOW = Flow(
    name="concern_inbox", first="list", finish=finish, start=start,
    steps={
        "list": Step("list", ask_list, accept_list, free_text=True, next=("filter",)),
        "filter": Step("filter", ask_filter, accept_filter, next=("list",)),
    },
)
