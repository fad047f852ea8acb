"""Outbox delivery rate against a local fake Bot API: `python -m bench.outbox_bench --rate 1000`.

Enqueues `--messages` reminders to `--chats` private chats (round robin, all due now), then runs
the real `OutboxSender` with the real Telegram deliverer (aiogram) until the fake server has
received every one, and reports messages a second and that rate as a fraction of the configured
overall limit (`--rate`; Telegram's real one is 30 a second, at which 10,000 take 333 s). It
also checks that every message arrived exactly once and every row is marked sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import func, insert, select

from bench.fake_api import start_loopback
from bot.channels.telegram.channel import make_bot
from bot.channels.telegram.deliver import TelegramDeliverer
from bot.outbox.limits import TELEGRAM, Rate
from bot.outbox.sender import OutboxSender
from core.db import create_engine, session_factory, upgrade
from models.base import utcnow
from models.enums import Channel, OutboxStatus
from models.outbox.enqueue import payload
from models.tables import OutboxMessage

TOKEN = "7000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


class LeanBotAPI:
    """Answers sendMessage at once with a minimal Message and counts what arrived; validates nothing."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.first: float | None = None
        self.last = 0.0
        self.message_id = 0
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> LeanBotAPI:
        self._runner, self.url = await start_loopback(self._handle)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        form = await request.post()
        now = time.perf_counter()
        self.first = self.first or now
        self.last = now
        text, chat = str(form.get("text", "")), int(str(form.get("chat_id", "0")))
        self.received[text] += 1
        self.message_id += 1
        result = {"message_id": self.message_id, "date": int(time.time()), "text": text,
                  "chat": {"id": chat, "type": "private"}}
        return web.json_response({"ok": True, "result": result})


async def fill(sessions: Any, messages: int, chats: int) -> None:
    now = utcnow()
    rows = [dict(idempotency_key=f"bench:{i}", channel=Channel.TELEGRAM, chat_id=str(100_000 + i % chats),
                 kind="bench", payload=payload(f"m{i}"), status=OutboxStatus.QUEUED, attempts=0,
                 next_attempt_at=now, created_at=now) for i in range(messages)]
    async with sessions() as session:
        for start in range(0, messages, 1000):
            await session.execute(insert(OutboxMessage), rows[start:start + 1000])
        await session.commit()


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        engine = create_engine(url)
        await upgrade(engine)
        sessions = session_factory(engine)
        async with sessions() as session:
            await session.execute(OutboxMessage.__table__.delete())
            await session.commit()
        await fill(sessions, args.messages, args.chats)
        rate = Rate(overall=args.rate, per_chat=TELEGRAM.per_chat, per_group=TELEGRAM.per_group)
        async with LeanBotAPI() as api:
            bot = make_bot(TOKEN, api.url)
            sender = OutboxSender(sessions, {Channel.TELEGRAM: TelegramDeliverer(bot)}, worker_id="bench",
                                  rates={Channel.TELEGRAM: rate}, batch=args.batch, concurrency=args.concurrency,
                                  idle=0.01)
            stop = asyncio.Event()
            started = time.perf_counter()
            task = asyncio.create_task(sender.run(stop))
            while sum(api.received.values()) < args.messages and time.perf_counter() - started < args.timeout:
                await asyncio.sleep(0.05)
            delivered_at = api.last
            stop.set()
            await task
            await bot.session.close()
        async with sessions() as session:
            sent = await session.scalar(select(func.count()).select_from(OutboxMessage)
                                        .where(OutboxMessage.status == OutboxStatus.SENT))
        await engine.dispose()
    seconds = delivered_at - started
    per_second = sum(api.received.values()) / seconds
    return {"database": url.split(":", 1)[0], "messages": args.messages, "chats": args.chats,
            "configured_rate": args.rate, "seconds": round(seconds, 2), "messages_per_second": round(per_second, 1),
            "fraction_of_limit": round(per_second / args.rate, 3),
            "received_once": sum(1 for n in api.received.values() if n == 1),
            "duplicates": sum(n - 1 for n in api.received.values() if n > 1), "marked_sent": sent}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=2_000)
    parser.add_argument("--rate", type=float, default=TELEGRAM.overall, help="overall limit, messages a second")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    parser.add_argument("--timeout", type=float, default=170.0)
    result = asyncio.run(bench(parser.parse_args()))
    print(json.dumps(result))
    print(f"{result['messages']} messages in {result['seconds']} s: {result['messages_per_second']}/s = "
          f"{result['fraction_of_limit']:.1%} of the configured {result['configured_rate']:g}/s "
          f"({result['duplicates']} duplicates, {result['marked_sent']} marked sent)")


if __name__ == "__main__":
    main()
