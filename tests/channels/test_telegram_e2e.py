"""Telegram end to end: the real aiogram Bot and Dispatcher, long polling a fake Bot API server on
127.0.0.1, the real engine and a real database. Every request is checked against the Bot API's
limits by the fake; no test may see one refused."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

import pytest
from aiogram.types import CallbackQuery, Message
from sqlalchemy import func, select

from bot.app import App
from bot.channels.runtime import RetryPolicy
from bot.channels.telegram.channel import TelegramChannel, make_bot
from bot.channels.telegram.convert import addressed_to, from_callback, from_message
from bot.commands.run import serve_channels
from core.settings import Settings
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming, Option, Reply
from models.base import utcnow
from models.enums import Channel, Role
from models.people.invites import create_invite
from models.tables import ChatGroup, ChatIdentity, Concern, ConcernPhoto, Person, Visit
from tests.fakes.telegram_api import BOT_USERNAME, TOKEN, Call, FakeTelegram
from tests.world import World, build_world

ENV = Env(tz=ZoneInfo("Asia/Ho_Chi_Minh"))
FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)
MEMBER_ID = 5001
GROUP = {"id": -1001234567, "type": "supergroup", "title": "Tổ Dân vận thôn Đồng Tâm"}


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations() == [], [(c.method, c.params) for c in server.violations()]


@pytest.fixture
async def world(session) -> World:
    made = await build_world(session)
    session.add(ChatIdentity(person_id=made.member.id, channel=Channel.TELEGRAM, external_id=str(MEMBER_ID),
                             chat_id=str(MEMBER_ID), display_name="Long Phạm"))
    await session.commit()
    return made


@asynccontextmanager
async def polling(fake: FakeTelegram, sessions) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel(make_bot(TOKEN, fake.url), Gateway(sessions, ENV), BOT_USERNAME, policy=FAST)
    task = asyncio.create_task(channel.poll(polling_timeout=1))
    try:
        yield channel
    finally:
        if not await channel.stop_polling():
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await channel.close()


async def settle(fake: FakeTelegram, channel: TelegramChannel, timeout: float = 5.0) -> None:
    """Until every pushed update was fetched and handled and the bot has gone quiet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if fake.polled_offset > fake.last_update_id and not len(channel.runtime.turns):
            seen = len(fake.calls)
            await asyncio.sleep(0.03)
            if len(fake.calls) == seen and not len(channel.runtime.turns):
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the bot did not settle")


class TgUser:
    """One person chatting in private (or in `chat`): send text or photos, press buttons by label."""

    def __init__(self, fake: FakeTelegram, channel: TelegramChannel, user_id: int, first: str = "Long",
                 last: str | None = "Phạm", chat: dict | None = None) -> None:
        self.fake, self.channel = fake, channel
        self.user = fake.user(user_id, first, last)
        self.chat = chat
        self.chat_id = str(chat["id"] if chat else user_id)

    async def say(self, text: str | None = None, **kwargs) -> list[Call]:
        mark = len(self.fake.calls)
        self.fake.message(self.user, text, chat=self.chat, **kwargs)
        await settle(self.fake, self.channel)
        return self._sent_since(mark)

    async def press(self, words: str, times: int = 1) -> list[Call]:
        message = self.keyboard()
        button = next((b for b in message.buttons if words.lower() in b["text"].lower()), None)
        assert button is not None, f"no button {words!r} in {[b['text'] for b in message.buttons]}"
        mark = len(self.fake.calls)
        for _ in range(times):
            self.fake.press(self.user, button["callback_data"], message)
        await settle(self.fake, self.channel)
        return self._sent_since(mark)

    def keyboard(self) -> Call:
        return next(c for c in reversed(self.fake.sent(chat_id=self.chat_id)) if c.buttons)

    def _sent_since(self, mark: int) -> list[Call]:
        return [c for c in self.fake.calls[mark:] if c.method in ("sendMessage", "sendPhoto")
                and c.chat_id == self.chat_id and c.status == 200]


