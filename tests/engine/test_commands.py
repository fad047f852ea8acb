"""One rule for what a command is: the engine, Telegram and Zalo recognise the same messages."""

import pytest

from bot.channels.telegram.convert import addressed_to
from bot.channels.zalo.convert import TEXT, ZaloMessage, ZaloUpdate, to_incoming
from handlers.engine.commands import Command, parse_command, read_command

BOT = "gandan_bot"
COMMANDS = ["/menu", "/huy", "/menu2", "/tong_hop", "/2", "/pa PA-2026-00012", "/start ABCD-EFGH",
            "/QuayLai@GanDan_Bot", f"/ganket@{BOT} thôn 2", "/menu\nmore", "  /menu  "]
PLAIN = ["menu", "hello /menu", "/", "/ menu", "/menu,", "/menu@", "/mênu", "/menu@bot,", "//menu", "2"]


@pytest.mark.parametrize("text", COMMANDS)
def test_commands_are_commands_everywhere(text):
    assert parse_command(text) is not None
    assert addressed_to(text, BOT) is True
    assert parse_command(zalo_text(text)) == parse_command(text)


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_is_plain_everywhere(text):
    assert parse_command(text) is None
    assert addressed_to(text, BOT) is None
    assert parse_command(zalo_text(text)) is None


def test_digits_belong_to_the_name_as_telegram_allows():
    assert parse_command("/menu2") == ("menu2", "")  # an unknown command, not text handed to a step
    assert read_command("/Tong_Hop2@Other_Bot  thôn 3 ") == Command("tong_hop2", "thôn 3", "Other_Bot")


def test_a_command_for_another_bot_is_still_a_command_but_not_ours():
    assert read_command("/menu@other_bot").mention == "other_bot"
    assert addressed_to("/menu@other_bot", BOT) is False


def zalo_text(text: str) -> str:
    """What the Zalo channel hands the engine for a group message "@Gần Dân <text>"."""
    message = ZaloMessage(message_id="m1", user_id="u1", display_name="Lan", chat_id="g1", chat_type="GROUP",
                          date=0, text=f"@Gần Dân {text}")
    incoming = to_incoming(ZaloUpdate(TEXT, message), ("Gần Dân",))
    assert incoming is not None
    return incoming.text
