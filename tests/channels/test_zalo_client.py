"""The Zalo Bot API client against the fake server, and the conversion of updates and replies."""

import logging

import httpx
import pytest

from bot.channels.runtime import RetryAfter, Transient, Unreachable
from bot.channels.zalo.client import ZaloClient, ZaloError
from bot.channels.zalo.convert import (Send, mentioned_name, parse_update, strip_mention, to_incoming, to_sends,
                                      unreadable, unsupported_reply)
from handlers.engine.types import Option, Reply
from models.enums import Channel
from tests.fakes.zalo_api import TOKEN, FakeZaloApi


@pytest.fixture
async def api():
    async with FakeZaloApi() as fake:
        yield fake


@pytest.fixture
async def zalo(api):
    async with ZaloClient(TOKEN, api.base_url) as client:
        yield client


def text_update(text="Xin chào", *, chat_type="PRIVATE", event="message.text.received", **extra):
    message = {"from": {"id": "u1", "display_name": "Ngọc", "is_bot": False},
               "chat": {"id": "g1" if chat_type == "GROUP" else "u1", "chat_type": chat_type},
               "text": text, "message_id": "m1", "date": 1766619597466, **extra}
    return {"event_name": event, "message": message}


async def test_methods_post_json_to_the_token_url(api, zalo):
    me = await zalo.get_me()
    assert (me.id, me.account_name, me.display_name) == ("9001", "bot.GanDan", "GanDan")
    sent = await zalo.send_message("u1", "Chào bạn")
    assert sent.message_id.startswith("sent") and sent.date == 1749632637199
    await zalo.send_photo("u1", "https://example.org/a.jpg", "Ảnh")
    await zalo.send_chat_action("u1")
    assert (await zalo.set_webhook("https://bot.example.org/zalo", "s3cret-token"))["url"] == \
        "https://bot.example.org/zalo"
    await zalo.get_webhook_info()
    await zalo.delete_webhook()
    assert [(c.method, c.params) for c in api.calls] == [
        ("getMe", {}),
        ("sendMessage", {"chat_id": "u1", "text": "Chào bạn"}),
        ("sendPhoto", {"chat_id": "u1", "photo": "https://example.org/a.jpg", "caption": "Ảnh"}),
        ("sendChatAction", {"chat_id": "u1", "action": "typing"}),
        ("setWebhook", {"url": "https://bot.example.org/zalo", "secret_token": "s3cret-token"}),
        ("getWebhookInfo", {}), ("deleteWebhook", {}),
    ]


async def test_get_updates_returns_one_update_or_none_on_the_long_poll_timeout(api, zalo):
    assert await zalo.get_updates(timeout=1) is None  # HTTP 408
    api.timeout_status = 200
    assert await zalo.get_updates(timeout=1) is None  # 408 inside an HTTP 200 envelope
    api.push_update(text_update())
    update = await zalo.get_updates(timeout=1)
    assert update["event_name"] == "message.text.received" and update["message"]["message_id"] == "m1"
    assert api.calls[0].params == {"timeout": "1"}


async def test_errors_map_to_retry_after_transient_unreachable_and_zalo_error(api, zalo):
    api.fail_next("sendMessage", status=429, retry_after=2)
    with pytest.raises(RetryAfter) as error:
        await zalo.send_message("u1", "a")
    assert error.value.seconds == 2
    api.fail_next("sendMessage", status=429)
    with pytest.raises(RetryAfter) as error:
        await zalo.send_message("u1", "a")
    assert error.value.seconds == 5  # no Retry-After: a conservative default
    api.fail_next("sendMessage", status=502)
    with pytest.raises(Transient):
        await zalo.send_message("u1", "a")
    api.blocked.add("u2")
    with pytest.raises(Unreachable):
        await zalo.send_message("u2", "a")
    with pytest.raises(ZaloError) as refused:
        await zalo.call("sendMessage", {"chat_id": "u1", "text": "x" * 2001})
    assert refused.value.code == 400


async def test_long_text_is_refused_before_any_request(api, zalo):
    with pytest.raises(ValueError):
        await zalo.send_message("u1", "x" * 2001)
    with pytest.raises(ValueError):
        await zalo.send_photo("u1", "https://example.org/a.jpg", "x" * 2001)
    assert api.calls == []


