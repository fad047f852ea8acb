"""Platform-neutral messages: what the flows receive and what they answer.

Channel adapters translate these to and from Telegram, Zalo and the terminal; the flows never
see a platform object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.enums import Channel


@dataclass(frozen=True)
class Incoming:
    channel: Channel
    chat_id: str
    user_id: str
    text: str = ""  # typed text, or a photo's caption
    choice: str | None = None  # the key of a pressed button (Telegram callback data)
    photo: str | None = None  # the platform's file reference
    message_id: str | None = None  # for processing a redelivered message once
    display_name: str | None = None  # the sender's name
    is_group: bool = False
    chat_title: str | None = None  # a group's name, where the platform gives it


@dataclass(frozen=True)
class Option:
    """One choice; `key` is compact (Telegram callback data must fit in 64 bytes).

    `confirm` marks a choice that cannot be taken back (an undo, a cancellation): never offered
    first, and a bare number typed for it is asked again, since a "1" meant for another screen
    must not undo anything.
    """

    key: str
    label: str
    confirm: bool = False


@dataclass(frozen=True)
class Reply:
    text: str
    options: tuple[Option, ...] = ()
    photo: str | bytes | None = None
    # Options per row where the platform draws buttons (1 for long labels, 2-3 for short ones).
    columns: int = 1
    extra: dict[str, str] = field(default_factory=dict)


def render_numbered(reply: Reply) -> str:
    """How channels without buttons show choices: numbered lines the user answers with "2"."""
    if not reply.options:
        return reply.text
    lines = [reply.text, ""] + [f"{index}. {option.label}" for index, option in enumerate(reply.options, 1)]
    return "\n".join(lines)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces within a platform's limit, cut at line breaks where possible, never mid-word if avoidable."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            head, line = line[:cut], line[cut:].lstrip(" ")
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces
