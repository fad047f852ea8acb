"""Charts, spreadsheets and photos through the outbox, end to end: the real sender and aiogram
against the fake Telegram server, the Zalo client against the fake Zalo server fetching our files
by link from our own web server, a Telegram photo crossing to Zalo, and expired files."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram import Bot
from sqlalchemy import func, select

from bot.app import App
from bot.channels.telegram.channel import make_bot
from bot.channels.telegram.deliver import TelegramDeliverer, telegram_download
from bot.channels.zalo.client import ZaloClient
from bot.channels.zalo.deliver import ZaloDeliverer
from bot.commands.run import serve_channels
from bot.outbox.files import Files
from bot.web import build_app, serve
from core.settings import Settings, SettingsError, load_settings
from models.base import utcnow
from models.enums import Channel, OutboxStatus
from models.outbox import attachments
from models.outbox.enqueue import enqueue, payload
from models.tables import Attachment, OutboxMessage
from reports.charts import bar_chart
from reports.spreadsheet import workbook
from reports.tables import Table
from scheduler.housekeeping import housekeeping
from tests.channels.test_run_channels import free_port, wait_until
from tests.fakes.telegram_api import TOKEN, FakeTelegram, Upload
from tests.fakes.zalo_api import TOKEN as ZALO_TOKEN, FakeZaloApi
from tests.outbox.test_outbox import NOON, TZ, Clock, sender

CHAT, ZALO_CHAT = "5001", "z-hang"
TEXT = "📊 Tổng hợp tháng 6/2026 — Xã Phúc Sơn: 42 lượt thăm hộ, 7 ý kiến mới."
SHEET_NAME = "Tổng hợp 2026-06.xlsx"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
PHOTO_ID = "AgAC-photo-user-1"


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server
        assert server.violations() == []


@pytest.fixture
async def bot(telegram_api: FakeTelegram) -> AsyncIterator[Bot]:
    made = make_bot(TOKEN, telegram_api.url)
    yield made
    await made.session.close()


@pytest.fixture
async def zalo_api() -> AsyncIterator[FakeZaloApi]:
    async with FakeZaloApi() as server:
        yield server


@pytest.fixture
async def zalo(zalo_api: FakeZaloApi) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(ZALO_TOKEN, zalo_api.base_url) as client:
        yield client


@pytest.fixture
def chart() -> bytes:
    return bar_chart("Thăm hộ và ý kiến theo thôn", ["Thôn Đồng Tâm", "Thôn Phúc Lâm"],
                     {"Lượt thăm hộ": [30, 12], "Ý kiến": [5, 2]})


@pytest.fixture
def sheet() -> bytes:
    return workbook([Table("Tháng 6/2026", ("Thôn", "Lượt thăm hộ"), (("Thôn Đồng Tâm", 30), ("Thôn Phúc Lâm", 12)))])


@pytest.fixture
async def web(engine, sessions) -> AsyncIterator[tuple[Files, httpx.AsyncClient]]:
    """Our web server on a free port, its address as PUBLIC_URL, and a client to fetch links with."""
    files = Files(sessions, clock=Clock())
    async with serve(build_app(engine, {}, (), files), "127.0.0.1", 0) as (host, port):
        files.public_url = f"http://{host}:{port}"
        async with httpx.AsyncClient() as http:
            yield files, http


async def store(sessions, data: bytes, filename: str, mime: str, *, keep: dt.timedelta = attachments.KEEP) -> int:
    async with sessions() as session:
        attachment = await attachments.store(session, data, filename=filename, mime=mime, now=NOON, keep=keep)
        await session.commit()
        return attachment.id


async def queue(sessions, channel: Channel, chat_id: str, body: dict, key: str = "digest") -> None:
    async with sessions() as session:
        await enqueue(session, key=key, channel=channel, chat_id=chat_id, kind="digest", body=body, not_before=NOON)
        await session.commit()


async def statuses(sessions) -> list[OutboxStatus]:
    async with sessions() as session:
        return list(await session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


# -- Telegram: uploaded ----------------------------------------------------------------------------


async def test_telegram_gets_the_chart_with_its_caption_then_the_spreadsheet(sessions, telegram_api, bot, chart,
                                                                             sheet):
    photo = await store(sessions, chart, "bieu-do.png", "image/png")
    document = await store(sessions, sheet, SHEET_NAME, attachments_mime())
    await queue(sessions, Channel.TELEGRAM, CHAT, payload(TEXT, photo_attachment=photo, document_attachment=document))
    files = Files(sessions, clock=Clock())
    assert await sender(sessions, {Channel.TELEGRAM: TelegramDeliverer(bot, files)}, Clock()).drain_once(NOON) == 1
    assert [c.method for c in telegram_api.sent(chat_id=CHAT)] == ["sendPhoto", "sendDocument"]
    [sent_photo] = telegram_api.sent("sendPhoto")
    assert sent_photo.params["caption"] == TEXT
    assert sent_photo.params["photo"] == Upload("bieu-do.png", "application/octet-stream", chart)
    [sent_document] = telegram_api.sent("sendDocument")
    assert (sent_document.params["document"].filename, sent_document.params["document"].data) == (SHEET_NAME, sheet)
    assert await statuses(sessions) == [OutboxStatus.SENT]


async def test_a_file_is_uploaded_once_and_reused_by_its_telegram_id(sessions, telegram_api, bot, chart, sheet):
    photo = await store(sessions, chart, "bieu-do.png", "image/png")
    document = await store(sessions, sheet, SHEET_NAME, attachments_mime())
    for chat in ("5001", "5002", "5003"):
        await queue(sessions, Channel.TELEGRAM, chat, payload(TEXT, photo_attachment=photo,
                                                              document_attachment=document), key=f"d{chat}")
    deliverer = TelegramDeliverer(bot, Files(sessions, clock=Clock()))
    outbox = sender(sessions, {Channel.TELEGRAM: deliverer}, Clock())  # three chats side by side
    assert await outbox.drain_once(NOON) == 3
    photos = [c.params["photo"] for c in telegram_api.sent("sendPhoto")]
    documents = [c.params["document"] for c in telegram_api.sent("sendDocument")]
    first_photo = telegram_api.sent("sendPhoto")[0].result["photo"][-1]["file_id"]
    first_document = telegram_api.sent("sendDocument")[0].result["document"]["file_id"]
    assert isinstance(photos[0], Upload) and photos[1:] == [first_photo, first_photo]
    assert isinstance(documents[0], Upload) and documents[1:] == [first_document, first_document]
    assert await statuses(sessions) == [OutboxStatus.SENT] * 3


async def test_a_text_too_long_for_a_caption_follows_the_chart(sessions, telegram_api, bot, chart, sheet):
    long = "Tổng hợp tháng 6. " + "Thôn Đồng Tâm: 30 lượt thăm hộ. " * 60
    photo = await store(sessions, chart, "bieu-do.png", "image/png")
    document = await store(sessions, sheet, SHEET_NAME, attachments_mime())
    await queue(sessions, Channel.TELEGRAM, CHAT, payload(long, [("dg:1", "Xem chi tiết")], photo_attachment=photo,
                                                          document_attachment=document))
    files = Files(sessions, clock=Clock())
    await sender(sessions, {Channel.TELEGRAM: TelegramDeliverer(bot, files)}, Clock()).drain_once(NOON)
    calls = telegram_api.sent(chat_id=CHAT)
    assert [c.method for c in calls] == ["sendPhoto", "sendMessage", "sendDocument"]
    assert "caption" not in calls[0].params and calls[1].params["text"] == long
    assert [b["callback_data"] for b in calls[1].buttons] == ["dg:1"]


async def test_an_expired_attachment_is_left_out_and_the_text_still_goes(sessions, telegram_api, bot, chart):
    photo = await store(sessions, chart, "bieu-do.png", "image/png", keep=dt.timedelta(days=1))
    await queue(sessions, Channel.TELEGRAM, CHAT, payload(TEXT, photo_attachment=photo))
    later = Clock(NOON + dt.timedelta(days=2))
    await sender(sessions, {Channel.TELEGRAM: TelegramDeliverer(bot, Files(sessions, clock=later))},
                 later).drain_once(later())
    assert [(c.method, c.params.get("text")) for c in telegram_api.sent(chat_id=CHAT)] == [("sendMessage", TEXT)]


async def test_a_zalo_photo_goes_to_telegram_by_its_url(sessions, telegram_api, bot):
    url, gone = "https://f20-zpc.zdn.vn/jpg/anh-1.jpg", "https://f20-zpc.zdn.vn/jpg/het-han.jpg"
    telegram_api.unfetchable.add(gone)
    await queue(sessions, Channel.TELEGRAM, CHAT, payload("Thông báo lịch tiêm", photo=url,
                                                          photo_channel=Channel.ZALO), key="b1")
    await queue(sessions, Channel.TELEGRAM, "5002", payload("Thông báo họp", photo=gone,
                                                            photo_channel=Channel.ZALO), key="b2")
    await sender(sessions, {Channel.TELEGRAM: TelegramDeliverer(bot)}, Clock()).drain_once(NOON)
    [photo] = telegram_api.sent("sendPhoto", CHAT)
    assert (photo.params["photo"], photo.params["caption"]) == (url, "Thông báo lịch tiêm")
    # Telegram could not fetch the other one: the text went alone rather than not at all.
    assert [c.params["text"] for c in telegram_api.sent("sendMessage", "5002")] == ["Thông báo họp"]
    assert await statuses(sessions) == [OutboxStatus.SENT, OutboxStatus.SENT]


# -- Zalo: by link from our web server -------------------------------------------------------------


async def test_zalo_fetches_the_chart_by_link_and_gets_the_spreadsheet_as_a_link(sessions, web, zalo_api, zalo,
                                                                                 chart, sheet):
    files, http = web
    photo = await store(sessions, chart, "bieu-do.png", "image/png")
    document = await store(sessions, sheet, SHEET_NAME, attachments_mime())
    await queue(sessions, Channel.ZALO, ZALO_CHAT, payload(TEXT, photo_attachment=photo,
                                                           document_attachment=document))
    await sender(sessions, {Channel.ZALO: ZaloDeliverer(zalo, files)}, Clock()).drain_once(NOON)
    [url] = zalo_api.photos(ZALO_CHAT)
    assert url.startswith(f"{files.public_url}/files/")
    fetched = await http.get(url)
    assert (fetched.status_code, fetched.content, fetched.headers["content-type"]) == (200, chart, "image/png")
    [caption] = zalo_api.sent(ZALO_CHAT)
    text, link_line = caption.split("\n\n")
    assert text == TEXT and link_line.startswith(f"📎 {SHEET_NAME}: {files.public_url}/files/")
    download = await http.get(link_line.rsplit(" ", 1)[1])
    assert download.status_code == 200 and download.content == sheet
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"Tong hop 2026-06.xlsx\"; filename*=UTF-8''T%E1%BB%95ng%20h%E1%BB%A3p%202026-06.xlsx")
    assert len(url.rsplit("/", 1)[1]) >= 22  # at least 128 random bits


async def test_without_a_public_address_zalo_is_told_where_to_find_the_files(sessions, zalo_api, zalo, chart, sheet):
    photo = await store(sessions, chart, "bieu-do.png", "image/png")
    document = await store(sessions, sheet, SHEET_NAME, attachments_mime())
    await queue(sessions, Channel.ZALO, ZALO_CHAT, payload(TEXT, photo_attachment=photo,
                                                           document_attachment=document))
    files = Files(sessions, clock=Clock())
    await sender(sessions, {Channel.ZALO: ZaloDeliverer(zalo, files)}, Clock()).drain_once(NOON)
    assert zalo_api.photos() == []
    assert zalo_api.sent(ZALO_CHAT) == [
        f"{TEXT}\n\n🖼 Ảnh kèm tin này chưa gửi được qua Zalo: xem trên Telegram hoặc hỏi cán bộ phụ trách."
        f"\n\n📎 Tệp {SHEET_NAME} kèm tin này chưa gửi được qua Zalo: xem trên Telegram hoặc hỏi cán bộ phụ trách."]


async def test_unknown_and_expired_links_answer_404_and_nothing_is_listed(sessions, web, chart):
    files, http = web
    async with sessions() as session:
        fresh = await attachments.store(session, chart, filename="a.png", mime="image/png", now=NOON)
        old = await attachments.store(session, chart, filename="b.png", mime="image/png",
                                      now=NOON - dt.timedelta(days=2), keep=dt.timedelta(days=1))
        await session.commit()
    base = files.public_url
    assert (await http.get(f"{base}/files/{fresh.token}")).status_code == 200
    assert (await http.get(f"{base}/files/{old.token}")).status_code == 404
    other = fresh.token[:-1] + ("y" if fresh.token.endswith("x") else "x")  # never the token itself
    assert (await http.get(f"{base}/files/{other}")).status_code == 404
    for listing in ("/files", "/files/", "/files/%2e%2e"):
        assert (await http.get(base + listing)).status_code == 404


# -- a Telegram photo crossing to Zalo -------------------------------------------------------------


async def test_a_telegram_photo_is_fetched_once_for_every_zalo_chat(sessions, web, telegram_api, bot, zalo_api,
                                                                    zalo):
    files, http = web
    files.telegram_download = telegram_download(bot)
    telegram_api.host(PHOTO_ID, JPEG)
    for number in range(3):
        await queue(sessions, Channel.ZALO, f"z{number}", payload("Thông báo tiêm phòng", photo=PHOTO_ID,
                                                                  photo_channel=Channel.TELEGRAM), key=f"b{number}")
    outbox = sender(sessions, {Channel.ZALO: ZaloDeliverer(zalo, files)}, Clock())
    assert await outbox.drain_once(NOON) == 3
    await queue(sessions, Channel.ZALO, "z9", payload("Nhắc lại", photo=PHOTO_ID, photo_channel=Channel.TELEGRAM),
                key="b9")
    await outbox.drain_once(NOON + dt.timedelta(minutes=1))
    assert telegram_api.downloads == [PHOTO_ID]
    urls = set(zalo_api.photos())
    assert len(zalo_api.photos()) == 4 and len(urls) == 1
    fetched = await http.get(urls.pop())
    assert (fetched.content, fetched.headers["content-type"]) == (JPEG, "image/jpeg")
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Attachment)) == 1


async def test_a_telegram_photo_that_cannot_be_fetched_leaves_a_note(sessions, web, bot, zalo_api, zalo):
    files, _http = web
    files.telegram_download = telegram_download(bot)
    await queue(sessions, Channel.ZALO, ZALO_CHAT, payload("Thông báo", photo="AgAC-unknown",
                                                           photo_channel=Channel.TELEGRAM))
    await sender(sessions, {Channel.ZALO: ZaloDeliverer(zalo, files)}, Clock()).drain_once(NOON)
    assert zalo_api.photos() == []
    assert zalo_api.sent(ZALO_CHAT) == [
        "Thông báo\n\n🖼 Ảnh kèm tin này chưa gửi được qua Zalo: xem trên Telegram hoặc hỏi cán bộ phụ trách."]
    assert await statuses(sessions) == [OutboxStatus.SENT]


# -- keeping files ---------------------------------------------------------------------------------


async def test_housekeeping_deletes_expired_files(sessions, chart):
    keep = await store(sessions, chart, "moi.png", "image/png")
    await store(sessions, chart, "cu.png", "image/png", keep=dt.timedelta(days=1))
    await housekeeping(sessions, now=NOON + dt.timedelta(days=2), tz=TZ)
    async with sessions() as session:
        assert list(await session.scalars(select(Attachment.id))) == [keep]
        assert await attachments.load(session, keep) is not None


def test_filenames_lose_paths_and_keep_their_extension():
    assert attachments.safe_filename("../../etc/passwd") == "etc passwd"
    assert attachments.safe_filename("Tổng hợp\x00 tháng 6.xlsx") == "Tổng hợp tháng 6.xlsx"
    long = attachments.safe_filename("a" * 300 + ".xlsx")
    assert len(long) == 200 and long.endswith(".xlsx")


# -- wired in `gandan run` -------------------------------------------------------------------------


def test_public_url_is_an_address_without_its_last_slash():
    assert load_settings({"PUBLIC_URL": "https://gandan.example.vn/bot/"}, env_file=None).public_url == \
        "https://gandan.example.vn/bot"
    assert load_settings({}, env_file=None).public_url is None
    with pytest.raises(SettingsError) as info:
        load_settings({"PUBLIC_URL": "gandan.example.vn"}, env_file=None)
    assert info.value.key == "PUBLIC_URL"



async def test_gandan_run_serves_the_files_zalo_is_sent(engine, sessions, chart):
    port = free_port()
    async with FakeZaloApi() as api:
        settings = Settings(zalo_bot_token=ZALO_TOKEN, zalo_api_base_url=api.base_url,
                            web_listen=f"127.0.0.1:{port}", public_url=f"http://127.0.0.1:{port}")
        async with sessions() as session:
            photo = await attachments.store(session, chart, filename="bieu-do.png", mime="image/png", now=utcnow())
            await enqueue(session, key="d", channel=Channel.ZALO, chat_id=ZALO_CHAT, kind="digest",
                          body=payload(TEXT, photo_attachment=photo.id), not_before=utcnow())
            await session.commit()
        stop = asyncio.Event()
        run = asyncio.create_task(serve_channels(App(settings, engine, sessions), stop))
        try:
            await wait_until(lambda: bool(api.photos(ZALO_CHAT)), timeout=10)
            async with httpx.AsyncClient() as http:
                fetched = await http.get(api.photos(ZALO_CHAT)[0])
        finally:
            stop.set()
            assert await asyncio.wait_for(run, 5) == 0
    assert fetched.content == chart


def attachments_mime() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
