"""One rule for recognising a slash command, shared by the engine and every channel.

A command's name is what Telegram allows in one: letters, digits and underscores (so "/menu2"
is a command, unknown, never plain text), optionally addressed as "/name@bot", then a space or
the end, then its argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMAND = re.compile(r"^/([A-Za-z0-9_]+)(?:@(\w+))?(?:\s+(.*))?$", re.S)


@dataclass(frozen=True)
class Command:
    name: str  # lower case
    arg: str  # the rest of the message, stripped
    mention: str | None = None  # the bot it is addressed to ("/menu@gandan_bot")


def read_command(text: str) -> Command | None:
    """The command in a message, with the bot it names; None for plain text."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    return Command(match.group(1).lower(), (match.group(3) or "").strip(), match.group(2))


def parse_command(text: str) -> tuple[str, str] | None:
    """("huy", "") for "/huy", ("start", "CODE") for "/start CODE"; None for plain text."""
    command = read_command(text)
    return (command.name, command.arg) if command else None
