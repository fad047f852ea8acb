"""The terminal channel against the real engine and database, and `gandan run`/`chat`/`demo` without a token."""

import io
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.channels.terminal import StreamSink, TerminalChannel
from bot.cli import main
from handlers.engine import gateway
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from handlers.engine.types import Option, Reply
from models.base import utcnow
from models.demo import build_demo
from models.people.identities import terminal_identity
from models.tables import Household, Person


class Recorder:
    """A sink that keeps what the bot said."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []

    async def send(self, reply: Reply) -> None:
        self.replies.append(reply)


async def demo_channel(sessions, lines, sink):
    async with sessions() as session:
        demo = await build_demo(session, now=utcnow())
        person = await session.get(Person, demo.member_id)
        identity = await terminal_identity(session, person)
        await session.commit()
    channel = TerminalChannel(Gateway(sessions, Env(tz=ZoneInfo("Asia/Ho_Chi_Minh"))), identity,
                              lines=lines, sink=sink)
    return demo, channel


async def test_scripted_chat_shows_menu_and_my_households_then_quits(sessions):
    sink = Recorder()
    demo, channel = await demo_channel(sessions, ["", "1", "/thoat", "2"], sink)
    handled = await channel.run(first="/menu")
    assert handled == 3  # "/menu", the blank line (answered, as on the apps) and "1"; nothing after /thoat is read
    menu, picker = sink.replies[0], sink.replies[-1]
    assert [o.label for o in menu.options][:3] == ["📝 Ghi thăm hộ", "📣 Ghi ý kiến, kiến nghị", "🏠 Hộ tôi phụ trách"]
    async with sessions() as session:
        mine = {h.head_name for h in (await session.scalars(
            select(Household).where(Household.assigned_member_id == demo.member_id)))}
    assert any(option.label.split(",")[0] in mine for option in picker.options)


async def test_a_second_run_is_not_taken_for_redelivery(sessions):
    first = Recorder()
    _, channel = await demo_channel(sessions, ["/menu"], first)
    await channel.run()
    second = Recorder()
    _, again = await demo_channel(sessions, ["/menu"], second)
    await again.run()
    assert len(first.replies) == len(second.replies) == 1
    assert channel.prefix != again.prefix


async def test_an_engine_failure_is_reported_and_the_chat_goes_on(sessions, monkeypatch):
    sink = Recorder()
    _, channel = await demo_channel(sessions, ["boom", "/menu"], sink)
    real = gateway.handle

    async def flaky(session, incoming, env, now):
        if incoming.text == "boom":
            raise RuntimeError("boom")
        return await real(session, incoming, env, now)

    monkeypatch.setattr(gateway, "handle", flaky)
    assert await channel.run() == 2
    assert "Có lỗi" in sink.replies[0].text and sink.replies[1].options


async def test_stream_sink_numbers_the_choices():
    out = io.StringIO()
    await StreamSink(out).send(Reply("Chọn:", (Option("a", "Có"), Option("b", "Không")), photo=b"x"))
    assert out.getvalue() == "[ảnh]\nChọn:\n\n1. Có\n2. Không\n\n"


@pytest.fixture
def cli_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "run.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    for key in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "DEFAULT_LOCALE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the repository
    return path


def stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_run_without_token_builds_the_demo_and_chats_until_thoat(cli_db, monkeypatch, capsys):
    stdin(monkeypatch, "/thoat\n")
    assert main(["run"]) == 0
    out = capsys.readouterr().out
    assert "Đã tạo xã mẫu Xã Phúc Sơn" in out and "/thoat" in out and "1. 📝 Ghi thăm hộ" in out
    with sqlite3.connect(cli_db) as conn:
        assert conn.execute("SELECT count(*) FROM households").fetchone()[0] >= 250

    stdin(monkeypatch, "3\n")  # piped input ends without /thoat: EOF ends the chat too
    assert main(["run"]) == 0
    out = capsys.readouterr().out
    assert "Đã tạo" not in out and "🏠" in out


def test_chat_and_demo_commands(cli_db, monkeypatch, capsys):
    stdin(monkeypatch, "")
    assert main(["chat"]) == 2
    assert "gandan demo" in capsys.readouterr().out
    assert main(["demo"]) == 0
    assert "Đã tạo xã mẫu" in capsys.readouterr().out
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "không có gì thay đổi" in out
    leader_phone = out.rsplit("--as ", 1)[1].split()[0]

    assert main(["chat", "--as", "nguyen"]) == 2
    assert "khớp nhiều người" in capsys.readouterr().out
    assert main(["chat", "--as", "0999 999 999"]) == 2
    assert "Không tìm thấy" in capsys.readouterr().out
    stdin(monkeypatch, "/quit\n")
    assert main(["chat", "--as", "+84 " + leader_phone[1:]]) == 0
    assert "📂 Ý kiến đang mở" in capsys.readouterr().out  # the team leader's menu


async def test_the_outbox_reaches_the_terminal_chat_and_its_options_answer(sessions):
    """A notice queued for a person who chats only in the terminal is shown there, and "1" answers it."""
    from models.enums import Channel, OutboxStatus
    from models.outbox.enqueue import enqueue_for_person, payload
    from models.tables import OutboxMessage

    sink = Recorder()
    demo, channel = await demo_channel(sessions, ["1"], sink)
    async with sessions() as session:
        member = await session.get(Person, demo.member_id)
        assert await enqueue_for_person(session, member, key="notice", kind="k",
                                        body=payload("📢 Họp dân tối nay", [("m:main", "🏠 Trang chính")]),
                                        now=utcnow(), tz=ZoneInfo("Asia/Ho_Chi_Minh"))
        await session.commit()
    await channel.run(first="/menu")
    shown = [r for r in sink.replies if "Họp dân tối nay" in r.text]
    assert len(shown) == 1 and shown[0].text.startswith("📨")
    assert sink.replies.index(shown[0]) == 1  # right after the menu, before "1" was read
    assert [o.label for o in sink.replies[-1].options][:1] == ["📝 Ghi thăm hộ"]  # "1" took the notice's option
    async with sessions() as session:
        row = await session.scalar(select(OutboxMessage))
        assert (row.channel, row.status) == (Channel.TERMINAL, OutboxStatus.SENT)


async def test_a_phone_app_keeps_its_messages_from_the_terminal(sessions):
    """Whoever joined on Telegram gets messages there even after someone chatted as them in the terminal."""
    from models.enums import Channel
    from models.outbox.enqueue import enqueue_for_person, payload
    from models.tables import ChatIdentity, OutboxMessage

    sink = Recorder()
    demo, channel = await demo_channel(sessions, ["/menu"], sink)
    async with sessions() as session:
        member = await session.get(Person, demo.member_id)
        session.add(ChatIdentity(person_id=member.id, channel=Channel.TELEGRAM, external_id="77", chat_id="77"))
        await session.flush()
        assert await enqueue_for_person(session, member, key="notice", kind="k", body=payload("x"),
                                        now=utcnow(), tz=ZoneInfo("Asia/Ho_Chi_Minh"))
        await session.commit()
    await channel.run()
    assert not any(r.text.endswith("x") for r in sink.replies)
    async with sessions() as session:
        assert (await session.scalar(select(OutboxMessage))).channel == Channel.TELEGRAM