def texts(calls: list[Call]) -> str:
    return "\n\n".join(c.params.get("text") or c.params.get("caption", "") for c in calls)


async def count(sessions, model, *where) -> int:
    async with sessions() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


# -- onboarding, visit, concern ----------------------------------------------------------------

async def test_joining_by_deep_link_and_buttons(fake, sessions, session, world):
    made = await create_invite(session, world.nhom, Role.MEMBER, now=utcnow(), valid_for=dt.timedelta(days=7),
                               created_by_id=world.leader.id)
    await session.commit()
    async with polling(fake, sessions) as channel:
        newbie = TgUser(fake, channel, 6001, "Mới", "Đỗ Văn")
        replies = await newbie.say(f"/start {made.code}")
        assert "Bạn đồng ý tham gia?" in texts(replies)
        assert [b["text"] for b in replies[-1].buttons] == ["Đồng ý", "Hủy"]
        confirm = replies[-1]

        assert texts(await newbie.press("Đồng ý")) == "Họ và tên của bạn (như trong danh sách tổ)?"
        # the button was answered (spinner stops) and taken off the pressed message
        assert len(fake.sent("answerCallbackQuery")) == 1
        edit = fake.sent("editMessageReplyMarkup")[-1]
        assert edit.params["message_id"] == str(confirm.result["message_id"])
        assert not edit.params.get("reply_markup", {}).get("inline_keyboard")

        assert "Số điện thoại" in texts(await newbie.say("Đỗ Văn Mới"))
        done = await newbie.press("Bỏ qua")
        assert "Chào mừng Đỗ Văn Mới!" in texts(done)
        assert [b["callback_data"] for b in done[-1].buttons][:2] == ["m:visit", "m:concern"]
        assert [len(row) for row in done[-1].params["reply_markup"]["inline_keyboard"]] == [2, 2, 2, 2]

    async with sessions() as s:
        person = (await s.scalars(select(Person).where(Person.full_name == "Đỗ Văn Mới"))).one()
        identity = (await s.scalars(select(ChatIdentity).where(ChatIdentity.person_id == person.id))).one()
        assert (identity.channel, identity.external_id, identity.chat_id, identity.display_name) == (
            Channel.TELEGRAM, "6001", "6001", "Mới Đỗ Văn")


async def test_a_visit_in_four_taps(fake, sessions, world):
    async with polling(fake, sessions) as channel:
        member = TgUser(fake, channel, MEMBER_ID)
        assert "Chọn việc cần làm:" in texts(await member.say("/menu"))
        households = await member.press("Ghi thăm hộ")
        assert "chọn hộ đã thăm" in texts(households)
        assert await member.press("Nguyễn Văn Hùng")
        assert "Hộ có ý kiến" in texts(await member.press("Thăm hỏi, động viên"))
        saved = await member.press("lưu ngay")
        assert "✅ Đã ghi thăm hộ Nguyễn Văn Hùng" in texts(saved)
        assert len(fake.sent("answerCallbackQuery")) == len(fake.sent("editMessageReplyMarkup")) == 4
    assert await count(sessions, Visit, Visit.channel == Channel.TELEGRAM) == 1


async def test_typing_is_shown_before_a_digest_not_before_a_quick_reply(fake, sessions, world):
    async with polling(fake, sessions) as channel:
        member = TgUser(fake, channel, MEMBER_ID)
        channel.runtime.typing_after = 60  # "quick" whatever the machine's load
        assert "Chọn việc cần làm:" in texts(await member.say("/menu"))
        assert fake.sent("sendChatAction") == []
        assert "Tổng hợp tháng dành cho" in texts(await member.say("/tonghop"))  # refused, but only after the work
    [typing] = fake.sent("sendChatAction")
    assert (typing.params["chat_id"], typing.params["action"]) == (str(MEMBER_ID), "typing")
    assert fake.calls.index(typing) < max(i for i, c in enumerate(fake.calls) if c.method == "sendMessage")


