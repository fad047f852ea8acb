"""The Zalo channel end to end: a fake Zalo Bot API, the real webhook handler, engine and database."""

import asyncio
import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.channels.runtime import RetryPolicy
from bot.channels.zalo import ZaloChannel, ZaloClient
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming, Reply
from models.base import utcnow
from models.enums import Channel, ConcernCategory, GroupPurpose, Role, Urgency
from models.people.invites import create_invite
from models.tables import ChatGroup, ChatIdentity, Concern, ConcernPhoto, ConversationState, Person, Visit
from tests.dialog import Chat
from tests.fakes.zalo_api import TOKEN, FakeZaloApi
from tests.world import build_world

SECRET = "zalo-webhook-secret-1"
PHOTO = "https://photo-stal.zadn.vn/o-ga.jpg"
_ids = itertools.count(1)


@dataclass
class Zalo:
    """The fake API, the channel and a client posting to its webhook, as Zalo's servers would."""

    api: FakeZaloApi
    channel: ZaloChannel
    http: httpx.AsyncClient
    sleeps: list[float] = field(default_factory=list)

    async def post(self, payload: dict, secret: str | None = SECRET) -> httpx.Response:
        headers = {"X-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return await self.http.post("/zalo", json=payload, headers=headers)

    async def say(self, user: str, text: str | None = "", *, chat: str | None = None, wrapped: bool = True,
                  event: str = "message.text.received", message_id: str | None = None, **extra: str) -> str:
        """Everything the bot answered, as the person reads it (pieces joined by blank lines)."""
        chat = chat or user
        before = len(self.api.sent(chat))
        payload = update(user, text, chat=chat, event=event, message_id=message_id, **extra)
        response = await self.post({"ok": True, "result": payload} if wrapped else payload)
        assert response.status_code == 200
        await self.channel.drain()
        return "\n\n".join(self.api.sent(chat)[before:])


def update(user: str, text: str | None, *, chat: str | None = None, event: str = "message.text.received",
           message_id: str | None = None, **extra: str) -> dict:
    group = chat is not None and chat != user
    message = {"from": {"id": user, "display_name": f"Zalo {user}", "is_bot": False},
               "chat": {"id": chat or user, "chat_type": "GROUP" if group else "PRIVATE"},
               "message_id": message_id or f"zm{next(_ids)}", "date": 1766619597466, **extra}
    if text is not None:
        message["text"] = text
    return {"event_name": event, "message": message}


def number(screen: str, words: str) -> str:
    """The number shown before the line containing `words`."""
    for line in screen.splitlines():
        found = re.match(r"^(\d+)\. (.*)$", line)
        if found and words.lower() in found.group(2).lower():
            return found.group(1)
    raise AssertionError(f"no option {words!r} in:\n{screen}")


@pytest.fixture
async def zalo(sessions):
    sleeps: list[float] = []

    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    async with FakeZaloApi() as api, ZaloClient(TOKEN, api.base_url) as client:
        channel = ZaloChannel(client, Gateway(sessions, Env(tz=ZoneInfo("Asia/Ho_Chi_Minh"))), webhook_secret=SECRET,
                              policy=RetryPolicy(attempts=4), sleep=no_wait, poll_timeout=1, backoff=0.01)
        await channel.connect()
        app = web.Application()
        app.router.add_post("/zalo", channel.webhook_handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port = runner.addresses[0][1]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            yield Zalo(api, channel, http, sleeps)
        await channel.drain()
        await runner.cleanup()


async def invite_code(session, world, unit=None, role=Role.MEMBER) -> str:
    made = await create_invite(session, unit or world.nhom, role, now=utcnow(), valid_for=dt.timedelta(days=7),
                               created_by_id=world.leader.id)
    await session.commit()
    return made.code


async def rows(sessions, model, *where):
    async with sessions() as s:
        return list(await s.scalars(select(model).where(*where).order_by(model.id)))


async def join(zalo: Zalo, user: str, code: str, name: str, phone: str) -> str:
    screen = await zalo.say(user, code)
    assert "Bạn đồng ý tham gia?" in screen and "1. Đồng ý\n2. Hủy" in screen
    assert "Họ và tên" in await zalo.say(user, "1")
    assert "Số điện thoại" in await zalo.say(user, name)
    return await zalo.say(user, phone)


async def log_visit(zalo: Zalo, user: str, household: str) -> str:
    picker = await zalo.say(user, "1")  # the menu's first entry: Ghi thăm hộ
    assert "Ghi thăm hộ — chọn hộ đã thăm" in picker
    assert "Mục đích thăm?" in await zalo.say(user, number(picker, household))
    assert "1. Không — lưu ngay" in await zalo.say(user, "4")
    return await zalo.say(user, "1")


async def test_onboarding_by_code_then_a_visit_by_numbers_and_a_concern_by_words(session, sessions, zalo):
    world = await build_world(session)
    code = await invite_code(session, world)
    welcome = await join(zalo, "zl-new", code, "Đỗ Văn Mới", "0987654321")
    assert "Chào mừng Đỗ Văn Mới!" in welcome and "1. 📝 Ghi thăm hộ" in welcome

    assert "✅ Đã ghi thăm hộ Hoàng Văn Nam" in await log_visit(zalo, "zl-new", "Hoàng Văn Nam")
    assert "📝 Ghi thăm hộ" in await zalo.say("zl-new", "trang chính")
    assert "Lĩnh vực?" in await zalo.say("zl-new", "ghi ý kiến")
    assert "Nội dung ý kiến" in await zalo.say("zl-new", "hạ tầng")
    screen = await zalo.say("zl-new", None, event="message.image.received", photo_url=PHOTO,
                            caption="Đường xóm bị ổ gà sau mưa lớn")
    assert "Mức độ?" in screen and "1. Bình thường\n2. Khẩn" in screen
    assert "Ý kiến của hộ nào?" in await zalo.say("zl-new", "khẩn")
    assert "1. ✅ Lưu" in await zalo.say("zl-new", "ẩn danh")
    assert "✅ Đã ghi ý kiến PA-" in await zalo.say("zl-new", "lưu")

    [person] = await rows(sessions, Person, Person.phone == "0987654321")
    [visit] = await rows(sessions, Visit)
    [concern] = await rows(sessions, Concern)
    [photo] = await rows(sessions, ConcernPhoto)
    assert (visit.person_id, visit.channel, visit.household_id) == (person.id, Channel.ZALO, world.households[4].id)
    assert (concern.reporter_id, concern.channel, concern.category, concern.urgency, concern.description) == (
        person.id, Channel.ZALO, ConcernCategory.INFRASTRUCTURE, Urgency.URGENT, "Đường xóm bị ổ gà sau mưa lớn")
    assert (photo.concern_id, photo.file_ref) == (concern.id, PHOTO)
    assert all(len(text) <= 2000 for text in zalo.api.sent())


async def test_one_person_on_telegram_and_zalo_is_one_person_with_one_record(session, sessions, zalo):
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.member.id, channel=Channel.TELEGRAM, external_id="501",
                             chat_id="501"))
    await session.commit()
    telegram = Chat(sessions, "501", channel=Channel.TELEGRAM)
    for text in ("/menu", "1", "1", "4", "1"):
        await telegram.say(text)
    assert "✅ Đã ghi thăm hộ" in telegram.screen
    people = await session.scalar(select(func.count()).select_from(Person))

    welcome = await join(zalo, "zl-long", await invite_code(session, world), "Phạm Văn Long", "0912100021")
    assert "Chào mừng Phạm Văn Long!" in welcome
    assert "✅ Đã ghi thăm hộ Vũ Thị Mai" in await log_visit(zalo, "zl-long", "Vũ Thị Mai")

    assert await session.scalar(select(func.count()).select_from(Person)) == people
    identities = await rows(sessions, ChatIdentity, ChatIdentity.person_id == world.member.id)
    assert {i.channel for i in identities} == {Channel.TERMINAL, Channel.TELEGRAM, Channel.ZALO}
    visits = await rows(sessions, Visit)
    assert [(v.person_id, v.channel) for v in visits] == [(world.member.id, Channel.TELEGRAM),
                                                         (world.member.id, Channel.ZALO)]


