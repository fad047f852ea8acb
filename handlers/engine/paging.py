"""Every screen fits one message of the smallest platform (Zalo: 2,000 characters), or pages.

A long text is cut into pages at line breaks; the page turns are options of the screen, so they
work as buttons on Telegram and as numbers on Zalo and in the terminal.
"""

from __future__ import annotations

from handlers.engine.types import Reply, render_numbered, split_text

SCREEN = 2000  # characters of one Zalo message, numbered choices included


def fits(reply: Reply, limit: int = SCREEN) -> bool:
    """Whether the reply, as a channel without buttons shows it, is one message."""
    return len(render_numbered(reply)) <= limit


def pages(text: str, size: int) -> list[str]:
    """The text in pieces of at most `size` characters, cut at line breaks where possible."""
    return [piece for piece in split_text(text, size) if piece.strip()] or [""]
