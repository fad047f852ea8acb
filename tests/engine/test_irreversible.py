"""A choice that cannot be taken back is never the first option and never done on a bare number.

A "1" typed out of habit (the menu's first entry is "📝 Ghi thăm hộ") must not undo the visit
just saved, on any screen and in any flow: the number is asked again, words or a button are not.
"""

import datetime as dt
import logging

import pytest
from sqlalchemy import select

from handlers import registry
from handlers.engine.conversation import remember
from handlers.engine.flow import Answer, Ctx, Flow, Prompt, Step
from handlers.engine.types import Option, Reply
from models.conversations import ChatState
from models.enums import Channel
from models.tables import Announcement, ChatIdentity, ConversationState, Visit
from tests.broadcasts.test_broadcast import build_town, compose
from tests.dialog import Chat
from tests.world import build_world

SAVED = "✅ Đã ghi thăm hộ"
ASKED = "Bạn chọn “↩ Hoàn tác”. Chắc chắn chứ?"
KEPT = "Không thay đổi gì.\n\nChọn việc cần làm:"


async def undone(sessions) -> list[bool]:
    async with sessions() as s:
        return [v.undone_at is not None for v in await s.scalars(select(Visit).order_by(Visit.id))]


async def save_a_visit(chat: Chat, name: str = "Hoàng Văn Nam") -> None:
    """A visit to a household of the picker's first page (another one each time: a second visit
    the same day is a case of its own)."""
    await chat.transcript([("/menu", "Chọn việc cần làm:"), ("1", "chọn hộ đã thăm"), (name, "Mục đích"),
                           ("1", "Hộ có ý kiến"), ("1", f"{SAVED} {name}")])


async def test_after_saving_a_visit_1_logs_the_next_one_and_undo_comes_last(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await save_a_visit(chat)
    assert [o.label for o in chat.last[-1].options] == ["📝 Ghi thăm hộ", "🏠 Trang chính", "↩ Hoàn tác"]
    await chat.say("1")
    assert chat.last[-1].text.startswith("📝 Ghi thăm hộ — chọn hộ đã thăm:")
    assert await undone(sessions) == [False]


@pytest.mark.parametrize("channel", [Channel.TERMINAL, Channel.ZALO, Channel.TELEGRAM])
async def test_a_bare_number_asks_before_undoing_and_no_keeps_the_visit(session, sessions, channel):
    world = await build_world(session)
    if channel != Channel.TERMINAL:
        session.add(ChatIdentity(person_id=world.member.id, channel=channel, external_id="m2", chat_id="m2"))
        await session.commit()
    chat = Chat(sessions, "m2" if channel != Channel.TERMINAL else "member", channel=channel)
    await save_a_visit(chat)
    await chat.transcript([("3", ASKED)])
    assert [o.label for o in chat.last[-1].options] == ["✖ Không, giữ nguyên", "↩ Hoàn tác"]
    await chat.transcript([("1", KEPT)])  # "no" comes first: a second habitual "1" changes nothing
    assert await undone(sessions) == [False]
    await save_a_visit(chat, "Nguyễn Văn Hùng")
    await chat.transcript([("3.", ASKED), ("2", "↩ Đã hoàn tác lượt thăm.")])
    assert await undone(sessions) == [False, True]


async def test_words_or_a_button_undo_at_once(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await save_a_visit(chat)
    await chat.transcript([("hoàn tác", "↩ Đã hoàn tác lượt thăm.")])
    await save_a_visit(chat, "Nguyễn Văn Hùng")
    key = chat.last[-1].options[-1].key
    await chat.say(choice=key)
    assert chat.last[0].text == "↩ Đã hoàn tác lượt thăm."
    assert await undone(sessions) == [True, True]


async def test_withdrawing_a_scheduled_announcement_is_not_first_and_is_asked(session, sessions):
    await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat, when="Hẹn giờ gửi")
    await chat.say("ngày mai")
    await chat.say("08:00")
    await chat.say("Gửi")
    async with sessions() as s:
        [announcement] = (await s.scalars(select(Announcement))).all()
    await chat.say(choice=f"ar:{announcement.id}")
    assert [o.label for o in chat.last[-1].options] == ["🏠 Trang chính", "✖ Hủy hẹn gửi"]
    await chat.transcript([("2", "Bạn chọn “✖ Hủy hẹn gửi”. Chắc chắn chứ?"), ("1", KEPT)])
    async with sessions() as s:
        assert (await s.get(Announcement, announcement.id)).cancelled_at is None


async def _ask(ctx: Ctx) -> Prompt:
    return Prompt("Tệp cũ?", (Option("keep", "Giữ lại"), Option("drop", "🗑 Xóa hẳn", confirm=True)))


async def _accept(ctx: Ctx, answer: Answer) -> None:
    ctx.put(picked=answer.option.key if answer.option else None)


async def _finish(ctx: Ctx) -> list[Reply]:
    return [Reply(f"Đã chọn {ctx.data['picked']}.")]


async def test_inside_a_flow_too(session, sessions, monkeypatch):
    monkeypatch.setitem(registry.FLOWS, "trial", Flow(name="trial", first="one", finish=_finish, steps={
        "one": Step("one", _ask, _accept)}))
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    async with sessions() as s:
        state = (await s.scalars(select(ConversationState).where(ConversationState.chat_id == "member"))).one()
        state.flow, state.step = "trial", "one"
        state.data = {"_offered": [["keep", "Giữ lại"], ["drop", "🗑 Xóa hẳn"]], "_confirm": ["drop"]}
        state.expires_at = chat.now + dt.timedelta(hours=1)
        await s.commit()
    await chat.transcript([("2", "Bạn chọn “🗑 Xóa hẳn”. Chắc chắn chứ?"),
                           ("1", "Không thay đổi gì.\n\nTệp cũ?"),  # the step is asked again
                           ("2", "Bạn chọn “🗑 Xóa hẳn”."), ("2", "Đã chọn drop."),
                           ])


def test_offering_it_first_is_an_error(caplog, undeclared_steps):
    ctx = Ctx(session=None, incoming=None, now=dt.datetime(2026, 11, 24, tzinfo=dt.UTC), tz=None,
              state=ChatState(channel=Channel.TERMINAL, chat_id="x"))
    with caplog.at_level(logging.ERROR, "handlers.engine.conversation"):
        remember(ctx, (Option("undo:1", "↩ Hoàn tác", confirm=True), Option("m:main", "🏠 Trang chính")))
    assert [r.getMessage() for r in undeclared_steps] == ["irreversible choice offered first: '↩ Hoàn tác'"]
    undeclared_steps.clear()  # provoked on purpose
    assert ctx.data["_confirm"] == ["undo:1"]