async def test_a_concern_with_a_photo(fake, sessions, world):
    async with polling(fake, sessions) as channel:
        member = TgUser(fake, channel, MEMBER_ID)
        await member.say("/menu")
        await member.press("Ghi ý kiến")
        assert "Nội dung ý kiến" in texts(await member.press("Môi trường"))
        asked = await member.say(caption="Đường liên thôn sạt lở sau mưa", photo_sizes=3)
        assert "Mức độ?" in texts(asked)
        await member.press("Khẩn")
        assert "📋 Kiểm tra trước khi lưu:" in texts(await member.press("Ẩn danh"))
        done = await member.press("Lưu")
        assert "✅ Đã ghi ý kiến PA-" in texts(done)
    async with sessions() as s:
        concern = (await s.scalars(select(Concern))).one()
        assert concern.description == "Đường liên thôn sạt lở sau mưa"
        photos = (await s.scalars(select(ConcernPhoto))).all()
        assert [(p.channel, p.file_ref) for p in photos] == [(Channel.TELEGRAM, photos[0].file_ref)]
        assert photos[0].file_ref.endswith("-2")  # the largest of the three sizes


async def test_a_button_pressed_twice_records_one_visit(fake, sessions, world):
    async with polling(fake, sessions) as channel:
        member = TgUser(fake, channel, MEMBER_ID)
        await member.say("/menu")
        await member.press("Ghi thăm hộ")
        await member.press("Nguyễn Văn Hùng")
        await member.press("Thăm hỏi")
        replies = await member.press("lưu ngay", times=2)
        assert "✅ Đã ghi thăm hộ" in texts(replies)
        assert "Nút này đã cũ" in texts(replies)
    assert await count(sessions, Visit) == 1
    # both presses answered; the second edit finds no keyboard left: Telegram's "not modified"
    assert len(fake.sent("answerCallbackQuery")) == 5
    assert [(c.method, c.description[:36]) for c in fake.rejected()] == [
        ("editMessageReplyMarkup", "Bad Request: message is not modified")]


# -- errors -----------------------------------------------------------------------------------

async def test_429_waits_as_long_as_the_server_says(fake, sessions, world):
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    async with polling(fake, sessions) as channel:
        member = TgUser(fake, channel, MEMBER_ID)
        replies = await member.say("/menu")
    assert "Chọn việc cần làm:" in texts(replies)
    attempts = [c for c in fake.calls if c.method == "sendMessage"]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.95


async def test_5xx_and_network_errors_are_retried(fake, sessions, world):
    fake.fail("sendMessage", 502, "Bad Gateway", times=2)
    async with polling(fake, sessions) as channel:
        replies = await TgUser(fake, channel, MEMBER_ID).say("/menu")
    assert "Chọn việc cần làm:" in texts(replies)
    assert [c.status for c in fake.calls if c.method == "sendMessage"] == [502, 502, 200]


async def test_a_blocked_bot_marks_the_person_unreachable(fake, sessions, world):
    fake.blocked.add(str(MEMBER_ID))
    async with polling(fake, sessions) as channel:
        assert await TgUser(fake, channel, MEMBER_ID).say("/menu") == []
    assert [c.status for c in fake.calls if c.method == "sendMessage"] == [403]  # not retried
    async with sessions() as s:
        identity = (await s.scalars(select(ChatIdentity).where(ChatIdentity.channel == Channel.TELEGRAM))).one()
        assert identity.unreachable_at is not None
        assert "blocked" in identity.unreachable_reason


async def test_a_failing_handler_gets_a_short_apology(fake, sessions, world, monkeypatch, caplog):
    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("handlers.engine.gateway.handle", broken)
    async with polling(fake, sessions) as channel:
        replies = await TgUser(fake, channel, MEMBER_ID).say("/menu")
    assert texts(replies) == "Có lỗi xảy ra; tin nhắn chưa được xử lý. Hãy thử lại."
    assert "update failed: channel=telegram" in caplog.text


