"""The outbox: enqueued once, claimed under a lease, delivered at least once within the platforms'
limits — through crashes, 429 storms, 5xx and blocked chats — and reported by `gandan outbox`."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.channels.telegram.channel import make_bot
from bot.channels.telegram.deliver import TelegramDeliverer
from bot.channels.zalo.client import ZaloClient
from bot.channels.zalo.deliver import ZaloDeliverer
from bot.cli import main
from bot.outbox.limits import RATES, Bucket, Limiter, Rate
from bot.outbox.payload import to_reply
from bot.outbox.sender import LEASE, OutboxSender
from core.db import create_engine, session_factory, upgrade
from handlers.engine import outside_flows
from handlers.engine.conversation import Env, handle
from handlers.engine.types import Incoming, Reply
from models.enums import Channel, OutboxStatus
from models.outbox import delivery
from models.outbox.enqueue import enqueue, enqueue_for_person, outside_quiet_hours, payload
from models.tables import ChatIdentity, ConversationState, OutboxMessage
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.fakes.zalo_api import TOKEN as ZALO_TOKEN, FakeZaloApi
from tests.world import World, build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOON = dt.datetime(2026, 6, 15, 5, 0, tzinfo=dt.UTC)  # 12:00 in Hà Nội
TELEGRAM_CHAT, ZALO_CHAT = "5001", "z-long"


class Clock:
    """Virtual time: `sleep` moves it on at once, so rate limits and retry-afters cost nothing."""

    def __init__(self, start: dt.datetime = NOON) -> None:
        self.at = start
        self.slept = 0.0

    def __call__(self) -> dt.datetime:
        return self.at

    async def sleep(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)
        self.slept += seconds
        await asyncio.sleep(0)

    def advance(self, **delta: float) -> dt.datetime:
        self.at += dt.timedelta(**delta)
        return self.at


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations() == []


@pytest.fixture
async def telegram(fake: FakeTelegram) -> AsyncIterator[TelegramDeliverer]:
    bot = make_bot(TOKEN, fake.url)
    yield TelegramDeliverer(bot)
    await bot.session.close()


@pytest.fixture
async def world(session) -> World:
    made = await build_world(session)
    session.add_all([
        ChatIdentity(person_id=made.member.id, channel=Channel.TELEGRAM, external_id=TELEGRAM_CHAT,
                     chat_id=TELEGRAM_CHAT, last_seen_at=NOON - dt.timedelta(days=1)),
        ChatIdentity(person_id=made.leader.id, channel=Channel.ZALO, external_id=ZALO_CHAT, chat_id=ZALO_CHAT,
                     last_seen_at=NOON - dt.timedelta(days=1)),
    ])
    await session.commit()
    return made


def sender(sessions, deliverers: dict, clock: Clock, **kwargs: Any) -> OutboxSender:
    return OutboxSender(sessions, deliverers, worker_id=kwargs.pop("worker_id", "w1"), clock=clock,
                        sleep=clock.sleep, **kwargs)


async def put(sessions, n: int = 1, *, chat: str = TELEGRAM_CHAT, channel: Channel = Channel.TELEGRAM,
              at: dt.datetime = NOON, options: list[tuple[str, str]] | None = None,
              person_id: int | None = None, prefix: str = "m") -> None:
    async with sessions() as session:
        for i in range(n):
            await enqueue(session, key=f"{prefix}{i}", channel=channel, chat_id=chat, kind="reminder",
                          body=payload(f"{prefix}{i}", options), not_before=at, person_id=person_id)
        await session.commit()


async def rows(sessions) -> list[OutboxMessage]:
    async with sessions() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def texts(fake: FakeTelegram) -> list[str]:
    return [c.params["text"] for c in fake.sent("sendMessage")]


# -- enqueueing ----------------------------------------------------------------------------------


async def test_a_key_is_enqueued_once(sessions, world):
    async with sessions() as session:
        body = payload("Nhắc họp", [("mt:1:y", "Có")])
        first = await enqueue_for_person(session, world.member, key="meeting:1", kind="reminder", body=body,
                                         now=NOON, tz=TZ)
        again = await enqueue_for_person(session, world.member, key="meeting:1", kind="reminder", body=body,
                                         now=NOON, tz=TZ)
        await session.commit()
        assert (first, again) == (True, False)
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        message = await session.scalar(select(OutboxMessage))
    assert (message.channel, message.chat_id, message.status) == (Channel.TELEGRAM, TELEGRAM_CHAT, OutboxStatus.QUEUED)


async def test_quiet_hours_hold_a_message_until_seven(sessions, world, fake, telegram):
    evening = dt.datetime(2026, 6, 15, 22, 30, tzinfo=TZ)
    assert outside_quiet_hours(evening, TZ) == dt.datetime(2026, 6, 16, 7, 0, tzinfo=TZ)
    assert outside_quiet_hours(dt.datetime(2026, 6, 16, 6, 59, tzinfo=TZ), TZ) == dt.datetime(2026, 6, 16, 7, 0,
                                                                                                tzinfo=TZ)
    assert outside_quiet_hours(NOON, TZ) == NOON
    async with sessions() as session:
        await enqueue_for_person(session, world.member, key="late", kind="nudge", body=payload("Nhắc"),
                                 now=evening.astimezone(dt.UTC), tz=TZ)
        await session.commit()
    clock = Clock(evening.astimezone(dt.UTC))
    outbox = sender(sessions, {Channel.TELEGRAM: telegram}, clock)
    assert await outbox.drain_once(clock.advance(hours=8)) == 0  # 06:30
    assert await outbox.drain_once(clock.advance(minutes=30)) == 1  # 07:00
    assert texts(fake) == ["Nhắc"]


# -- claiming ------------------------------------------------------------------------------------


async def test_a_claim_holds_until_its_lease_runs_out(sessions):
    await put(sessions, 2)
    await put(sessions, 1, chat="5151", prefix="other")
    await put(sessions, 1, at=NOON + dt.timedelta(hours=1), prefix="later")
    lease = dt.timedelta(minutes=5)
    async with sessions() as session:
        claimed = await delivery.claim_batch(session, now=NOON, worker="a", limit=2, lease=lease,
                                               channels=(Channel.TELEGRAM,))
        rest = await delivery.claim_batch(session, now=NOON, worker="b", limit=10, lease=lease,
                                            channels=(Channel.TELEGRAM,))
        none = await delivery.claim_batch(session, now=NOON + dt.timedelta(minutes=4), worker="c", limit=10,
                                            lease=lease, channels=(Channel.TELEGRAM,))
        zalo = await delivery.claim_batch(session, now=NOON + dt.timedelta(hours=2), worker="z", limit=10,
                                            lease=lease, channels=(Channel.ZALO,))
        stale = await delivery.claim_batch(session, now=NOON + dt.timedelta(minutes=6), worker="d", limit=10,
                                             lease=lease, channels=(Channel.TELEGRAM,))
    assert [c.payload["text"] for c in claimed] == ["m0", "m1"]
    assert [c.payload["text"] for c in rest] == ["other0"]
    assert none == [] and zalo == []
    assert sorted(c.payload["text"] for c in stale) == ["m0", "m1", "other0"]  # the message due later stays
    assert {c.attempts for c in stale} == {0}  # a claim is not an attempt: nothing was tried
    assert {(r.status, r.claimed_by) for r in await rows(sessions) if r.payload["text"] != "later0"} == {
        (OutboxStatus.SENDING, "d")}


async def test_a_chat_waits_for_its_earlier_message(sessions):
    """A message sent back to the queue (a 429, a retry) keeps the later ones of its chat behind it."""
    await put(sessions, 3)
    await put(sessions, 1, chat="5151", prefix="other")
    lease = dt.timedelta(minutes=3)

    async def claim(at: dt.datetime, limit: int = 10) -> list[str]:
        async with sessions() as session:
            return [c.payload["text"] for c in await delivery.claim_batch(
                session, now=at, worker="w", limit=limit, lease=lease, channels=(Channel.TELEGRAM,))]

    assert await claim(NOON, limit=1) == ["m0"]
    [m0] = [r for r in await rows(sessions) if r.payload["text"] == "m0"]
    async with sessions() as session:
        await delivery.mark_retry(session, m0.id, next_attempt_at=NOON + dt.timedelta(seconds=30), error="429")
    assert await claim(NOON + dt.timedelta(seconds=1)) == ["other0"]  # m1 and m2 wait behind m0
    assert await claim(NOON + dt.timedelta(seconds=31)) == ["m0", "m1", "m2"]


# -- delivery ------------------------------------------------------------------------------------


async def test_a_message_goes_out_with_its_buttons(sessions, world, fake, telegram):
    await put(sessions, 1, options=[("mt:1:y", "Có mặt"), ("mt:1:n", "Vắng")], person_id=world.member.id)
    clock = Clock()
    assert await sender(sessions, {Channel.TELEGRAM: telegram}, clock).drain_once(NOON) == 1
    [call] = fake.sent("sendMessage", TELEGRAM_CHAT)
    assert [b["callback_data"] for b in call.buttons] == ["mt:1:y", "mt:1:n"]
    [row] = await rows(sessions)
    assert (row.status, row.attempts, row.platform_message_id) == (OutboxStatus.SENT, 1, str(call.result["message_id"]))
    assert row.sent_at == NOON


async def test_one_chat_gets_one_message_a_second_and_a_group_one_every_three(sessions, fake, telegram):
    await put(sessions, 3)
    await put(sessions, 3, chat="-100777", prefix="g")
    clock = Clock()
    assert await sender(sessions, {Channel.TELEGRAM: telegram}, clock).drain_once(NOON) == 6
    private = [c.at for c in fake.sent("sendMessage", TELEGRAM_CHAT)]
    assert texts(fake).count("m0") == 1 and len(private) == 3
    assert [c.params["text"] for c in fake.sent("sendMessage", TELEGRAM_CHAT)] == ["m0", "m1", "m2"]  # in order
    assert [c.params["text"] for c in fake.sent("sendMessage", "-100777")] == ["g0", "g1", "g2"]
    assert clock.slept >= 2 * 3.0  # the group's 20 a minute, waited out on the virtual clock


async def test_a_chat_that_must_wait_long_goes_back_to_the_queue(sessions, fake, telegram):
    await put(sessions, 2, chat="-100777")
    clock = Clock()
    slow = {Channel.TELEGRAM: Rate(overall=30, per_chat=1, per_group=1 / 60)}
    assert await sender(sessions, {Channel.TELEGRAM: telegram}, clock, rates=slow).drain_once(NOON) == 2
    first, second = await rows(sessions)
    assert first.status == OutboxStatus.SENT
    assert (second.status, second.attempts, second.claimed_by) == (OutboxStatus.QUEUED, 0, None)
    assert second.next_attempt_at >= NOON + dt.timedelta(seconds=50)


def test_token_buckets():
    now = [0.0]
    limiter = Limiter(RATES[Channel.TELEGRAM], lambda: now[0])
    bucket = Bucket(rate=2.0, burst=1.0, now=0.0)
    bucket.take(0.0)
    assert bucket.wait(0.0) == pytest.approx(0.5) and bucket.wait(0.5) == 0
    assert limiter.chat_wait("42") == 0
    zalo = Limiter(RATES[Channel.ZALO], lambda: now[0])
    zalo.throttled(2)
    zalo.throttled(2)
    assert zalo.current == pytest.approx(1.25) and zalo.chat_wait("z") == pytest.approx(2)
    for step in range(1, 40):
        now[0] = step * 10.0
        zalo.succeeded()
    assert zalo.current == 5.0  # recovered, a tenth every ten quiet seconds, never beyond the start


async def test_the_overall_rate_is_kept():
    clock = Clock()
    limiter = Limiter(RATES[Channel.TELEGRAM], lambda: clock().timestamp())
    for chat in range(93):  # all different chats: only the overall limit binds
        await limiter.acquire(str(chat), clock.sleep)
    assert (clock() - NOON).total_seconds() == pytest.approx(3.0, abs=0.05)  # 3 at once, then 30 a second


# -- crashes -------------------------------------------------------------------------------------


class Crashing:
    """Wraps a deliverer; the process "dies" (the sender task hangs to be cancelled) at one point."""

    def __init__(self, inner: TelegramDeliverer, point: str) -> None:
        self.inner, self.point = inner, point
        self.reached = asyncio.Event()

    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        if self.point == "before send":
            self.reached.set()
            await asyncio.Event().wait()
        message_id = await self.inner.deliver(chat_id, body)
        self.reached.set()
        await asyncio.Event().wait()  # "after send, before mark-sent"
        return message_id


async def crash(sessions, deliverer: Crashing, clock: Clock) -> None:
    task = asyncio.create_task(sender(sessions, {Channel.TELEGRAM: deliverer}, clock).drain_once(NOON))
    await asyncio.wait_for(deliverer.reached.wait(), 5)
    task.cancel()  # killed: nothing in the sender runs any more
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_crash_between_claim_and_send_loses_nothing_and_sends_once(sessions, fake, telegram):
    await put(sessions, 1)
    await crash(sessions, Crashing(telegram, "before send"), Clock())
    assert texts(fake) == [] and (await rows(sessions))[0].status == OutboxStatus.SENDING
    fresh = sender(sessions, {Channel.TELEGRAM: telegram}, Clock(), worker_id="w2")
    assert await fresh.drain_once(NOON + LEASE - dt.timedelta(seconds=1)) == 0  # the claim still holds
    assert await fresh.drain_once(NOON + LEASE + dt.timedelta(seconds=1)) == 1
    assert texts(fake) == ["m0"]
    [row] = await rows(sessions)
    assert (row.status, row.attempts, row.claimed_by) == (OutboxStatus.SENT, 2, "w2")


async def test_a_crash_before_the_claim_leaves_the_message_queued(sessions, fake, telegram):
    async with sessions() as session:  # the job's transaction rolls back: neither change nor message
        await enqueue(session, key="lost", channel=Channel.TELEGRAM, chat_id="1", kind="k", body=payload("x"),
                      not_before=NOON)
        await session.rollback()
    await put(sessions, 1)  # committed with its change: queued until some sender takes it
    assert await sender(sessions, {Channel.TELEGRAM: telegram}, Clock()).drain_once(NOON) == 1
    assert texts(fake) == ["m0"]


async def test_a_crash_between_send_and_mark_sends_again_after_the_lease(sessions, fake, telegram):
    """At-least-once: the platform took the message but we never recorded it, so it goes out again."""
    await put(sessions, 1)
    await crash(sessions, Crashing(telegram, "after send"), Clock())
    assert texts(fake) == ["m0"] and (await rows(sessions))[0].status == OutboxStatus.SENDING
    fresh = sender(sessions, {Channel.TELEGRAM: telegram}, Clock(), worker_id="w2")
    assert await fresh.drain_once(NOON + LEASE - dt.timedelta(seconds=1)) == 0
    assert await fresh.drain_once(NOON + LEASE + dt.timedelta(seconds=1)) == 1
    assert texts(fake) == ["m0", "m0"]  # the one duplicate the design accepts; nothing lost
    assert await fresh.drain_once(NOON + 3 * LEASE) == 0  # and never a third time
    [row] = await rows(sessions)
    assert row.status == OutboxStatus.SENT


async def test_a_message_that_keeps_crashing_the_sender_fails_in_the_end(sessions, fake, telegram):
    await put(sessions, 1)
    for _ in range(6):
        await crash(sessions, Crashing(telegram, "before send"), Clock())
        async with sessions() as session:  # the lease runs out
            row = await session.scalar(select(OutboxMessage))
            row.claimed_at = NOON - 2 * LEASE
            await session.commit()
    assert await sender(sessions, {Channel.TELEGRAM: telegram}, Clock()).drain_once(NOON) == 1
    [row] = await rows(sessions)
    assert row.status == OutboxStatus.FAILED and "6 attempts" in row.last_error
    assert texts(fake) == []



class CrashingOnce:
    """Delivers normally, then "dies" after the platform accepted the `n`-th message (the worst window)."""

    def __init__(self, inner: TelegramDeliverer, n: int) -> None:
        self.inner, self.n = inner, n
        self.reached = asyncio.Event()

    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        message_id = await self.inner.deliver(chat_id, body)
        self.n -= 1
        if self.n <= 0:
            self.reached.set()
            await asyncio.Event().wait()
        return message_id


async def test_repeated_crashes_lose_nothing_and_double_at_most_one_message_each(sessions, fake, telegram):
    """Seven crashes in a row, each mid-batch: a claim costs no attempt, so the rows a crash left
    unsent are never failed for it, and each comes back within minutes, not ten."""
    total, crashes = 40, 7
    for chat in range(20):
        await put(sessions, 2, chat=str(6000 + chat), prefix=f"c{chat}-")
    clock = Clock()
    for n in range(crashes):
        deliverer = CrashingOnce(telegram, 3)
        task = asyncio.create_task(sender(sessions, {Channel.TELEGRAM: deliverer}, clock, concurrency=1,
                                          worker_id=f"w{n}").drain_once(clock()))
        await asyncio.wait_for(deliverer.reached.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        clock.advance(minutes=3, seconds=1)  # the dead sender's claims have run out
    before = clock()
    await drain_all(sender(sessions, {Channel.TELEGRAM: telegram}, clock, worker_id="last"), clock, sessions)
    delivered = Counter(texts(fake))
    assert len(delivered) == total  # nothing lost
    assert sum(delivered.values()) - total <= crashes  # at most one duplicate per crash
    assert {r.status for r in await rows(sessions)} == {OutboxStatus.SENT}
    # Only deliveries really tried count: a row's attempts are the times the platform was called for it.
    assert {r.payload["text"]: r.attempts for r in await rows(sessions)} == dict(delivered)
    assert clock() - before < dt.timedelta(minutes=1)


class Stopping:
    """Asks the sender to stop cleanly once the first message has gone out."""

    def __init__(self, inner: TelegramDeliverer, stop: asyncio.Event) -> None:
        self.inner, self.stop = inner, stop

    async def deliver(self, chat_id: str, body: dict[str, Any]) -> str | None:
        message_id = await self.inner.deliver(chat_id, body)
        self.stop.set()
        return message_id


async def test_a_clean_stop_releases_the_claimed_rows_at_once(sessions, fake, telegram):
    await put(sessions, 5)
    clock, stop = Clock(), asyncio.Event()
    outbox = sender(sessions, {Channel.TELEGRAM: Stopping(telegram, stop)}, clock, idle=0.01)
    await asyncio.wait_for(outbox.run(stop), 5)
    assert texts(fake) == ["m0"]
    left = (await rows(sessions))[1:]
    assert {(r.status, r.claimed_by, r.attempts) for r in left} == {(OutboxStatus.QUEUED, None, 0)}
    assert all(r.next_attempt_at.replace(tzinfo=dt.UTC) <= clock() for r in left)
    fresh = sender(sessions, {Channel.TELEGRAM: telegram}, clock, worker_id="w2")
    await drain_all(fresh, clock, sessions)  # the next sender takes them without waiting for a lease
    assert texts(fake) == ["m0", "m1", "m2", "m3", "m4"]


# -- platform errors -----------------------------------------------------------------------------


async def drain_all(outbox: OutboxSender, clock: Clock, sessions, rounds: int = 200) -> None:
    for _ in range(rounds):
        if not await outbox.drain_once(clock()):
            async with sessions() as session:
                left = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status.in_((OutboxStatus.QUEUED, OutboxStatus.SENDING))))
            if not left:
                return
            clock.advance(seconds=1)
    raise AssertionError("the outbox did not drain")


async def test_a_429_storm_is_ridden_out(sessions, fake, telegram):
    async with sessions() as session:
        for i in range(60):
            await enqueue(session, key=f"s{i}", channel=Channel.TELEGRAM, chat_id=str(2000 + i % 20), kind="k",
                          body=payload(f"s{i}"), not_before=NOON)
        await session.commit()
    fake.storm(every=2, retry_after=3)  # every other call refused
    clock = Clock()
    outbox = sender(sessions, {Channel.TELEGRAM: telegram}, clock, batch=20)
    await drain_all(outbox, clock, sessions)
    assert fake.count("sendMessage", 429) >= 30
    assert sorted(texts(fake)) == sorted(f"s{i}" for i in range(60))  # each exactly once
    for chat in range(2000, 2020):  # and in order per chat
        assert [c.params["text"] for c in fake.sent("sendMessage", chat)] == [
            f"s{i}" for i in range(60) if 2000 + i % 20 == chat]
    assert {(r.status, r.attempts) for r in await rows(sessions)} == {(OutboxStatus.SENT, 1)}


async def test_zalo_429_halves_the_rate(sessions, world):
    async with FakeZaloApi() as api, ZaloClient(ZALO_TOKEN, api.base_url) as client:
        await put(sessions, 1, chat=ZALO_CHAT, channel=Channel.ZALO)
        api.fail_next("sendMessage", 2, 429, retry_after=2)
        clock = Clock()
        outbox = sender(sessions, {Channel.ZALO: ZaloDeliverer(client)}, clock)
        await drain_all(outbox, clock, sessions)
        assert api.sent(ZALO_CHAT) == ["m0"]
    assert outbox.limiters[Channel.ZALO].current == pytest.approx(1.25)


async def test_server_errors_back_off_exponentially(sessions, fake, telegram):
    await put(sessions, 1)
    fake.fail("sendMessage", 502, "Bad Gateway", times=2)
    outbox = sender(sessions, {Channel.TELEGRAM: telegram}, Clock())
    await outbox.drain_once(NOON)
    [row] = await rows(sessions)
    first = row.next_attempt_at - NOON
    assert row.status == OutboxStatus.QUEUED and "Bad Gateway" in row.last_error
    assert dt.timedelta(seconds=8) <= first <= dt.timedelta(seconds=12)
    assert await outbox.drain_once(NOON + first - dt.timedelta(seconds=1)) == 0
    await outbox.drain_once(NOON + first)
    [row] = await rows(sessions)
    second = row.next_attempt_at - (NOON + first)
    assert dt.timedelta(seconds=16) <= second <= dt.timedelta(seconds=26)  # 20 s ± 20 %, plus the run time
    await outbox.drain_once(row.next_attempt_at)
    [row] = await rows(sessions)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, None)


async def test_a_chat_keeps_its_order_when_a_message_is_retried(sessions, fake, telegram):
    await put(sessions, 3)
    await put(sessions, 1, chat="77", prefix="other")
    fake.fail("sendMessage", 502, "Bad Gateway", chat_id=TELEGRAM_CHAT)
    clock = Clock()
    await drain_all(sender(sessions, {Channel.TELEGRAM: telegram}, clock), clock, sessions)
    assert texts(fake) == ["other0", "m0", "m1", "m2"]  # the other chat did not wait
    assert [r.attempts for r in await rows(sessions)] == [2, 1, 1, 1]


async def test_a_final_failure_is_recorded_with_its_reason(sessions, fake, telegram):
    await put(sessions, 1)
    await put(sessions, 1, chat="404", prefix="bad")
    fake.fail("sendMessage", 500, "Internal Server Error", chat_id=TELEGRAM_CHAT, times=100)
    fake.fail("sendMessage", 400, "Bad Request: chat not found", chat_id="404")
    clock = Clock()
    await drain_all(sender(sessions, {Channel.TELEGRAM: telegram}, clock), clock, sessions, rounds=2000)
    server, bad = await rows(sessions)
    assert (server.status, server.attempts) == (OutboxStatus.FAILED, 6)
    assert "Internal Server Error" in server.last_error and "after 6 attempts" in server.last_error
    assert (bad.status, bad.attempts) == (OutboxStatus.FAILED, 1) and "chat not found" in bad.last_error
    assert fake.count("sendMessage", 500) == 6


async def test_a_blocked_chat_is_skipped_and_its_person_marked(sessions, world, fake, telegram):
    fake.blocked.add(TELEGRAM_CHAT)
    await put(sessions, 1, person_id=world.member.id)
    await sender(sessions, {Channel.TELEGRAM: telegram}, Clock()).drain_once(NOON)
    [row] = await rows(sessions)
    assert row.status == OutboxStatus.SKIPPED and "blocked" in row.last_error
    async with sessions() as session:
        identity = await session.scalar(select(ChatIdentity).where(ChatIdentity.chat_id == TELEGRAM_CHAT))
        assert identity.unreachable_at == NOON and "blocked" in identity.unreachable_reason
        # the next reminder goes nowhere rather than to the blocked chat
        assert not await enqueue_for_person(session, world.member, key="next", kind="k", body=payload("x"),
                                            now=NOON, tz=TZ)


# -- options answered by number on Zalo ----------------------------------------------------------


async def test_a_zalo_reminder_is_answered_with_its_number(sessions, world, monkeypatch):
    picked: list[str] = []

    async def answer(ctx, key: str) -> list[Reply]:
        picked.append(key)
        return [Reply("Đã ghi nhận.")]

    monkeypatch.setitem(outside_flows.ACTIONS, "zz", answer)
    async with FakeZaloApi() as api, ZaloClient(ZALO_TOKEN, api.base_url) as client:
        async with sessions() as session:
            await enqueue_for_person(session, world.leader, key="meeting:7", kind="reminder",
                                     body=payload("Họp giao ban 14:00 mai. Anh chị có dự không?",
                                                  [("zz:7:y", "Có dự"), ("zz:7:n", "Vắng")]), now=NOON, tz=TZ)
            await session.commit()
        await sender(sessions, {Channel.ZALO: ZaloDeliverer(client)}, Clock()).drain_once(NOON)
        assert api.sent(ZALO_CHAT) == ["Họp giao ban 14:00 mai. Anh chị có dự không?\n\n1. Có dự\n2. Vắng"]
    async with sessions() as session:
        state = await session.scalar(select(ConversationState).where(ConversationState.chat_id == ZALO_CHAT))
        assert state.data["_offered"] == [["zz:7:y", "Có dự"], ["zz:7:n", "Vắng"]]
        await handle(session, Incoming(channel=Channel.ZALO, chat_id=ZALO_CHAT, user_id=ZALO_CHAT, text="2",
                                       message_id="r1"), Env(tz=TZ), NOON + dt.timedelta(minutes=5))
    assert picked == ["zz:7:n"]


async def test_a_chat_in_the_middle_of_a_flow_keeps_its_choices(sessions, world):
    async with sessions() as session:
        session.add(ConversationState(channel=Channel.ZALO, chat_id=ZALO_CHAT, flow="visit", step="household",
                                      data={"_offered": [["h:1", "Nhà 1"]]}, updated_at=NOON,
                                      expires_at=NOON + dt.timedelta(hours=1)))
        await delivery.remember_offered(session, Channel.ZALO, ZALO_CHAT, [["zz:1", "Có"]], NOON)
        await session.commit()
        state = await session.scalar(select(ConversationState))
        assert state.data["_offered"] == [["h:1", "Nhà 1"]]
        await delivery.remember_offered(session, Channel.ZALO, ZALO_CHAT, [["zz:1", "Có"]],
                                          NOON + dt.timedelta(hours=2))  # the flow has expired
        await session.commit()
        await session.refresh(state)
        assert (state.flow, state.data) == (None, {"_offered": [["zz:1", "Có"]]})


# -- the loop and the report ---------------------------------------------------------------------


async def test_run_delivers_until_stopped(sessions, fake, telegram):
    outbox = OutboxSender(sessions, {Channel.TELEGRAM: telegram}, worker_id="w", idle=0.02)
    stop = asyncio.Event()
    task = asyncio.create_task(outbox.run(stop))
    async with sessions() as session:
        await enqueue(session, key="now", channel=Channel.TELEGRAM, chat_id="9", kind="k", body=payload("xin chào"),
                      not_before=dt.datetime.now(dt.UTC))
        await session.commit()
    await fake.wait_for(lambda f: bool(f.sent("sendMessage", "9")))
    stop.set()
    await asyncio.wait_for(task, 5)


def test_gandan_outbox_shows_counts_and_latest_failures(tmp_path, monkeypatch, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'o.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "vi")
    monkeypatch.chdir(tmp_path)

    async def seed() -> None:
        engine = create_engine(url)
        await upgrade(engine)
        sessions = session_factory(engine)
        await put(sessions, 4, chat="123456789")
        async with sessions() as session:
            claims = await delivery.claim_batch(session, now=NOON, worker="w", limit=3, lease=LEASE,
                                                  channels=(Channel.TELEGRAM,))
            claims = [await delivery.begin(session, claim, now=NOON, worker="w") for claim in claims]
            await delivery.mark_sent(session, claims[0], now=NOON, platform_message_id="1")
            await delivery.mark_failed(session, claims[1].id, now=NOON, reason="Internal Server Error "
                                         "(after 6 attempts)")
            await delivery.mark_skipped(session, claims[2], now=NOON + dt.timedelta(minutes=1),
                                          reason="unreachable: Forbidden: bot was blocked by the user")
        await engine.dispose()

    asyncio.run(seed())
    assert main(["outbox"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Hàng đợi gửi đi: 1 đang chờ, 0 đang gửi, 1 đã gửi, 1 lỗi, 1 bỏ qua (không liên lạc được)."
    assert out[1] == "Các lỗi gần nhất:"
    assert out[2].startswith("15/06/2026 12:01  bỏ qua  reminder  telegram ***789  1 lần thử  unreachable")
    assert out[3].startswith("15/06/2026 12:00  lỗi  reminder  telegram ***789  1 lần thử  Internal")
    assert "123456789" not in "\n".join(out)


def test_payload_round_trips_through_json():
    body = json.loads(json.dumps(payload("x", [("a", "A")], photo="AgAC", columns=2)))
    reply = to_reply(body)
    assert (reply.text, [o.key for o in reply.options], reply.photo, reply.columns) == ("x", ["a"], "AgAC", 2)


async def test_gandan_run_starts_the_sender(engine, sessions, fake):
    from bot.app import App
    from bot.commands.run import serve_channels
    from core.settings import Settings
    from tests.channels.test_run_channels import free_port

    async with sessions() as session:
        await enqueue(session, key="run", channel=Channel.TELEGRAM, chat_id="31", kind="k", body=payload("từ hàng đợi"),
                      not_before=dt.datetime.now(dt.UTC))
        await session.commit()
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=fake.url, web_listen=f"127.0.0.1:{free_port()}")
    stop = asyncio.Event()
    run = asyncio.create_task(serve_channels(App(settings, engine, sessions), stop))
    await fake.wait_for(lambda f: bool(f.sent("sendMessage", "31")))
    stop.set()
    assert await asyncio.wait_for(run, 5) == 0
    assert (await rows(sessions))[0].status == OutboxStatus.SENT