async def test_the_team_leader_binds_a_zalo_group_by_mentioning_the_bot(session, sessions, zalo):
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.leader.id, channel=Channel.ZALO, external_id="zl-hang",
                             chat_id="zl-hang"))
    await session.commit()
    screen = await zalo.say("zl-hang", "@GanDan /ganket", chat="grp-1")
    assert "Gắn nhóm này với đơn vị nào?" in screen
    assert "✅ Đã gắn nhóm này: Nhóm chi bộ — Thôn Đồng Tâm" in await zalo.say(
        "zl-hang", f"@GanDan {number(screen, 'Nhóm chi bộ')}", chat="grp-1")
    [group] = await rows(sessions, ChatGroup)
    assert (group.channel, group.chat_id, group.unit_id, group.purpose) == (
        Channel.ZALO, "grp-1", world.village.id, GroupPurpose.CHI_BO)
    assert await zalo.say("zl-other", "@GanDan chào cả nhà", chat="grp-1") == ""  # chatter is not for us


async def test_a_mention_by_a_name_of_several_words_is_learnt_from_ganket_and_stripped(session, sessions, zalo):
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.leader.id, channel=Channel.ZALO, external_id="zl-hang",
                             chat_id="zl-hang"))
    await session.commit()
    screen = await zalo.say("zl-hang", "@Gần Dân Phúc Sơn /ganket", chat="grp-2")
    assert "Gắn nhóm này với đơn vị nào?" in screen
    assert "✅ Đã gắn nhóm này: Nhóm chi bộ — Thôn Đồng Tâm" in await zalo.say(
        "zl-hang", f"@Gần Dân Phúc Sơn {number(screen, 'Nhóm chi bộ')}", chat="grp-2")