async def test_a_backlog_is_handled_at_most_n_at_a_time(fake, monkeypatch):
    running, most, release = 0, 0, asyncio.Event()

    async def slow(incoming):
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1
        return []

    gateway = Gateway(None, ENV)
    monkeypatch.setattr(gateway, "reply", slow)
    channel = TelegramChannel(make_bot(TOKEN, fake.url), gateway, BOT_USERNAME, policy=FAST, concurrency=5)
    for user_id in range(1, 41):
        fake.message(fake.user(9000 + user_id), "/menu")
    task = asyncio.create_task(channel.poll(polling_timeout=1))
    try:
        await asyncio.sleep(0.3)
        assert running == most == 5  # the other 35 wait behind the limit, not as 35 more tasks
        release.set()
        await fake.wait_for(lambda f: f.polled_offset > f.last_update_id)
    finally:
        await channel.stop_polling()
        await asyncio.gather(task, return_exceptions=True)
        await channel.close()
    assert most == 5


# -- groups -------------------------------------------------------------------------------------

async def test_in_groups_only_commands_addressed_to_the_bot_are_handled(fake, sessions, session, world):
    session.add(ChatIdentity(person_id=world.leader.id, channel=Channel.TELEGRAM, external_id="5002", chat_id="5002"))
    await session.commit()
    async with polling(fake, sessions) as channel:
        member = TgUser(fake, channel, MEMBER_ID, chat=GROUP)
        assert await member.say("Chào cả nhóm, mai họp nhé") == []
        assert await member.say("/menu@other_bot") == []
        assert await member.say(caption="ảnh hiện trường", photo_sizes=2) == []
        assert "chỉ nhận lệnh /ganket" in texts(await member.say("/help"))
        assert "không có vai trò" in texts(await member.say(f"/ganket@{BOT_USERNAME}"))

        leader = TgUser(fake, channel, 5002, "Hằng", "Nguyễn Thị", chat=GROUP)
        assert await leader.say("/ganket@other_bot") == []
        asked = await leader.say(f"/ganket@{BOT_USERNAME}")
        assert "Gắn nhóm này với đơn vị nào?" in texts(asked) and asked[-1].chat_id == str(GROUP["id"])
        bound = await leader.press("Đồng Tâm")
        assert "✅ Đã gắn nhóm này" in texts(bound)
    async with sessions() as s:
        group = (await s.scalars(select(ChatGroup))).one()
        assert (group.channel, group.chat_id, group.title) == (Channel.TELEGRAM, str(GROUP["id"]), GROUP["title"])
    private = [c for c in fake.sent() if c.chat_id in (str(MEMBER_ID), "5002")]
    assert private == []  # nothing went to anyone's private chat
    assert not any("Nguyễn Văn Hùng" in (c.params.get("text") or "") for c in fake.sent())


def test_commands_addressed_to_us():
    assert addressed_to("/menu", "gandan_bot") is True
    assert addressed_to("/menu@Gandan_Bot extra", "gandan_bot") is True
    assert addressed_to("/menu@other_bot", "gandan_bot") is False
    assert addressed_to("hello /menu", "gandan_bot") is None
    assert addressed_to("/", "gandan_bot") is None


def test_updates_map_to_neutral_messages():
    fake = FakeTelegram()
    user = fake.user(42, "Lan", "Trần Thị")
    message = Message.model_validate({
        "message_id": 7, "date": 0, "chat": GROUP, "from": user, "caption": "ảnh",
        "photo": [{"file_id": f"f{i}", "file_unique_id": f"u{i}", "width": i, "height": i} for i in (1, 2, 3)]})
    assert from_message(message) == Incoming(channel=Channel.TELEGRAM, chat_id=str(GROUP["id"]), user_id="42",
                                             text="ảnh", photo="f3", message_id="7",
                                             display_name="Lan Trần Thị", is_group=True, chat_title=GROUP["title"])
    callback = CallbackQuery.model_validate({
        "id": "99", "from": user, "chat_instance": "c", "data": "m:visit",
        "message": {"message_id": 8, "date": 0, "chat": {"id": 42, "type": "private"}, "text": "x"}})
    assert from_callback(callback) == Incoming(channel=Channel.TELEGRAM, chat_id="42", user_id="42",
                                               choice="m:visit", message_id="cb99", display_name="Lan Trần Thị")


