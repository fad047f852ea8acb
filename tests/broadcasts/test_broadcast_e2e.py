"""A commune-wide announcement to 1,000 people, end to end: composed in chat, delivered by the real
outbox sender to fake Telegram and Zalo servers (some chats blocked or refused), acknowledged by
button and by number, reported to its author, reminded once, and the still silent named to their
team leaders — every figure and name checked against what the servers received."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.channels.telegram.channel import make_bot
from bot.channels.telegram.deliver import TelegramDeliverer
from bot.channels.zalo.client import ZaloClient
from bot.channels.zalo.deliver import ZaloDeliverer
from bot.outbox.limits import Rate
from bot.outbox.sender import OutboxSender
from core.db import create_engine, serving_options, session_factory
from core.text import fold
from handlers.engine.conversation import Env, handle
from handlers.engine.paging import fits
from handlers.engine.types import Incoming
from models.enums import Channel, OutboxStatus, Role, UnitKind
from models.outbox.enqueue import payload
from models.tables import Announcement, AnnouncementReceipt, ChatIdentity, Membership, OutboxMessage, Person
from models.units import tree
from scheduler.broadcasts import broadcast_jobs
from tests.channels.test_telegram_e2e import TgUser, polling
from tests.dialog import Chat
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.fakes.zalo_api import TOKEN as ZALO_TOKEN, FakeZaloApi
from tests.outbox.test_outbox import Clock, drain_all

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = Chat.now  # Tuesday 24/11/2026, 09:00 in Hà Nội
VILLAGES, PER_TEAM = 10, 100
AUTHOR_CHAT = "9000"
UNLIMITED = {channel: Rate(overall=1e6, per_chat=1e6, per_group=1e6) for channel in (Channel.TELEGRAM, Channel.ZALO)}


async def read_to_the_end(chat: Chat) -> str:
    """A screen too long for one Zalo message comes a page at a time: each page fits, read them all."""
    pages = [chat.last[0].text]
    while chat.last[0].options and chat.last[0].options[0].key == "more":
        assert fits(chat.last[0])
        await chat.say(chat.option_number("Xem tiếp"))
        pages.append(chat.last[0].text)
    assert fits(chat.last[0])
    return "\n".join(pages)


@dataclass
class Someone:
    index: int
    id: int
    name: str
    village: str
    team: str
    leader: bool
    channel: Channel | None  # the app the announcement goes to; None: no app at all
    chat: str | None
    fate: str  # "ok", "blocked", "refused" (a 400), "no_app"

    @property
    def delivered(self) -> bool:
        return self.fate == "ok"


def fate_of(i: int) -> str:
    if i % PER_TEAM == 0:
        return "ok"  # team leaders are all reachable
    if i % 97 == 5:
        return "no_app"
    return {2: "blocked", 3: "blocked", 4: "refused"}.get(i % PER_TEAM, "ok")


async def big_commune(sessions) -> tuple[Person, list[Someone]]:
    """Ten villages, each with a team of a hundred (a leader and 99 members in four nhóm); even people
    use Telegram, odd ones Zalo (some of those have an older Telegram account too)."""
    async with sessions() as session:
        province = await tree.add_unit(session, UnitKind.PROVINCE, "Thành phố Hà Nội", code="01")
        commune = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Phúc Sơn", province, code="10459")
        author = Person(full_name="Lê Văn Bí", name_key="le van bi", commune_id=commune.id)
        session.add(author)
        await session.flush()
        session.add_all([Membership(person_id=author.id, unit_id=commune.id, role=Role.COMMUNE_SECRETARY),
                         ChatIdentity(person_id=author.id, channel=Channel.TELEGRAM, external_id=AUTHOR_CHAT,
                                      chat_id=AUTHOR_CHAT)])
        people, places = [], []
        for v in range(VILLAGES):
            village = await tree.add_unit(session, UnitKind.VILLAGE, f"Thôn {v + 1:02d}", commune)
            team = await tree.add_unit(session, UnitKind.TEAM, f"Tổ Dân vận thôn {v + 1:02d}", village)
            nhoms = [await tree.add_unit(session, UnitKind.NHOM, f"Nhóm {n + 1}", team) for n in range(4)]
            for k in range(PER_TEAM):
                i = v * PER_TEAM + k
                name = f"Nguyễn Văn Số {i:04d}"
                people.append(Person(full_name=name, name_key=fold(name), commune_id=commune.id))
                places.append((village, team, team if k == 0 else nhoms[k % 4]))
        session.add_all(people)
        await session.flush()
        crowd, extra = [], []
        for i, (made, (village, team, unit)) in enumerate(zip(people, places, strict=True)):
            leader = i % PER_TEAM == 0
            extra.append(Membership(person_id=made.id, unit_id=unit.id,
                                    role=Role.TEAM_LEADER if leader else Role.MEMBER))
            fate = fate_of(i)
            channel = chat = None
            if fate != "no_app":
                channel = Channel.TELEGRAM if i % 2 == 0 else Channel.ZALO
                chat = str(100000 + i) if channel == Channel.TELEGRAM else f"z{i}"
                extra.append(ChatIdentity(person_id=made.id, channel=channel, external_id=chat, chat_id=chat,
                                          last_seen_at=NOW - dt.timedelta(days=1)))
                if i % PER_TEAM == 11:  # an old Telegram account: the Zalo one was used last
                    extra.append(ChatIdentity(person_id=made.id, channel=Channel.TELEGRAM, external_id=f"8{i}",
                                              chat_id=f"8{i}", last_seen_at=NOW - dt.timedelta(days=90)))
            crowd.append(Someone(i, made.id, made.full_name, village.name, team.name, leader, channel, chat, fate))
        session.add_all(extra)
        await session.commit()
    return author, crowd


@pytest.fixture
async def servers() -> AsyncIterator[tuple[FakeTelegram, FakeZaloApi]]:
    async with FakeTelegram() as telegram, FakeZaloApi() as zalo:
        yield telegram, zalo
        assert telegram.violations() == [], [(c.method, c.params) for c in telegram.violations()]


@pytest.fixture
async def deliverers(servers) -> AsyncIterator[dict]:
    """The sender's real deliverers, talking to the fake servers."""
    fake, api = servers
    bot = make_bot(TOKEN, fake.url)
    async with ZaloClient(ZALO_TOKEN, api.base_url) as client:
        yield {Channel.TELEGRAM: TelegramDeliverer(bot), Channel.ZALO: ZaloDeliverer(client)}
    await bot.session.close()


