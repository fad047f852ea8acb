"""Several senders on one PostgreSQL outbox: each message goes to exactly one, each chat's in order."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.channels.telegram.channel import make_bot
from bot.channels.telegram.deliver import TelegramDeliverer
from bot.outbox.limits import Rate
from bot.outbox.sender import OutboxSender
from core.db import create_engine, session_factory
from models.base import utcnow
from models.enums import Channel, OutboxStatus
from models.outbox import delivery
from models.outbox.enqueue import enqueue, payload
from models.tables import OutboxMessage
from tests.conftest import POSTGRES_URL
from tests.fakes.telegram_api import TOKEN, FakeTelegram

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
FAST = {Channel.TELEGRAM: Rate(overall=5000, per_chat=1000, per_group=1000)}


async def fill(sessions, n: int, chats: int, now: dt.datetime) -> None:
    async with sessions() as session:
        for i in range(n):
            await enqueue(session, key=f"pg{i}", channel=Channel.TELEGRAM, chat_id=str(3000 + i % chats),
                          kind="reminder", body=payload(f"pg{i}"), not_before=now)
        await session.commit()


async def test_a_locked_row_is_skipped_not_waited_for(engine, sessions):
    now = utcnow()
    await fill(sessions, 4, 4, now)
    async with sessions() as holder:
        locked = list(await holder.scalars(
            select(OutboxMessage.id).order_by(OutboxMessage.id).limit(2).with_for_update()))
        async with sessions() as session:
            claimed = await asyncio.wait_for(delivery.claim_batch(
                session, now=now, worker="b", limit=10, lease=dt.timedelta(minutes=5),
                channels=(Channel.TELEGRAM,)), 5)
        await holder.rollback()
    assert {c.id for c in claimed}.isdisjoint(locked) and len(claimed) == 2


async def test_two_senders_deliver_each_message_exactly_once(engine, sessions):
    assert POSTGRES_URL
    total = 400
    await fill(sessions, total, 80, utcnow())
    second_engine = create_engine(POSTGRES_URL)  # another process would have its own pool
    async with FakeTelegram() as fake:
        fake.delays["sendMessage"] = 0.002
        bots = [make_bot(TOKEN, fake.url) for _ in range(2)]
        senders = [OutboxSender(factory, {Channel.TELEGRAM: TelegramDeliverer(bot)}, worker_id=f"sender-{n}",
                                rates=FAST, batch=15, concurrency=8)
                   for n, (factory, bot) in enumerate(zip((sessions, session_factory(second_engine)), bots))]

        async def drain(sender: OutboxSender) -> None:
            idle = 0
            while idle < 3:
                idle = 0 if await sender.drain_once(utcnow()) else idle + 1
                await asyncio.sleep(0)

        try:
            await asyncio.wait_for(asyncio.gather(*(drain(s) for s in senders)), 60)
        finally:
            for bot in bots:
                await bot.session.close()
            await second_engine.dispose()
        delivered = Counter(c.params["text"] for c in fake.sent("sendMessage"))
        in_order = {chat: [c.params["text"] for c in fake.sent("sendMessage", chat)] for chat in range(3000, 3080)}
    assert len(delivered) == total and set(delivered.values()) == {1}
    assert in_order == {chat: [f"pg{i}" for i in range(total) if 3000 + i % 80 == chat] for chat in range(3000, 3080)}
    async with sessions() as session:
        by_sender = dict((await session.execute(
            select(OutboxMessage.claimed_by, func.count()).where(OutboxMessage.status == OutboxStatus.SENT)
            .group_by(OutboxMessage.claimed_by))).all())
    assert set(by_sender) == {"sender-0", "sender-1"} and sum(by_sender.values()) == total
