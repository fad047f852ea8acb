"""Numbers read back from button keys: a key is typed by whoever sends the update, so it is checked."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest id a BIGINT column holds; beyond it the database refuses the query


def key_number(part: str, minimum: int = 1) -> int | None:
    """The number a key's part stands for, or None when it is not one a button of ours could carry.

    Only ASCII digits count ("²" and "１" pass str.isdigit but are no id), within the id range."""
    if not part.isascii() or not part.isdigit():
        return None
    value = int(part)
    return value if minimum <= value <= MAX_ID else None


def key_numbers(key: str, count: int) -> list[int] | None:
    """The `count` numbers after a key's prefix ("rp:3:7:…" → [3, 7]), or None if any is not one."""
    parts = key.split(":")[1:count + 1]
    if len(parts) < count:
        return None
    numbers = [key_number(part) for part in parts]
    return None if None in numbers else numbers  # type: ignore[return-value]


def choice_index(choice: str) -> int | None:
    """The place "#3" names (a key too long for callback data is sent as its place), or None."""
    return key_number(choice[1:], minimum=0) if choice.startswith("#") else None