async def test_a_long_reply_is_split_in_two_within_the_limit(session, sessions, zalo):
    text = "\n".join(f"Dòng {n}: " + "nội dung " * 11 for n in range(30))[:2500]
    assert len(text) == 2500
    await zalo.channel.send(Incoming(Channel.ZALO, "zl-1", "zl-1"), [Reply(text)])
    pieces = zalo.api.sent("zl-1")
    assert len(pieces) == 2 and all(len(p) <= 2000 for p in pieces)
    assert "\n".join(pieces) == text


POLITE = "Xin lỗi, Gần Dân chưa đọc được loại tin nhắn này. Bạn hãy gõ nội dung bằng chữ nhé."


async def test_unsupported_content_gets_a_polite_answer_once_then_the_question_again(session, sessions, zalo):
    await build_world(session)
    payload = update("zl-protected", None, event="message.unsupported.received", message_id="u-1")
    for _ in range(2):  # redelivered
        assert (await zalo.post(payload)).status_code == 200
        await zalo.channel.drain()
    polite, question = zalo.api.sent("zl-protected")
    assert polite == POLITE and "mã mời" in question


async def concern_text_step(session, zalo: Zalo, user: str) -> None:
    """A member on the step "Nội dung ý kiến", through the menu."""
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.member.id, channel=Channel.ZALO, external_id=user, chat_id=user))
    await session.commit()
    assert "Lĩnh vực?" in await zalo.say(user, "ghi ý kiến")
    assert "Nội dung ý kiến" in await zalo.say(user, "hạ tầng")


@pytest.mark.parametrize("event", ["message.unsupported.received", "message.voice.received",
                                   "message.sticker.received", "message.file.received"])
async def test_content_the_bot_cannot_read_is_answered_with_the_current_question_again(session, sessions, zalo,
                                                                                       event):
    await concern_text_step(session, zalo, "zl-voice")
    screen = await zalo.say("zl-voice", None, event=event, sticker="abc")
    assert screen.startswith(POLITE) and "Nội dung ý kiến" in screen.split(POLITE, 1)[1]
    assert "Mức độ?" in await zalo.say("zl-voice", "Đèn đường hỏng ở ngõ 3")  # still on the same step