async def test_the_token_never_reaches_logs_or_errors(api, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # `gandan` quiets httpx; this test wants its URLs
    async with ZaloClient("wrong-token-0123456789abcdef", api.base_url) as wrong:
        with pytest.raises(ZaloError) as error:
            await wrong.get_me()
    assert error.value.code == 401 and "wrong-token" not in str(error.value)
    async with ZaloClient(TOKEN, "http://127.0.0.1:9") as unreachable:  # nothing listens on port 9
        with pytest.raises(Transient) as down:
            await unreachable.send_message("u1", "a")
        assert TOKEN not in str(down.value) and down.value.__cause__ is None
        assert "ZaloClient(token=***)" == repr(unreachable)
    async with ZaloClient(TOKEN, api.base_url) as zalo:
        await zalo.get_me()
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)  # httpx did log the URL…
    assert not any(t in r.getMessage() for r in caplog.records for t in (TOKEN, "wrong-token"))  # …masked


async def test_a_shared_http_client_is_left_open(api):
    async with httpx.AsyncClient() as http:
        async with ZaloClient(TOKEN, api.base_url, http=http) as zalo:
            await zalo.get_me()
        assert not http.is_closed


def test_both_payload_shapes_parse_to_the_same_update():
    bare = text_update()
    wrapped = {"ok": True, "result": bare}
    assert parse_update(bare) == parse_update(wrapped)
    update = parse_update(bare)
    assert (update.message.user_id, update.message.chat_id, update.message.date) == ("u1", "u1", 1766619597466)
    assert parse_update({"ok": True, "result": {}}) is None and parse_update({"event_name": "x"}) is None


def test_updates_become_incoming_messages():
    text = to_incoming(parse_update(text_update("2")))
    assert (text.channel, text.chat_id, text.user_id, text.text, text.message_id, text.display_name,
            text.is_group) == (Channel.ZALO, "u1", "u1", "2", "m1", "Ngọc", False)
    image = to_incoming(parse_update(text_update(None, event="message.image.received",
                                                 photo_url="https://zalo.example/p.jpg", caption="Ổ gà")))
    assert (image.photo, image.text) == ("https://zalo.example/p.jpg", "Ổ gà")
    sticker = parse_update(text_update(None, event="message.sticker.received", sticker="abc"))
    assert to_incoming(sticker) is None and unreadable(sticker) == unsupported_reply()  # with the question again
    documented = parse_update(text_update(None, event="message.image.received", photo="https://zalo.example/q.jpg"))
    assert to_incoming(documented).photo == "https://zalo.example/q.jpg"
    unread = parse_update(text_update(None, event="message.image.received", caption="Ổ gà"))
    assert to_incoming(unread) is None and "ảnh" in unreadable(unread).text
    assert unreadable(parse_update(text_update(None, event="user.joined"))) is None  # not a message: ignored
    assert to_incoming(parse_update(text_update(None, event="message.unsupported.received"))) is None
    group = to_incoming(parse_update(text_update("@GanDan /ganket", chat_type="GROUP")), ("GanDan",))
    assert (group.chat_id, group.user_id, group.text, group.is_group) == ("g1", "u1", "/ganket", True)


def test_a_leading_mention_of_the_bot_is_stripped():
    assert strip_mention("@Gần Dân /ganket", ("Gần Dân",)) == "/ganket"
    assert strip_mention("@gần dân 2", ("Gần Dân",)) == "2"
    assert strip_mention("@Someone Else /ganket") == "/ganket"
    assert strip_mention("@GanDan 1") == "1"
    assert strip_mention("/ganket") == "/ganket"
    assert strip_mention("@Gần Dân Phúc Sơn 1", ("GanDan", "Gần Dân Phúc Sơn")) == "1"
    assert strip_mention("@GanDan2 1", ("GanDan",)) == "1"  # another account: only its first word goes
    assert mentioned_name("@Gần Dân Phúc Sơn /ganket") == "Gần Dân Phúc Sơn"
    assert mentioned_name("/ganket") is None and mentioned_name("@ /ganket") is None


def test_replies_become_numbered_texts_within_the_limit():
    reply = Reply("Chọn:", (Option("a", "Một"), Option("b", "Hai")))
    assert to_sends(reply) == [Send(text="Chọn:\n\n1. Một\n2. Hai")]
    long = Reply("\n".join(["dòng " + "x" * 95] * 25))  # 2,524 characters
    pieces = to_sends(long)
    assert len(pieces) == 2 and all(len(p.text) <= 2000 for p in pieces)
    assert "\n".join(p.text for p in pieces) == long.text
    photo = to_sends(Reply("y" * 2500, photo="https://example.org/p.jpg"))
    assert photo[0].photo == "https://example.org/p.jpg" and len(photo[0].text) <= 2000
    assert [p.photo for p in photo[1:]] == [None] and "".join(p.text for p in photo) == "y" * 2500
    assert to_sends(Reply("ảnh", photo=b"\x89PNG")) == [Send(text="ảnh")]