async def by_key(sessions, prefix: str) -> dict[int, OutboxMessage]:
    async with sessions() as s:
        rows = await s.scalars(select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith(prefix)))
        return {row.person_id: row for row in rows}


def telegram_texts(fake: FakeTelegram, chat: str) -> list[str]:
    return [c.params["text"] for c in fake.sent("sendMessage", chat)]


async def test_a_thousand_recipients_on_telegram_and_zalo(sessions, servers, deliverers, db_url):
    fake, api = servers
    author, crowd = await big_commune(sessions)
    people = {p.id: p for p in crowd}
    for p in crowd:
        if p.fate in ("blocked",) and p.channel == Channel.TELEGRAM:
            fake.blocked.add(p.chat)
        elif p.fate == "blocked":
            api.blocked.add(p.chat)
        elif p.fate == "refused":
            fake.fail("sendMessage", 400, "Bad Request: chat not found", chat_id=p.chat, times=100)

    # -- composed in chat, with the count before sending
    chat = Chat(sessions, AUTHOR_CHAT, channel=Channel.TELEGRAM)
    await chat.say("/thongbao")
    await chat.say("Tối thứ Bảy 28/11, mỗi thôn họp dân bàn kế hoạch làm đường liên thôn. Đề nghị các tổ báo "
                   "tới từng hộ.")
    await chat.say("Không kèm ảnh")
    await chat.say("Tất cả các tổ")
    await chat.say("Gửi ngay")
    assert "Số người nhận: 1000\n" in chat.last[-1].text
    await chat.say("Gửi")
    no_app = [p for p in crowd if p.fate == "no_app"]
    assert chat.last[-1].text.startswith(f"✅ Đã gửi thông báo tới {1000 - len(no_app)} người.\n"
                                         f"{len(no_app)} người chưa kết nối")
    async with sessions() as s:
        announcement = await s.scalar(select(Announcement))
        assert await s.scalar(select(func.count()).select_from(AnnouncementReceipt)) == 1000
    key = f"an:{announcement.id}"

    # -- delivered by the real sender, within nobody's limits but the platforms' own
    clock = Clock(NOW)
    # The sender's database as `gandan run` opens it: on SQLite one connection, so its eight
    # deliveries queue for it in order instead of racing for SQLite's write lock.
    sender_engine = create_engine(db_url, **serving_options(db_url))
    outbox = OutboxSender(session_factory(sender_engine), deliverers, worker_id="e2e", rates=UNLIMITED, clock=clock,
                          sleep=clock.sleep, batch=500, concurrency=8)
    await drain_all(outbox, clock, sessions)

    first = await by_key(sessions, f"ann:{announcement.id}:p")
    assert len(first) == 1000 - len(no_app)
    for p in crowd:
        row = first.get(p.id)
        if p.fate == "no_app":
            assert row is None
            continue
        assert (row.channel, row.chat_id) == (p.channel, p.chat)  # the app used last
        expected = {"ok": OutboxStatus.SENT, "blocked": OutboxStatus.SKIPPED, "refused": OutboxStatus.FAILED}
        assert row.status == expected[p.fate], (p, row.status, row.last_error)
        if p.channel == Channel.TELEGRAM:
            sent = fake.sent("sendMessage", p.chat)
            assert len(sent) == (1 if p.delivered else 0)
            if sent:
                assert [b["callback_data"] for b in sent[0].buttons] == [key]
                assert sent[0].params["text"].startswith("📢 THÔNG BÁO — Xã Phúc Sơn\nNgười gửi: Lê Văn Bí")
        else:
            texts = api.sent(p.chat)
            assert len(texts) == (1 if p.delivered else 0)
            if texts:
                assert texts[0].endswith("(hoặc trả lời số 1, hay gõ /danhan).\n\n1. ✅ Đã nhận")
    assert not any(fake.sent("sendMessage", f"8{p.index}") for p in crowd)  # old accounts left alone

    # -- acknowledged: a button pressed on Telegram (one through the real channel), "1" on Zalo
    acked = {p.id for p in crowd if p.delivered and p.index % 3 == 0}
    pressed_twice = next(p for p in crowd if p.id in acked and p.channel == Channel.TELEGRAM and not p.leader)
    via_polling = next(p for p in crowd if p.id in acked and p.channel == Channel.TELEGRAM
                       and p is not pressed_twice and not p.leader)
    for p in crowd:
        if p.id not in acked or p is via_polling:
            continue
        incoming = Incoming(channel=p.channel, chat_id=p.chat, user_id=p.chat, message_id=f"a{p.index}",
                            **({"choice": key} if p.channel == Channel.TELEGRAM else {"text": "1"}))
        for attempt in range(2 if p is pressed_twice else 1):
            async with sessions() as s:
                replies = await handle(s, incoming if not attempt else Incoming(
                    channel=p.channel, chat_id=p.chat, user_id=p.chat, choice=key, message_id="again"),
                    Env(tz=TZ), NOW + dt.timedelta(hours=2, minutes=attempt))
                await s.commit()
            assert replies[0].text == ("✅ Cảm ơn bạn! Đã ghi nhận: bạn đã nhận thông báo." if not attempt else
                                       "Bạn đã xác nhận đã nhận thông báo này ngày 24 tháng 11 năm 2026 lúc 11:00.")
    async with polling(fake, sessions) as channel:
        user = TgUser(fake, channel, int(via_polling.chat), "Số", "Nguyễn Văn")
        answer = await user.press("Đã nhận")
        assert "Đã ghi nhận: bạn đã nhận thông báo." in answer[0].params["text"]
    outsider = Incoming(channel=Channel.TELEGRAM, chat_id=AUTHOR_CHAT, user_id=AUTHOR_CHAT, choice=key)
    async with sessions() as s:
        assert (await handle(s, outsider, Env(tz=TZ), NOW))[0].text == "Thông báo này không gửi cho bạn."
        await s.commit()
        receipts = {r.person_id: r for r in await s.scalars(select(AnnouncementReceipt))}
    assert {pid for pid, r in receipts.items() if r.acknowledged_at is not None} == acked

    # -- the author's report: figures and names as the servers and the engine saw them
    await chat.say("/menu")
    await chat.menu_entry("Thông báo đã gửi")
    await chat.say("1")
    report = await read_to_the_end(chat)
    delivered = sum(1 for p in crowd if p.delivered)
    failed = [p for p in crowd if p.fate in ("blocked", "refused")]
    assert (f"Người nhận: 1000\n✔ Đã đến máy: {delivered} · ⏳ Đang chờ gửi: 0 · "
            f"✖ Không gửi được: {len(failed) + len(no_app)}\n"
            f"✅ Đã xác nhận: {len(acked)} · ⌛ Chưa xác nhận: {1000 - len(acked)}") in report
    silent = [p for p in crowd if p.delivered and p.id not in acked]
    assert f"⌛ Chưa xác nhận ({len(silent)}):" in report
    sections = re.split(r"\n\n|\n(?=[✖⌛] )", report)  # a page may end where a blank line stood
    silent_lines = next(s for s in sections if s.startswith("⌛ Chưa xác nhận")).splitlines()[1:]
    shown = 0
    for v, line in enumerate(silent_lines):
        village = f"Thôn {v + 1:02d}"
        expected = [p.name for p in silent if p.village == village]
        assert line.startswith(f"• {village} ({len(expected)})")
        listed = line.split(": ", 1)[1].removesuffix(", …").split(", ") if ": " in line else []
        assert listed == expected[:len(listed)]
        shown += len(listed)
    assert shown == 150  # the first 150 names; further villages by their count
    refused_section = next(s for s in sections if s.startswith("✖ Không gửi được"))
    assert refused_section.startswith(f"✖ Không gửi được — đã chặn bot hoặc ứng dụng từ chối ({len(failed)}):")
    no_app_section = next(s for s in sections if s.startswith("✖ Chưa kết nối"))
    assert no_app_section.startswith(f"✖ Chưa kết nối Telegram hay Zalo với bot ({len(no_app)}):")
    for p in no_app:  # within the name budget? then named; the counts are always right
        assert p.village in no_app_section
    # the whole report goes out through both apps within their limits (split, never refused)
    assert await deliverers[Channel.TELEGRAM].deliver(AUTHOR_CHAT, payload(report, [("m:main", "🏠")]))
    assert await deliverers[Channel.ZALO].deliver("z-author", payload(report, [("m:main", "🏠")]))
    assert all(len(t) <= 2000 for t in api.sent("z-author")) and len(api.sent("z-author")) >= 2

    # -- a day later, one reminder to the silent who can be reached; twice run, once sent
    day = NOW + dt.timedelta(hours=24)
    reachable_silent = [p for p in crowd if p.id not in acked and p.fate in ("ok", "refused")]
    assert await broadcast_jobs(sessions, now=day, tz=TZ) == len(reachable_silent)
    assert await broadcast_jobs(sessions, now=day + dt.timedelta(minutes=15), tz=TZ) == 0
    clock.at = day
    await drain_all(outbox, clock, sessions)
    reminders = await by_key(sessions, f"ann:{announcement.id}:r:p")
    assert set(reminders) == {p.id for p in reachable_silent}
    for p in crowd:
        got = (telegram_texts(fake, p.chat) if p.channel == Channel.TELEGRAM else api.sent(p.chat)) if p.chat else []
        reminded = [t for t in got if t.startswith("🔔 Nhắc:")]
        assert len(reminded) == (1 if p.delivered and p.id not in acked else 0), (p, got)

    # -- a day after the reminder, one note per team leader naming their silent members
    later = day + dt.timedelta(hours=24)
    assert await broadcast_jobs(sessions, now=later, tz=TZ) == VILLAGES
    assert await broadcast_jobs(sessions, now=later, tz=TZ) == 0
    clock.at = later
    await drain_all(outbox, clock, sessions)
    for leader in (p for p in crowd if p.leader):
        [note] = [t for t in telegram_texts(fake, leader.chat) if t.startswith("📋 Thông báo")]
        members = [p.name for p in crowd if p.team == leader.team and not p.leader and p.id not in acked]
        assert f"{len(members)} người trong tổ đã được nhắc" in note
        assert note.endswith(f"• {leader.team}: {', '.join(members)}")
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(AnnouncementReceipt).where(
            AnnouncementReceipt.reported_at.is_not(None))) == 1000 - len(acked)
    await sender_engine.dispose()