async def test_a_photo_in_the_documented_photo_field_is_kept(session, sessions, zalo):
    await concern_text_step(session, zalo, "zl-photo")
    screen = await zalo.say("zl-photo", None, event="message.image.received", photo=PHOTO,
                            caption="Cống tắc sau mưa")
    assert "Mức độ?" in screen
    for answer in ("bình thường", "ẩn danh", "lưu"):
        screen = await zalo.say("zl-photo", answer)
    assert "✅ Đã ghi ý kiến PA-" in screen
    [photo] = await rows(sessions, ConcernPhoto)
    assert photo.file_ref == PHOTO


async def test_a_photo_that_cannot_be_read_is_said_so_not_dropped(session, sessions, zalo):
    await concern_text_step(session, zalo, "zl-nophoto")
    screen = await zalo.say("zl-nophoto", None, event="message.image.received", caption="Cống tắc")
    notice = "Gần Dân không đọc được ảnh này. Bạn hãy gửi lại ảnh, hoặc gõ nội dung bằng chữ."
    assert screen.startswith(notice) and "Nội dung ý kiến" in screen
    assert await rows(sessions, Concern) == []


async def test_messages_from_bots_are_ignored_and_text_without_an_event_name_is_text(session, sessions, zalo):
    await build_world(session)
    mine = update("9001", "xin chào")  # the fake's getMe id: the bot itself
    other = update("zl-robot", "xin chào")
    other["message"]["from"]["is_bot"] = True
    for payload in (mine, other):
        assert (await zalo.post(payload)).status_code == 200
    await zalo.channel.drain()
    assert zalo.api.sent() == [] and await rows(sessions, ConversationState) == []
    plain = update("zl-plain", "xin chào")
    del plain["event_name"]
    assert (await zalo.post(plain)).status_code == 200
    await zalo.channel.drain()
    assert "mã mời" in "".join(zalo.api.sent("zl-plain"))


async def test_a_sticker_is_answered_like_an_empty_message(session, sessions, zalo):
    await build_world(session)
    screen = await zalo.say("zl-x", None, event="message.sticker.received", sticker="abc")
    assert "Gửi mã mời" in screen or "mã mời" in screen


async def test_a_redelivered_webhook_is_processed_once(session, sessions, zalo):
    world = await build_world(session)
    code = await invite_code(session, world)
    payload = {"ok": True, "result": update("zl-twice", code, message_id="same")}
    first, second = await asyncio.gather(zalo.post(payload), zalo.post(payload))
    third = await zalo.post(payload)
    assert {first.status_code, second.status_code, third.status_code} == {200}
    await zalo.channel.drain()
    assert len(zalo.api.sent("zl-twice")) == 1


async def test_a_wrong_or_missing_secret_is_rejected(session, sessions, zalo, caplog):
    await build_world(session)
    payload = update("zl-intruder", "/menu")
    assert (await zalo.post(payload, secret="not-the-secret")).status_code == 401
    assert (await zalo.post(payload, secret=None)).status_code == 401
    assert (await zalo.post(payload, secret=SECRET + "x")).status_code == 401
    await zalo.channel.drain()
    assert zalo.api.sent() == [] and await rows(sessions, ConversationState) == []
    assert "127.0.0.1" in caplog.text and SECRET not in caplog.text
    zalo.channel.webhook_secret = None  # no secret configured: nothing is accepted
    assert (await zalo.post(payload, secret="")).status_code == 401
    assert (await zalo.http.post("/zalo", content=b"{not json", headers={
        "X-Bot-Api-Secret-Token": SECRET})).status_code == 401


