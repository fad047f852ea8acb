"""Every screen fits one message of the smallest platform (Zalo: 2,000 characters), or pages.

Flows keep their own prompts short (a list a page at a time, a long text behind a button). A
screen of text alone that is still longer — a long list of households, a commune's digest — is
cut here, at line breaks, into pages: the first is shown with "▶ Xem tiếp", the rest wait in the
chat's state, and the screen's own choices come with its last page. The page turn is an option,
so it is a button on Telegram and a number on Zalo and in the terminal.
"""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Ctx
from handlers.engine.outside_flows import action
from handlers.engine.types import Option, Reply, render_numbered, split_text

SCREEN = 2000  # characters of one Zalo message, numbered choices included
MORE = "more"
ROOM = 120  # characters kept for the page turn and the way home
PAGES = "_pages"


def fits(reply: Reply, limit: int = SCREEN) -> bool:
    """Whether the reply, as a channel without buttons shows it, is one message."""
    return len(render_numbered(reply)) <= limit


def pages(text: str, size: int) -> list[str]:
    """The text in pieces of at most `size` characters, cut at line breaks where possible."""
    return [piece for piece in split_text(text, size) if piece.strip()] or [""]


def _stored(reply: Reply) -> list:
    return [reply.text, [[o.key, o.label] for o in reply.options], reply.columns]


def _reply(stored: list) -> Reply:
    text, options, columns = stored
    return Reply(text, tuple(Option(key, label) for key, label in options), columns=columns)


def _turn(text: str, shown: int, count: int) -> Reply:
    """Page `shown` (from 0) of `count`, with the turn to the next one and the way home."""
    return Reply(text, (Option(MORE, _("▶ Xem tiếp ({page}/{count})").format(page=shown + 2, count=count)),
                        Option("m:main", _("🏠 Trang chính"))), columns=2)


def paged(ctx: Ctx, replies: list[Reply]) -> list[Reply]:
    """The replies up to the first one too long for one message, that one's first page with the
    page turn; what follows is kept for "▶ Xem tiếp". Replies that fit are returned as they are."""
    for index, reply in enumerate(replies):
        if fits(reply):
            continue
        room = max(ROOM, len(render_numbered(Reply("", reply.options))) + 2)
        pieces = pages(reply.text, SCREEN - room)
        if len(pieces) == 1:  # one line longer than a message: the channel cuts it
            continue
        rest = [_stored(Reply(piece)) for piece in pieces[1:-1]]
        rest.append(_stored(Reply(pieces[-1], reply.options, columns=reply.columns)))
        rest += [_stored(r) for r in replies[index + 1:]]
        ctx.put(**{PAGES: [len(pieces), 0, rest]})
        return [*replies[:index], _turn(pieces[0], 0, len(pieces))]
    return replies


@action(MORE)
async def next_page(ctx: Ctx, key: str) -> list[Reply]:
    """The next page of the screen last cut; its last page brings the screen's own choices."""
    stored = ctx.data.get(PAGES)
    ctx.drop(PAGES)
    if not stored or not stored[2]:
        return [Reply(_("Nút này đã cũ."))]
    count, shown, rest = stored
    shown += 1
    if shown < count - 1:
        ctx.put(**{PAGES: [count, shown, rest[1:]]})
        return [_turn(rest[0][0], shown, count)]
    return paged(ctx, [_reply(item) for item in rest])