# -- sending ------------------------------------------------------------------------------------

async def test_long_replies_are_split_and_keyboards_kept_within_limits(fake, sessions):
    channel = TelegramChannel(make_bot(TOKEN, fake.url), Gateway(sessions, ENV), BOT_USERNAME, policy=FAST)
    try:
        long_text = "\n".join(f"{n}. Hộ Nguyễn Văn {n}, Xóm Trại, Thôn Đồng Tâm (chưa thăm)" for n in range(120))
        options = (Option("m:main", "🏠 Trang chính"), Option("x" * 65, "Một lựa chọn có khóa rất dài"),
                   Option("h:ý" * 30, "L" * 80), Option("k", "   "))
        incoming = Incoming(channel=Channel.TELEGRAM, chat_id="777", user_id="777")
        await channel.send(incoming, [Reply(long_text, options, columns=2)])
        sent = fake.sent("sendMessage", chat_id=777)
        assert len(long_text) > 4096 and len(sent) == 2
        assert all(len(c.params["text"]) <= 4096 for c in sent)
        assert "reply_markup" not in sent[0].params
        assert [b["callback_data"] for b in sent[1].buttons] == ["m:main", "#1", "#2", "k"]
        assert all(len(b["text"]) <= 64 and b["text"].strip() for b in sent[1].buttons)

        many = tuple(Option(f"o:{n}", f"Mục {n}") for n in range(150))
        await channel.send(incoming, [Reply("Chọn:", many, columns=3)])
        assert len(fake.sent("sendMessage")[-1].buttons) == 100

        await channel.send(incoming, [Reply("Ảnh " * 400, photo="AgACfile")])
        photo, text = fake.sent()[-2:]
        assert (photo.method, photo.params.get("caption"), text.method) == ("sendPhoto", None, "sendMessage")
    finally:
        await channel.close()


async def test_the_command_menu_is_set_in_both_languages(fake, sessions):
    channel = TelegramChannel(make_bot(TOKEN, fake.url), Gateway(sessions, ENV), BOT_USERNAME, policy=FAST)
    try:
        await channel.set_commands()
    finally:
        await channel.close()
    calls = fake.sent("setMyCommands")
    assert [c.params.get("language_code") for c in calls] == [None, "vi", "en"]
    assert all(c.params["scope"] == {"type": "default"} for c in calls)
    assert [cmd["command"] for cmd in calls[1].params["commands"]] == ["menu", "huy", "quaylai", "tieptuc", "help",
                                                                  "tonghop", "pa", "ganket"]
    assert [cmd["command"] for cmd in calls[2].params["commands"]] == ["menu", "cancel", "back", "continue", "help",
                                                                  "digest", "pa", "ganket"]
    assert calls[0].params["commands"] == calls[1].params["commands"]
    assert calls[1].params["commands"][0]["description"] == "Trang chính"


# -- gandan run -----------------------------------------------------------------------------------

async def test_gandan_run_long_polls_until_stopped(fake, engine, sessions, world):
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=fake.url, web_listen="127.0.0.1:0")
    stop = asyncio.Event()
    run = asyncio.create_task(serve_channels(App(settings, engine, sessions), stop))
    member = fake.user(MEMBER_ID)
    fake.message(member, "/menu")
    await fake.wait_for(lambda f: bool(f.sent("sendMessage", chat_id=MEMBER_ID)))
    fake.message(member, "/huy")
    await fake.wait_for(lambda f: len(f.sent("sendMessage", chat_id=MEMBER_ID)) == 2)
    stop.set()
    assert await asyncio.wait_for(run, 5) == 0
    assert [c.method for c in fake.sent()][:2] == ["getMe", "setMyCommands"]
    assert fake.sent("deleteWebhook") and not fake.webhook
    assert "Không có việc gì đang làm dở." in fake.sent("sendMessage")[-1].params["text"]
