"""Typing an option's words picks it whatever punctuation its label holds, on every channel.

On Zalo there are no buttons: "khong luu ngay" must pick "Không — lưu ngay" as surely as "1".
"""

import pytest
from sqlalchemy import select

from handlers.engine.matching import is_label, match_option
from handlers.engine.types import Option
from models.enums import Channel
from models.tables import ChatIdentity, Visit
from tests.dialog import Chat
from tests.world import build_world

RAISED = [Option("r:save", "Không — lưu ngay"), Option("r:note", "Không, thêm ghi chú"),
          Option("r:concern", "Có — ghi ý kiến")]


@pytest.mark.parametrize(("typed", "key"), [
    ("khong luu ngay", "r:save"), ("Không - lưu ngay", "r:save"), ("không—lưu ngay!", "r:save"),
    ("luu ngay", "r:save"), ("khong them ghi chu", "r:note"), ("Không, thêm ghi chú.", "r:note"),
    ("co ghi y kien", "r:concern"), ("có: ghi ý kiến", "r:concern"), ("2.", "r:note"), ("3)", "r:concern"),
])
def test_punctuation_is_ignored_on_both_sides(typed, key):
    assert match_option(RAISED, typed).key == key


def test_punctuation_alone_or_a_shared_word_picks_nothing():
    assert match_option(RAISED, "—") is None
    assert match_option(RAISED, "khong") is None  # two labels start with it


def test_the_whole_label_typed_without_its_punctuation_is_the_label():
    assert is_label(Option("pl:keep", "Giữ địa điểm cũ (19:30)"), "giu dia diem cu 19 30")
    assert is_label(RAISED[0], "khong luu ngay")
    assert not is_label(RAISED[0], "luu ngay")


@pytest.mark.parametrize("channel", [Channel.TERMINAL, Channel.ZALO, Channel.TELEGRAM])
async def test_a_visit_saved_by_typing_the_words(session, sessions, channel):
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.member.id, channel=channel, external_id="w", chat_id="w")) \
        if channel != Channel.TERMINAL else None
    await session.commit()
    chat = Chat(sessions, "member" if channel == Channel.TERMINAL else "w", channel=channel)
    await chat.transcript([
        ("/menu", "Chọn việc cần làm:"), ("ghi tham ho", "chọn hộ đã thăm"), ("hoang van nam", "Mục đích thăm?"),
        ("tham hoi, dong vien", "Hộ có ý kiến, kiến nghị gì không?"),
        ("khong luu ngay", "✅ Đã ghi thăm hộ Hoàng Văn Nam"),
    ])
    async with sessions() as s:
        assert len((await s.scalars(select(Visit))).all()) == 1
