"""`gandan run` with both tokens: Telegram by long polling and Zalo by webhook on one web server."""

import asyncio
import socket

import httpx

from bot.app import App
from bot.commands.run import serve_channels
from core.settings import Settings
from tests.channels.test_zalo_e2e import update
from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN, FakeTelegram
from tests.fakes.zalo_api import TOKEN as ZALO_TOKEN, FakeZaloApi
from tests.world import build_world

SECRET = "zalo-webhook-secret-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_until(condition, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_both_channels_run_side_by_side(engine, sessions, session):
    await build_world(session)
    port = free_port()
    async with FakeTelegram() as telegram, FakeZaloApi() as zalo:
        settings = Settings(telegram_bot_token=TELEGRAM_TOKEN, telegram_api_base_url=telegram.url,
                            zalo_bot_token=ZALO_TOKEN, zalo_api_base_url=zalo.base_url,
                            zalo_webhook_url="https://bot.example.vn/zalo/webhook", zalo_webhook_secret=SECRET,
                            web_listen=f"127.0.0.1:{port}")
        stop = asyncio.Event()
        run = asyncio.create_task(serve_channels(App(settings, engine, sessions), stop))
        telegram.message(telegram.user(7001), "/menu")
        await telegram.wait_for(lambda f: bool(f.sent("sendMessage", chat_id=7001)))
        await wait_until(lambda: "setWebhook" in zalo.methods())
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            refused = await http.post("/zalo/webhook", json=update("z1", "xin chào"),
                                      headers={"X-Bot-Api-Secret-Token": "wrong-secret"})
            assert refused.status_code == 401
            accepted = await http.post("/zalo/webhook", json={"ok": True, "result": update("z1", "xin chào")},
                                       headers={"X-Bot-Api-Secret-Token": SECRET})
            assert accepted.status_code == 200
            await wait_until(lambda: bool(zalo.sent("z1")))
            health = (await http.get("/healthz")).json()
        stop.set()
        assert await asyncio.wait_for(run, 5) == 0
    assert health == {"database": "ok", "channels": {"telegram": "polling", "zalo": "webhook"}}
    setwebhook = next(c for c in zalo.calls if c.method == "setWebhook")
    assert setwebhook.params == {"url": "https://bot.example.vn/zalo/webhook", "secret_token": SECRET}
    assert "mã mời" in zalo.sent("z1")[0]  # a stranger on Zalo is told how to join, nothing more


async def test_zalo_alone_polls(engine, sessions, session):
    await build_world(session)
    async with FakeZaloApi() as zalo:
        settings = Settings(zalo_bot_token=ZALO_TOKEN, zalo_api_base_url=zalo.base_url, web_listen="127.0.0.1:0")
        stop = asyncio.Event()
        run = asyncio.create_task(serve_channels(App(settings, engine, sessions), stop))
        zalo.push_update(update("z2", "/menu"))
        await wait_until(lambda: bool(zalo.sent("z2")))
        stop.set()
        assert await asyncio.wait_for(run, 5) == 0
    assert zalo.methods()[:2] == ["getMe", "deleteWebhook"] and "getUpdates" in zalo.methods()


async def health(port: int) -> dict:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        return (await http.get("/healthz")).json()


async def test_zalo_unreachable_at_start_is_retried_while_telegram_and_the_outbox_go_on(engine, sessions, session):
    """Nothing listens on Zalo's address at first: the bot keeps running and says so, then Zalo comes up."""
    from models.enums import Channel
    from models.outbox.enqueue import enqueue, payload
    from models.base import utcnow

    await build_world(session)
    web, zalo_port = free_port(), free_port()
    async with FakeTelegram() as telegram:
        settings = Settings(telegram_bot_token=TELEGRAM_TOKEN, telegram_api_base_url=telegram.url,
                            zalo_bot_token=ZALO_TOKEN, zalo_api_base_url=f"http://127.0.0.1:{zalo_port}",
                            web_listen=f"127.0.0.1:{web}")
        stop = asyncio.Event()
        run = asyncio.create_task(serve_channels(App(settings, engine, sessions), stop, first_retry=0.05,
                                                        max_retry=0.2))
        telegram.message(telegram.user(7002), "/menu")
        await telegram.wait_for(lambda f: bool(f.sent("sendMessage", chat_id=7002)))
        async with sessions() as s:  # the outbox runs for the channel that is up
            await enqueue(s, key="up", channel=Channel.TELEGRAM, chat_id="7003", kind="k",
                          body=payload("nhắc việc"), not_before=utcnow())
            await s.commit()
        await telegram.wait_for(lambda f: bool(f.sent("sendMessage", chat_id="7003")))
        down = await health(web)
        assert not run.done()
        async with FakeZaloApi(port=zalo_port) as zalo:  # the platform is back
            await wait_until(lambda: "deleteWebhook" in zalo.methods())
            zalo.push_update(update("z3", "/menu"))
            await wait_until(lambda: bool(zalo.sent("z3")))
            back = await health(web)
            stop.set()
            assert await asyncio.wait_for(run, 5) == 0
    assert down["channels"]["telegram"] == "polling"
    assert down["channels"]["zalo"].startswith("down: getMe failed (")
    assert back == {"database": "ok", "channels": {"telegram": "polling", "zalo": "polling"}}


async def test_telegram_answering_5xx_at_start_is_retried_while_zalo_goes_on(engine, sessions, session):
    await build_world(session)
    web = free_port()
    async with FakeTelegram() as telegram, FakeZaloApi() as zalo:
        telegram.fail("getMe", 502, "Bad Gateway", times=10_000)
        settings = Settings(telegram_bot_token=TELEGRAM_TOKEN, telegram_api_base_url=telegram.url,
                            zalo_bot_token=ZALO_TOKEN, zalo_api_base_url=zalo.base_url,
                            web_listen=f"127.0.0.1:{web}")
        stop = asyncio.Event()
        run = asyncio.create_task(serve_channels(App(settings, engine, sessions), stop, first_retry=0.05,
                                                        max_retry=0.2))
        zalo.push_update(update("z4", "/menu"))
        await wait_until(lambda: bool(zalo.sent("z4")))
        await wait_until(lambda: telegram.count("getMe", 502) > 0)
        down = await health(web)
        while not down["channels"].get("telegram", "").startswith("down"):
            await asyncio.sleep(0.05)
            down = await health(web)
        telegram.failures.clear()  # Telegram answers again
        telegram.message(telegram.user(7004), "/menu")
        await telegram.wait_for(lambda f: bool(f.sent("sendMessage", chat_id=7004)), timeout=10)
        back = await health(web)
        stop.set()
        assert await asyncio.wait_for(run, 5) == 0
    assert down["channels"]["zalo"] == "polling"
    assert down["channels"]["telegram"].startswith("down: getMe failed (")
    assert back == {"database": "ok", "channels": {"telegram": "polling", "zalo": "polling"}}