async def test_bad_json_is_a_400(session, sessions, zalo):
    response = await zalo.http.post("/zalo", content=b"{not json", headers={"X-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 400


async def test_a_429_is_retried_after_the_wait_zalo_asks_for(session, sessions, zalo):
    await build_world(session)
    zalo.api.fail_next("sendMessage", count=2, status=429, retry_after=3)
    assert "mã mời" in await zalo.say("zl-busy", "xin chào")
    assert zalo.api.methods().count("sendMessage") == 3 and zalo.sleeps == [3.0, 3.0]


async def test_both_payload_shapes_are_accepted(session, sessions, zalo):
    await build_world(session)
    wrapped = await zalo.say("zl-a", "xin chào", wrapped=True)
    bare = await zalo.say("zl-b", "xin chào", wrapped=False)
    assert wrapped == bare and "mã mời" in bare


async def test_a_person_who_blocked_the_bot_is_marked_unreachable(session, sessions, zalo):
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.member.id, channel=Channel.ZALO, external_id="zl-gone",
                             chat_id="zl-gone"))
    await session.commit()
    zalo.api.blocked.add("zl-gone")
    await zalo.say("zl-gone", "/menu")
    [identity] = await rows(sessions, ChatIdentity, ChatIdentity.external_id == "zl-gone")
    assert identity.unreachable_at is not None and "blocked" in identity.unreachable_reason


async def test_polling_serves_updates_and_survives_timeouts_and_errors(session, sessions, zalo):
    world = await build_world(session)
    code = await invite_code(session, world)
    zalo.api.fail_next("getUpdates", count=1, status=500)
    stop = asyncio.Event()
    task = asyncio.create_task(zalo.channel.poll(stop))
    await asyncio.sleep(0.1)  # an error, then empty long polls (408)
    zalo.api.push_update(update("zl-poll", code))
    zalo.api.push_update({"ok": True, "result": update("zl-poll", "1")})
    for _ in range(200):
        if len(zalo.api.sent("zl-poll")) >= 2:
            break
        await asyncio.sleep(0.02)
    stop.set()
    await asyncio.wait_for(task, 2)
    confirm, name = zalo.api.sent("zl-poll")
    assert "Bạn đồng ý tham gia?" in confirm and "Họ và tên" in name
    assert zalo.api.methods().count("getUpdates") >= 3


async def test_the_webhook_answers_before_the_update_is_processed(session, sessions, zalo):
    await build_world(session)
    zalo.channel._slots = asyncio.Semaphore(0)  # every processing slot busy
    response = await asyncio.wait_for(zalo.post(update("zl-fast", "xin chào")), 2)
    assert response.status_code == 200 and zalo.api.sent() == []
    zalo.channel._slots.release()
    await zalo.channel.drain()
    assert len(zalo.api.sent("zl-fast")) == 1


async def test_typing_is_shown_before_a_digest_and_a_reply_that_takes_long_but_not_before_quick_ones(
        session, sessions, zalo, monkeypatch):
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.leader.id, channel=Channel.ZALO, external_id="zl-lead",
                             chat_id="zl-lead"))
    await session.commit()
    zalo.channel.runtime.typing_after = 60  # "quick" whatever the machine's load
    assert "Chọn việc cần làm:" in await zalo.say("zl-lead", "/menu")
    assert "sendChatAction" not in zalo.api.methods()
    assert "📊 Tổng hợp tháng" in await zalo.say("zl-lead", "/tonghop")
    methods = zalo.api.methods()
    typing = methods.index("sendChatAction")
    assert zalo.api.calls[typing].params == {"chat_id": "zl-lead", "action": "typing"}
    assert "sendMessage" in methods[typing:] and methods[:typing].count("sendMessage") == 1  # before the digest

    gateway, reply = zalo.channel.gateway, zalo.channel.gateway.reply

    async def slow(incoming):
        await asyncio.sleep(0.2)
        return await reply(incoming)

    monkeypatch.setattr(gateway, "reply", slow)
    zalo.channel.runtime.typing_after = 0.05
    assert "Chọn việc cần làm:" in await zalo.say("zl-lead", "/menu")
    assert zalo.api.methods().count("sendChatAction") == 2
    zalo.api.fail_next("sendChatAction", status=500)  # a typing action that fails changes nothing else
    assert "Chọn việc cần làm:" in await zalo.say("zl-lead", "/menu")
    assert zalo.api.methods().count("sendChatAction") == 3
