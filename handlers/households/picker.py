"""The household picker step: my households that most need a visit, paged, or a typed search."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, format_short_date
from handlers.engine.flow import Answer, Ctx, Invalid, Prompt, Stay
from handlers.engine.types import Option
from models import access
from models.access import Held
from models.households import finding
from models.households.finding import HouseholdPick
from models.tables import Household

# Reads the chosen household if the roles cover it: `households.get_in_scope`, or a flow's own
# query that brings something more in the same round trip (the visit flow: an answer waiting).
T = TypeVar("T")
Loader = Callable[[AsyncSession, Sequence[Held], int], Awaitable[T | None]]

PAGE = 6
SEARCH_PAGE = 8
LABEL_MAX = 60  # characters a phone shows on one button without cutting it
WAITING_MARK = "📨 "  # an answer waits to be passed on to the household


def household_label(household: Household | HouseholdPick) -> str:
    """Name, address and last visit; a long name or address is shortened, the visit status never."""
    last = (format_short_date(household.last_visited_on) if household.last_visited_on
            else _("chưa thăm"))
    mark = WAITING_MARK if getattr(household, "answer_waiting", False) else ""
    status = f" ({last})"
    address = f", {household.address}" if household.address else ""
    room = LABEL_MAX - len(mark) - len(status)
    body = f"{household.head_name}{address}"
    if len(body) > room:
        body = body[:room - 1].rstrip(" ,") + "…"
    return f"{mark}{body}{status}"


async def ask_household(ctx: Ctx, question: str, extra: tuple[Option, ...] = ()) -> Prompt:
    held = await ctx.roles()
    query = ctx.data.get("_query")
    if query:
        text, options = await _search_page(ctx, held, query)
    else:
        offset = int(ctx.data.get("_page", 0)) * PAGE
        rows, more = await finding.page(ctx.session, ctx.person.id, held, offset, PAGE)
        options = [Option(f"h:{h.id}", household_label(h)) for h in rows]
        if more:
            options.append(Option(f"pg:{int(ctx.data.get('_page', 0)) + 1}", _("➡ Xem thêm")))
        if offset:
            options.append(Option("pg:0", _("↩ Về đầu danh sách")))
        if rows:
            text = question
        elif access.listed_scope(held)[1]:  # a commune's roles are listed only the households given to them
            text = "\n".join((question, _("Chưa có hộ nào được giao cho bạn; gõ tên để tìm hộ trong xã.")))
        else:
            text = _("Chưa có hộ nào trong phạm vi của bạn.")
    hint = _("Hoặc gõ một phần tên chủ hộ hoặc địa chỉ để tìm.")
    return Prompt(f"{text}\n{hint}", tuple(options) + extra)


async def _search_page(ctx: Ctx, held: Sequence[Held], query: str) -> tuple[str, list[Option]]:
    """One page of the matches, with how many there are and a way through all of them."""
    number = int(ctx.data.get("_spage", 0))
    found, total = await finding.search(ctx.session, ctx.person.id, held, query, number * SEARCH_PAGE, SEARCH_PAGE)
    if not total:
        return (_("Không tìm thấy hộ nào khớp “{query}”.").format(query=query),
                [Option("pg:0", _("↩ Danh sách hộ của tôi"))])
    pages = -(-total // SEARCH_PAGE)
    number = min(number, pages - 1)
    if not found:  # fewer matches than when the page was turned: the last page there is now
        found, total = await finding.search(ctx.session, ctx.person.id, held, query, number * SEARCH_PAGE,
                                            SEARCH_PAGE)
    if pages > 1:
        text = _("Kết quả tìm “{query}”: {count} hộ, trang {page}/{pages}").format(
            query=query, count=total, page=number + 1, pages=pages)
    else:
        text = _("Kết quả tìm “{query}”: {count} hộ").format(query=query, count=total)
    options = [Option(f"h:{h.id}", household_label(h)) for h in found]
    if number + 1 < pages:
        options.append(Option(f"sp:{number + 1}", _("➡ Xem thêm")))
    if number:
        options.append(Option("sp:0", _("↩ Về đầu kết quả")))
    options.append(Option("pg:0", _("↩ Danh sách hộ của tôi")))
    return text, options


async def accept_household(ctx: Ctx, answer: Answer, load: Loader[T] = finding.get_in_scope) -> T | None:
    """The chosen household (what `load` returns); None when an extra option was chosen (the
    caller reads it)."""
    if answer.option is not None:
        key = answer.option.key
        if key.startswith("pg:"):
            ctx.drop("_query", "_spage")
            ctx.put(_page=int(key[3:]))
            raise Stay()
        if key.startswith("sp:"):
            ctx.put(_spage=int(key[3:]))
            raise Stay()
        if key.startswith("h:"):
            held = await ctx.roles()
            household = await load(ctx.session, held, int(key[2:]))
            if household is None:
                raise Invalid(_("Hộ này không còn trong danh sách của bạn."))
            ctx.drop("_query", "_page", "_spage")
            return household
        return None
    query = answer.text.strip()
    # Emoji or punctuation alone would search for nothing: ask again like for a too short query.
    if len(query) < 2 or query.isdigit() or not any(ch.isalnum() for ch in query):
        raise Invalid(_("Hãy chọn một số trong danh sách, hoặc gõ ít nhất 2 chữ để tìm."))
    if len(query) > 60:
        raise Invalid(_("Từ tìm kiếm quá dài."))
    ctx.put(_query=query, _page=0, _spage=0)
    raise Stay()
