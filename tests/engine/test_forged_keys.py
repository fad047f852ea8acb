"""Button keys are typed by whoever sends the update: a forged number is a stale button, never a crash."""

import pytest

from handlers.engine import outside_flows
from handlers.engine.keys import MAX_ID, key_number
from handlers.registry import FLOWS  # noqa: F401  (registers every flow and its outside buttons)
from tests.dialog import Chat
from tests.world import build_world

FORGED = ("99999999999999999999", str(MAX_ID + 1), "²", "１", "٣")
# The forged number where each prefix keeps its first id: always a stale button.
FIRST = ("{p}:{f}", "{p}:{f}:y", "{p}:{f}:n", "{p}:{f}:1", "{p}:{f}:1:2026-11", "{p}:{f}:f:0", "{p}:{f}:x:x:0")
# Elsewhere a part may be a word (a choice, a period): never a crash, and stale where it is a number.
ELSEWHERE = ("{p}:1:{f}", "{p}:1:{f}:2026-11", "{p}:1:f:{f}", "{p}:x:x:x:{f}")
LATER_NUMBERS = ("bh:1:{f}", "rp:1:{f}:2026-11", "ru:1:{f}:2026-11", "pa:1:f:{f}", "pal:::{f}:0", "pal:1:1:1:{f}")
APOLOGY = "Có lỗi xảy ra"
STALE = "Nút này đã cũ"


def test_key_number_takes_only_ascii_ids():
    assert key_number("12") == 12 and key_number(str(MAX_ID)) == MAX_ID
    for forged in (*FORGED, "", "0", "-1", "1.5", " 1"):
        assert key_number(forged) is None
    assert key_number("0", minimum=0) == 0


@pytest.mark.parametrize("user", ["leader", "member"])
async def test_forged_numbers_on_every_prefix_are_stale_buttons(session, sessions, user):
    await build_world(session)
    chat = Chat(sessions, user)
    assert outside_flows.ACTIONS, "no outside buttons registered"
    for prefix in [*sorted(outside_flows.ACTIONS), "undo"]:  # undo: a visit's, kept by the menu
        for shape in (*FIRST, *ELSEWHERE):
            for forged in FORGED:
                key = shape.format(p=prefix, f=forged)
                await chat.say("/menu")
                await chat.say(choice=key)
                assert APOLOGY not in chat.screen, key
                assert shape not in FIRST or STALE in chat.screen, f"{key}:\n{chat.screen}"


async def test_forged_numbers_later_in_a_key_are_stale_buttons(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "leader")
    for shape in LATER_NUMBERS:
        for forged in FORGED:
            key = shape.format(f=forged)
            await chat.say("/menu")
            await chat.say(choice=key)
            assert STALE in chat.screen, f"{key}:\n{chat.screen}"


async def test_a_forged_place_for_a_long_key_is_a_stale_button(session, sessions):
    """"#3" stands for the third option of a key too long for callback data: "#²" is none."""
    await build_world(session)
    chat = Chat(sessions, "member")
    for forged in FORGED:
        await chat.say("/menu")
        await chat.say(choice=f"#{forged}")  # at the menu
        assert STALE in chat.screen, forged
        await chat.say("1")  # in a flow: the visit's household picker
        await chat.say(choice=f"#{forged}")
        assert STALE in chat.screen and "chọn hộ đã thăm" in chat.screen, forged
    await chat.say("/menu")
    await chat.say(choice="#0")
    assert "chọn hộ đã thăm" in chat.screen  # a real place still picks


async def test_a_forged_place_in_the_group_binding_choice_asks_again(session, sessions):
    await build_world(session)
    leader = Chat(sessions, "leader", chat_id="-100123")
    for forged in FORGED:
        await leader.say("/ganket@GanDanBot")
        await leader.say(choice=f"#{forged}")
        assert "Hãy chọn một số trong danh sách." in leader.screen, forged
