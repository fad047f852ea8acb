"""The web server: Telegram's webhook (secret checked in constant time, answered at once, the
update handled in the background) and /healthz; and `gandan run` in webhook mode."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App
from bot.channels.telegram.channel import TelegramChannel, make_bot
from bot.commands.run import serve_channels
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.web import (TELEGRAM_PATH, TELEGRAM_SECRET_HEADER, ZALO_PATH, ZALO_SECRET_HEADER, Webhook, build_app,
                     secret_matches, serve)
from core.settings import Settings
from handlers.engine.gateway import Gateway
from models.enums import Channel
from models.tables import ChatIdentity
from tests.channels.test_telegram_e2e import ENV, FAST, MEMBER_ID
from tests.fakes.telegram_api import BOT_USERNAME, TOKEN, FakeTelegram
from tests.fakes.zalo_api import TOKEN as ZALO_TOKEN
from tests.fakes.zalo_api import FakeZaloApi
from tests.world import build_world

SECRET = "s3cret_Webhook-token_0123456789"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations() == []


@pytest.fixture
async def member(session) -> dict:
    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.member.id, channel=Channel.TELEGRAM, external_id=str(MEMBER_ID),
                             chat_id=str(MEMBER_ID)))
    await session.commit()
    return FakeTelegram().user(MEMBER_ID)


@asynccontextmanager
async def webhook_server(fake: FakeTelegram, engine, sessions) -> AsyncIterator[tuple[str, TelegramChannel]]:
    channel = TelegramChannel(make_bot(TOKEN, fake.url), Gateway(sessions, ENV), BOT_USERNAME, policy=FAST)
    app = build_app(engine, {"telegram": "webhook"},
                    [Webhook(TELEGRAM_PATH, TELEGRAM_SECRET_HEADER, SECRET, channel.accept)])
    try:
        async with serve(app, "127.0.0.1", 0) as (host, port):
            yield f"http://{host}:{port}", channel
    finally:
        await channel.close()


async def post(url: str, payload: object, secret: str | None) -> tuple[int, float]:
    headers = {TELEGRAM_SECRET_HEADER: secret} if secret is not None else {}
    started = time.monotonic()
    async with aiohttp.ClientSession() as client:
        async with client.post(url + TELEGRAM_PATH, json=payload, headers=headers) as response:
            await response.read()
            return response.status, time.monotonic() - started


def test_secret_comparison():
    assert secret_matches(SECRET, SECRET)
    assert not secret_matches(None, SECRET) and not secret_matches("", SECRET)
    assert not secret_matches(SECRET[:-1], SECRET) and not secret_matches(SECRET + "x", SECRET)
    assert not secret_matches("bí mật", SECRET)


async def test_a_wrong_or_missing_secret_gets_401_and_is_logged_without_the_secret(fake, engine, sessions, member,
                                                                                caplog):
    caplog.set_level(logging.INFO)
    update = {"update_id": 1, **fake.message_update(member, "/menu")}
    async with webhook_server(fake, engine, sessions) as (url, channel):
        for secret in (None, "", "wrong-secret-value", SECRET[:-1], SECRET.upper()):
            assert (await post(url, update, secret))[0] == 401
        await asyncio.sleep(0.1)
        assert not channel.runtime.tasks
    assert fake.sent("sendMessage") == []
    bad = [r for r in caplog.records if r.getMessage() == "webhook: bad secret from 127.0.0.1"]
    assert len(bad) == 5
    assert SECRET not in caplog.text and "wrong-secret-value" not in caplog.text and SECRET.upper() not in caplog.text


async def test_a_good_update_is_answered_at_once_and_handled_in_the_background(fake, engine, sessions, member):
    fake.delays["sendMessage"] = 3.0  # a slow Bot API must not hold the webhook's answer
    async with webhook_server(fake, engine, sessions) as (url, channel):
        status, took = await post(url, {"update_id": 1, **fake.message_update(member, "/menu")}, SECRET)
        # answered before the reply went out, with room for a loaded machine
        assert status == 200 and took < 2.5
        assert fake.sent("sendMessage") == []
        await fake.wait_for(lambda f: bool(f.sent("sendMessage", chat_id=MEMBER_ID)))
    assert "Chọn việc cần làm:" in fake.sent("sendMessage")[0].params["text"]


async def test_a_malformed_update_is_refused(fake, engine, sessions, member):
    async with webhook_server(fake, engine, sessions) as (url, _):
        assert (await post(url, ["not", "an", "update"], SECRET))[0] == 400
        assert (await post(url, {"update_id": "x", "message": 3}, SECRET))[0] == 400


async def test_health_reports_the_database_and_the_channels(fake, engine, sessions, tmp_path):
    async with webhook_server(fake, engine, sessions) as (url, _):
        async with aiohttp.ClientSession() as client, client.get(url + "/healthz") as response:
            assert response.status == 200
            assert await response.json() == {"database": "ok", "channels": {"telegram": "webhook"}}
    broken = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/missing/dir/gandan.db")
    try:
        async with serve(build_app(broken, {"telegram": "polling"}), "127.0.0.1", 0) as (host, port):
            async with aiohttp.ClientSession() as client, client.get(f"http://{host}:{port}/healthz") as response:
                assert response.status == 503
                assert await response.json() == {"database": "error", "channels": {"telegram": "polling"}}
    finally:
        await broken.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_gandan_run_sets_the_webhook_and_serves_it(fake, engine, sessions, member):
    port = free_port()
    settings = Settings(telegram_bot_token=TOKEN, telegram_api_base_url=fake.url, web_listen=f"127.0.0.1:{port}",
                        telegram_webhook_url="https://bot.example.vn/telegram/webhook",
                        telegram_webhook_secret=SECRET)
    stop = asyncio.Event()
    run = asyncio.create_task(serve_channels(App(settings, engine, sessions), stop))
    try:
        await fake.wait_for(lambda f: bool(f.webhook))
        assert fake.webhook["url"] == "https://bot.example.vn/telegram/webhook"
        assert fake.webhook["secret_token"] == SECRET
        assert fake.webhook["allowed_updates"] == ["message", "callback_query"]
        url = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as client, client.get(url + "/healthz") as response:
            assert await response.json() == {"database": "ok", "channels": {"telegram": "webhook"}}
        assert (await post(url, {"update_id": 9, **fake.message_update(member, "/menu")}, SECRET))[0] == 200
        await fake.wait_for(lambda f: bool(f.sent("sendMessage", chat_id=MEMBER_ID)))
        assert not fake.sent("getUpdates")
    finally:
        stop.set()
        assert await asyncio.wait_for(run, 5) == 0


DEEP = (b"[" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000, b'{"message": ' + b"[" * 50_000 + b"]" * 50_000
        + b"}", b"\xff\xfe{}", b'{"update_id": 1, "message": {"text": "\xc3"}}')


async def post_raw(url: str, body: bytes, header: str, secret: str) -> int:
    async with aiohttp.ClientSession() as client:
        async with client.post(url, data=body, headers={header: secret, "Content-Type": "application/json"}) as response:
            await response.read()
            return response.status


async def test_deeply_nested_or_undecodable_json_with_the_right_secret_gets_400(fake, engine, sessions, member,
                                                                                caplog):
    """json.loads raises RecursionError on deep nesting (not a ValueError): it is a bad body, not a 500."""
    async with FakeZaloApi() as api, ZaloClient(ZALO_TOKEN, api.base_url) as client:
        zalo = ZaloChannel(client, Gateway(sessions, ENV), webhook_secret=SECRET)
        try:
            async with webhook_server(fake, engine, sessions) as (url, channel):
                app = build_app(engine, {"zalo": "webhook"}, [Webhook(ZALO_PATH, ZALO_SECRET_HEADER, SECRET, zalo.accept)])
                app.router.add_post("/zalo/own", zalo.webhook_handler)  # the channel's own handler, used alone
                async with serve(app, "127.0.0.1", 0) as (host, port):
                    for body in DEEP:
                        assert await post_raw(url + TELEGRAM_PATH, body, TELEGRAM_SECRET_HEADER, SECRET) == 400
                        for path in (ZALO_PATH, "/zalo/own"):
                            assert await post_raw(f"http://{host}:{port}{path}", body, ZALO_SECRET_HEADER,
                                                  SECRET) == 400, path
                    await asyncio.sleep(0.1)
                    assert not channel.runtime.tasks and not zalo.runtime.tasks
                    assert (await post(url, {"update_id": 1, **fake.message_update(member, "/menu")}, SECRET))[0] == 200
        finally:
            await zalo.close()
    assert "Traceback" not in caplog.text and "Error handling request" not in caplog.text
