"""One screen, one numbered list; a number the screen does not offer is the main menu's; an empty
message is answered.

"🏠 Hộ tôi phụ trách" numbered its households 1–8 above the menu's 1–7, so "2" did something
other than what the person read.
"""

import re

import pytest

from models.enums import Channel
from models.tables import ChatIdentity
from tests.dialog import Chat
from tests.world import build_world

MENU_ENTRIES = ["📝 Ghi thăm hộ", "📣 Ghi ý kiến, kiến nghị", "🏠 Hộ tôi phụ trách", "📋 Báo cáo của tôi",
                "📅 Lịch họp", "🤝 Vận động", "📋 Khảo sát", "🗂 Mục khác…"]


def numbers_shown(chat: Chat) -> list[int]:
    return [int(n) for n in re.findall(r"^(\d+)\. ", chat.screen, re.M)]


@pytest.mark.parametrize("who", ["member", "leader"])
async def test_every_screen_of_the_menu_numbers_one_list(session, sessions, who):
    await build_world(session)
    chat = Chat(sessions, who)
    await chat.say("/menu")
    entries = [o.label for o in chat.last[-1].options]
    for entry in entries:
        await chat.say("/menu")
        await chat.say(entry)
        numbers = numbers_shown(chat)
        assert numbers == list(range(1, len(numbers) + 1)), f"{entry}:\n{chat.screen}"


async def test_my_households_then_2_is_the_menus_second_entry(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.say("3")
    assert "• Nguyễn Văn Hùng — Xóm Trại, Thôn Đồng Tâm — chưa thăm" in chat.screen
    assert numbers_shown(chat) == list(range(1, 9))
    await chat.transcript([("2", "📣 Ghi ý kiến, kiến nghị")])


async def test_a_number_the_screen_does_not_offer_is_the_menus(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.transcript([("/menu", "Chọn việc cần làm:"), ("1", "chọn hộ đã thăm"), ("1", "Mục đích"),
                           ("1", "Hộ có ý kiến"), ("1", "✅ Đã ghi thăm hộ Hoàng Văn Nam")])
    assert len(chat.last[-1].options) == 3
    await chat.transcript([("4", "📋 Báo cáo của tôi (30 ngày qua)")])  # the menu's 4th, not "Tôi chưa hiểu"
    await chat.transcript([("1", "chọn hộ đã thăm"), ("Nguyễn Văn Hùng", "Mục đích"), ("1", "Hộ có ý kiến"),
                           ("1", "✅ Đã ghi thăm hộ Nguyễn Văn Hùng"), ("3", "Bạn chọn “↩ Hoàn tác”.")])
    await chat.transcript([("8", "🗂 Mục khác:")])  # past the confirmation's two options: the menu's 8th
    await chat.transcript([("/menu", "Chọn việc cần làm:"), ("9", "Không có mục số 9. Hãy chọn một mục:")])
    await chat.transcript([("/menu", "Chọn việc cần làm:"), ("xin chao", "Tôi chưa hiểu. Hãy chọn một mục:")])


async def test_words_the_screen_does_not_offer_are_read_against_the_menu(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.transcript([("/menu", "Chọn việc cần làm:"), ("1", "chọn hộ đã thăm"), ("1", "Mục đích"),
                           ("1", "Hộ có ý kiến"), ("1", "✅ Đã ghi thăm hộ"),
                           ("bao cao cua toi", "📋 Báo cáo của tôi (30 ngày qua)")])


@pytest.mark.parametrize("channel", [Channel.TERMINAL, Channel.ZALO, Channel.TELEGRAM])
async def test_an_empty_message_is_answered(session, sessions, channel):
    world = await build_world(session)
    if channel != Channel.TERMINAL:
        session.add(ChatIdentity(person_id=world.member.id, channel=channel, external_id="e", chat_id="e"))
        await session.commit()
    chat = Chat(sessions, "member" if channel == Channel.TERMINAL else "e", channel=channel)
    await chat.transcript([("", "Tin nhắn trống. Hãy chọn một mục:\n\nChọn việc cần làm:")])
    assert [o.label for o in chat.last[-1].options] == MENU_ENTRIES
    await chat.transcript([("1", "chọn hộ đã thăm"), ("  ", "Hãy chọn một số trong danh sách")])  # a step says its own
