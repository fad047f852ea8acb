"""Buttons that live outside any flow (on reminders and nudges), found by their key's prefix.

A reminder may be answered days after it was sent, from whatever screen the person is on, so
its buttons carry everything they need in the key ("mt:12:y") and are handled here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.engine.flow import Ctx
from handlers.engine.types import Reply

# An action returns replies, or the name of a flow to start with the data it gives.
Action = Callable[[Ctx, str], Awaitable["list[Reply] | tuple[str, dict]"]]
ACTIONS: dict[str, Action] = {}


def action(prefix: str) -> Callable[[Action], Action]:
    """Registers a handler for keys "<prefix>:…" (the prefix must not clash with menu keys)."""
    def register(handler: Action) -> Action:
        ACTIONS[prefix] = handler
        return handler
    return register


def find(key: str) -> Action | None:
    prefix = key.split(":", 1)[0]
    return ACTIONS.get(prefix)


# Slash commands with their own screen (/tonghop, /pa …): the engine looks them up by name.
CommandHandler = Callable[[Ctx, str], Awaitable["list[Reply] | tuple[str, dict]"]]
COMMANDS: dict[str, CommandHandler] = {}
SLOW: set[str] = set()  # commands and button keys whose reply takes a while: the channel shows "typing…"


def command(*names: str, slow: bool = False) -> Callable[[CommandHandler], CommandHandler]:
    """Registers a handler for "/name argument" typed in a private chat (all names, any language);
    `slow` for a digest or a report, computed while the person waits."""
    def register(handler: CommandHandler) -> CommandHandler:
        for name in names:
            COMMANDS[name] = handler
        if slow:
            SLOW.update(names)
        return handler
    return register


def find_command(name: str) -> CommandHandler | None:
    return COMMANDS.get(name)
