"""Broadcasts: composing in chat, rights, audiences, acknowledgement, scheduled sending, the job's
follow-ups (a reminder, then a note to team leaders) and the delivery report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from handlers.engine.conversation import Env, handle
from handlers.engine.types import Incoming
from models.groups import binding as groups
from models.broadcasts import announcements
from models.broadcasts.audience import Audience, NotAllowed
from models.enums import Channel, GroupPurpose, OutboxStatus, Role, UnitKind
from models.tables import (
    Announcement,
    AnnouncementReceipt,
    AuditLog,
    ChatIdentity,
    Membership,
    OrgUnit,
    OutboxMessage,
    Person,
)
from models.units import tree
from scheduler.broadcasts import broadcast_jobs
from tests.dialog import Chat
from tests.world import World, build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = Chat.now  # 24/11/2026 09:00 in Hà Nội
MENU = "Chọn việc cần làm:"
EXTRA_VILLAGES = ["Thôn Bắc", "Thôn Cầu", "Thôn Dền", "Thôn Giữa", "Thôn Hạ", "Thôn Hồng", "Thôn Lương",
                  "Thôn Nam", "Thôn Thượng", "Thôn Yên"]


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ).astimezone(dt.UTC)


@dataclass
class Town:
    """The test world, plus a commune secretary, a second village with its team, and empty villages."""

    world: World
    secretary: Person
    doai: OrgUnit
    doai_team: OrgUnit
    doai_leader: Person
    doai_members: list[Person]


async def person(session, name: str, unit: OrgUnit, role: Role, commune: OrgUnit, *, chat: str | None = None,
                 channel: Channel = Channel.TELEGRAM, terminal: str | None = None) -> Person:
    made = Person(full_name=name, name_key=name.lower(), commune_id=commune.id)
    session.add(made)
    await session.flush()
    session.add(Membership(person_id=made.id, unit_id=unit.id, role=role))
    if chat:
        session.add(ChatIdentity(person_id=made.id, channel=channel, external_id=chat, chat_id=chat,
                                 last_seen_at=NOW - dt.timedelta(days=1)))
    if terminal:
        session.add(ChatIdentity(person_id=made.id, channel=Channel.TERMINAL, external_id=terminal, chat_id=terminal))
    return made


async def build_town(session) -> Town:
    world = await build_world(session)
    session.add_all([
        ChatIdentity(person_id=world.member.id, channel=Channel.TELEGRAM, external_id="701", chat_id="701"),
        ChatIdentity(person_id=world.leader.id, channel=Channel.ZALO, external_id="z-hang", chat_id="z-hang"),
    ])
    secretary = await person(session, "Lê Văn Bí", world.commune, Role.COMMUNE_SECRETARY, world.commune,
                             terminal="secretary", chat="900")
    doai = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Đoài", world.commune)
    doai_team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Dân vận cộng đồng thôn Đoài", doai)
    doai_nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", doai_team)
    doai_leader = await person(session, "Trần Văn Đoài", doai_team, Role.TEAM_LEADER, world.commune, chat="703",
                               terminal="doai")
    members = [await person(session, "Vũ Thị Én", doai_nhom, Role.MEMBER, world.commune, chat="z-en",
                            channel=Channel.ZALO),
               await person(session, "Đinh Văn Gạo", doai_nhom, Role.MEMBER, world.commune)]  # no app at all
    for name in EXTRA_VILLAGES:
        await tree.add_unit(session, UnitKind.VILLAGE, name, world.commune)
    await session.commit()
    return Town(world, secretary, doai, doai_team, doai_leader, members)


async def rows(sessions, model, *where) -> list:
    async with sessions() as s:
        return list(await s.scalars(select(model).where(*where).order_by(model.id)))


async def count(sessions, model, *where) -> int:
    async with sessions() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


async def compose(chat: Chat, text: str = "Họp dân bàn làm đường", audience: list[str] | None = None,
                  when: str = "Gửi ngay") -> None:
    """From the menu to the confirmation screen."""
    await chat.say("/thongbao")
    await chat.say(text)
    await chat.say("Không kèm ảnh")
    for line in audience or ["Tất cả các tổ"]:
        await chat.say(line)
    await chat.say(when)


# --- composing ---------------------------------------------------------------------------------------


async def test_the_secretary_composes_for_chosen_villages_and_sends_now(session, sessions):
    town = await build_town(session)
    chat = Chat(sessions, "secretary")
    menu = await chat.menu_labels()
    assert "📢 Gửi thông báo" in menu and "📬 Thông báo đã gửi" in menu
    await chat.menu_entry("Gửi thông báo")
    assert chat.last[-1].text.startswith("✍ Gõ nội dung thông báo (tối đa 1500 ký tự).")
    await chat.say("!!! ???")
    assert chat.last[-1].text.startswith("Nội dung thông báo cần có chữ.\n\n✍ Gõ nội dung")
    await chat.say("a" * 1501)
    assert chat.last[-1].text.startswith("Nội dung dài 1501 ký tự; tối đa 1500.")
    await chat.say("Tối thứ Bảy họp dân tại nhà văn hóa bàn việc làm đường.")
    assert chat.last[-1].text == "Gửi kèm một ảnh? Gửi ảnh ngay bây giờ, hoặc chọn “Không kèm ảnh”."
    await chat.say("ảnh đâu")
    assert chat.last[-1].text.startswith("Hãy gửi một ảnh, hoặc chọn “Không kèm ảnh”.")
    await chat.say("1")
    assert chat.last[-1].text == "Gửi cho ai?"
    assert [o.label for o in chat.last[-1].options] == [
        "👥 Tất cả các tổ trong xã", "🏘 Chọn thôn", "🎖 Chọn theo vai trò"]
    await chat.say("Chọn thôn")
    # twelve villages, eight a page, by name
    labels = [o.label for o in chat.last[-1].options]
    assert labels[:8] == ["☐ Thôn Bắc", "☐ Thôn Cầu", "☐ Thôn Dền", "☐ Thôn Đoài", "☐ Thôn Đồng Tâm",
                          "☐ Thôn Giữa", "☐ Thôn Hạ", "☐ Thôn Hồng"]
    assert labels[8:] == ["➡ Trang sau", "✔ Xong — đã chọn 0 thôn"]
    await chat.say("9")  # the next page
    assert [o.label for o in chat.last[-1].options][:4] == ["☐ Thôn Lương", "☐ Thôn Nam", "☐ Thôn Thượng",
                                                           "☐ Thôn Yên"]
    await chat.say("1 4")  # two at once
    assert [o.label for o in chat.last[-1].options][:4] == ["☑ Thôn Lương", "☐ Thôn Nam", "☐ Thôn Thượng",
                                                           "☑ Thôn Yên"]
    await chat.say("1 99")
    assert chat.last[-1].text.startswith("Không có số 99 trong danh sách.")
    await chat.say("dong tam")  # a search, diacritics aside
    assert chat.last[-1].text.startswith("Kết quả tìm “dong tam”:")
    assert [o.label for o in chat.last[-1].options] == ["☐ Thôn Đồng Tâm", "↩ Tất cả các thôn",
                                                       "✔ Xong — đã chọn 2 thôn"]
    await chat.say("1")
    await chat.say("doai")
    await chat.say("1")
    assert chat.last[-1].options[-1].label == "✔ Xong — đã chọn 4 thôn"
    await chat.say("Tất cả các thôn")
    await chat.say("Trang sau")
    await chat.say("Thôn Lương")  # the whole label typed unticks it (a word of it would search)
    assert [o.label for o in chat.last[-1].options] == ["☐ Thôn Lương", "☐ Thôn Nam", "☐ Thôn Thượng",
                                                       "☑ Thôn Yên", "⬅ Trang trước", "✔ Xong — đã chọn 3 thôn"]
    await chat.say("xong")  # typed, not pressed
    assert chat.last[-1].text == "Gửi khi nào?"
    await chat.say("/quaylai")  # the ticks survive a step back
    assert chat.last[-1].options[-1].label.startswith("✔ Xong — đã chọn")
    assert chat.last[-1].options[-1].label == "✔ Xong — đã chọn 3 thôn"
    await chat.say(chat.option_number("Xong"))
    await chat.say("Gửi ngay")
    screen = chat.last[-1].text
    assert screen.startswith("📢 Xem lại trước khi gửi\nGửi tới: ")
    assert "Thôn Đồng Tâm" in screen and "Thôn Đoài" in screen and "Thôn Yên" in screen
    assert "Số người nhận: 5\n" in screen  # Đồng Tâm: member and leader; Đoài: leader and two members
    assert "📶 4 người nhận được tin; 1 người không nhận được (1 chưa tham gia bot, 0 đã chặn bot).\n" in screen
    assert screen.endswith("Nội dung:\nTối thứ Bảy họp dân tại nhà văn hóa bàn việc làm đường.")
    assert await count(sessions, Announcement) == 0  # nothing stored before the confirmation
    await chat.say("✅ Gửi")
    assert chat.last[-1].text == ("✅ Đã gửi thông báo tới 4 người.\n"
                                  "1 người chưa kết nối Telegram hay Zalo với bot nên chưa nhận được.\n"
                                  "Bấm “📊 Báo cáo gửi” để xem ai đã nhận, ai chưa.")
    assert [o.label for o in chat.last[-1].options] == ["📊 Báo cáo gửi", "🏠 Trang chính"]

    [announcement] = await rows(sessions, Announcement)
    assert announcement.audience["kind"] == "villages" and len(announcement.audience["villages"]) == 3
    assert announcement.enqueued_at == NOW and announcement.author_id == town.secretary.id
    receipts = await rows(sessions, AnnouncementReceipt)
    assert len(receipts) == 5
    messages = await rows(sessions, OutboxMessage)
    assert sorted(m.chat_id for m in messages) == ["701", "703", "z-en", "z-hang"]
    message = next(m for m in messages if m.chat_id == "z-en")
    assert message.payload["options"] == [[f"an:{announcement.id}", "✅ Đã nhận"]]
    assert message.payload["text"] == (
        "📢 THÔNG BÁO — Xã Phúc Sơn\nNgười gửi: Lê Văn Bí\n\n"
        "Tối thứ Bảy họp dân tại nhà văn hóa bàn việc làm đường.\n\n"
        "Đọc xong, xin bấm “✅ Đã nhận” (hoặc trả lời số 1, hay gõ /danhan).")
    [audit] = await rows(sessions, AuditLog, AuditLog.action == "announcement.create")
    assert audit.actor_id == town.secretary.id and audit.details["audience"]["kind"] == "villages"


async def test_cancel_or_refusing_at_the_confirmation_stores_nothing(session, sessions):
    await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat)
    assert chat.last[-1].text.startswith("📢 Xem lại trước khi gửi")
    await chat.say("/huy")
    assert chat.last[-1].text.startswith("Đã hủy.")
    await compose(chat)
    await chat.say("Hủy, không gửi")
    assert chat.last[0].text == "Đã hủy, chưa gửi thông báo nào."
    assert chat.last[-1].text == MENU
    assert (await count(sessions, Announcement), await count(sessions, AnnouncementReceipt),
            await count(sessions, OutboxMessage)) == (0, 0, 0)


async def test_a_photo_is_kept_with_its_channel(session, sessions):
    await build_town(session)
    chat = Chat(sessions, "doai")  # the Đoài team leader, for his team
    await chat.say("/thongbao")
    await chat.say(photo="AgAC-file-id")
    assert chat.last[-1].text.startswith("📷 Đã nhận ảnh. Giờ hãy gõ nội dung thông báo.")
    await chat.say("Lịch tiêm phòng cho trâu bò")
    assert chat.last[-1].text == "Gửi cho ai?"  # no photo question: it came already
    assert [o.label for o in chat.last[-1].options] == ["👥 Cả tổ", "🎖 Chọn theo vai trò"]
    await chat.say("Cả tổ")
    await chat.say("Gửi ngay")
    assert "Kèm một ảnh." in chat.last[-1].text and "Số người nhận: 2" in chat.last[-1].text
    await chat.say("Gửi")
    [announcement] = await rows(sessions, Announcement)
    assert (announcement.photo_ref, announcement.photo_channel) == ("AgAC-file-id", Channel.TERMINAL)
    [message] = await rows(sessions, OutboxMessage)
    assert (message.chat_id, message.payload["photo"], message.payload["photo_channel"]) == (
        "z-en", "AgAC-file-id", "terminal")


async def test_roles_are_chosen_within_the_team_for_a_team_leader(session, sessions):
    town = await build_town(session)
    chat = Chat(sessions, "doai")
    await compose(chat, audience=["Chọn theo vai trò"], when="")
    assert [o.label for o in chat.last[-1].options] == [
        "☐ Thành viên", "☐ Nhóm trưởng", "☐ Tổ trưởng", "☐ Tổ phó", "✔ Xong — đã chọn 0 vai trò"]
    await chat.say("5")
    assert chat.last[-1].text.startswith("Chưa chọn vai trò nào.")
    await chat.say("2")
    await chat.say("5")
    assert chat.last[-1].text.startswith("Chưa có ai trong phạm vi này để nhận thông báo")  # no group leader
    await chat.say("1 2")
    await chat.say("Xong")
    await chat.say("Gửi ngay")
    assert "Gửi tới: Vai trò: Thành viên — Tổ Dân vận cộng đồng thôn Đoài" in chat.last[-1].text
    assert "Số người nhận: 2" in chat.last[-1].text
    await chat.say("Gửi")
    assert {r.person_id for r in await rows(sessions, AnnouncementReceipt)} == {p.id for p in town.doai_members}


# --- rights ------------------------------------------------------------------------------------------


async def test_a_member_may_not_broadcast_and_is_told_why(session, sessions):
    await build_town(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    assert "Gửi thông báo" not in chat.screen and "Thông báo đã gửi" not in chat.screen
    await chat.say("/thongbao")
    assert chat.last[-1].text.startswith(
        "Chỉ Bí thư Đảng ủy, Trưởng khối dân vận (cho cả xã), Tổ trưởng và Tổ phó (cho tổ của mình) "
        "gửi được thông báo.\n\n" + MENU)
    await chat.say(choice="m:bcast")  # an old button from when they had the role
    assert chat.last[-1].text.startswith("Chỉ Bí thư Đảng ủy")
    assert await count(sessions, Announcement) == 0


async def test_a_team_leader_cannot_reach_beyond_the_team(session, sessions):
    town = await build_town(session)
    chat = Chat(sessions, "doai")
    await chat.say("/thongbao")
    await chat.say("Họp tổ")
    await chat.say("Không kèm ảnh")
    await chat.say(choice="ba:villages")  # a forged button: not offered to a team leader
    assert chat.last[-1].text.startswith("Nút này đã cũ; hãy chọn lại.\n\nGửi cho ai?")
    commune = town.world.commune
    async with sessions() as s:
        doai = town.doai_leader.id
        for unit_id, audience, reason in [
            (commune.id, Audience("all"), "unit"),
            (town.doai_team.id, Audience("villages", (town.doai.id,)), "audience"),
            (town.doai_team.id, Audience("roles", (Role.COMMUNE_SECRETARY,)), "audience"),
            (town.world.team.id, Audience("all"), "unit"),  # another team
        ]:
            with pytest.raises(NotAllowed) as refused:
                await announcements.create(s, author_id=doai, unit_id=unit_id, audience=audience, text="x",
                                        photo=None, photo_channel=None, send_at=NOW, now=NOW)
            assert refused.value.reason == reason
        with pytest.raises(NotAllowed) as refused:  # a member, anywhere
            await announcements.create(s, author_id=town.world.member.id, unit_id=town.world.team.id,
                                    audience=Audience("all"), text="x", photo=None, photo_channel=None,
                                    send_at=NOW, now=NOW)
        assert refused.value.reason == "role"
        with pytest.raises(NotAllowed):  # a village of another commune, for the secretary
            other = await tree.add_unit(s, UnitKind.COMMUNE, "Xã Khác", None)
            far = await tree.add_unit(s, UnitKind.VILLAGE, "Thôn Xa", other)
            await announcements.create(s, author_id=town.secretary.id, unit_id=commune.id,
                                    audience=Audience("villages", (far.id,)), text="x", photo=None,
                                    photo_channel=None, send_at=NOW, now=NOW)


async def test_only_the_author_sees_the_report(session, sessions):
    town = await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat)
    await chat.say("Gửi")
    [announcement] = await rows(sessions, Announcement)
    other = Chat(sessions, "doai")
    await other.say(choice=f"ar:{announcement.id}")
    assert other.last[0].text == "Chỉ người gửi xem được báo cáo của thông báo này."
    await other.say(choice=f"ax:{announcement.id}")
    assert other.last[0].text == "Chỉ người gửi xem được báo cáo của thông báo này."
    assert town  # the secretary's own press works (see the report tests)


# --- acknowledging --------------------------------------------------------------------------------------


async def ack(sessions, channel: Channel, user: str, *, choice: str | None = None, text: str = "",
              at: dt.datetime = NOW) -> str:
    async with sessions() as s:
        replies = await handle(s, Incoming(channel=channel, chat_id=user, user_id=user, text=text, choice=choice),
                               Env(tz=TZ), at)
        await s.commit()
    return replies[0].text


async def test_the_received_button_works_days_later_once_and_only_for_recipients(session, sessions):
    town = await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat)
    await chat.say("Gửi")
    [announcement] = await rows(sessions, Announcement)
    key = f"an:{announcement.id}"
    later = NOW + dt.timedelta(days=3)
    assert await ack(sessions, Channel.TELEGRAM, "701", choice=key, at=later) == (
        "✅ Cảm ơn bạn! Đã ghi nhận: bạn đã nhận thông báo.")
    assert await ack(sessions, Channel.TELEGRAM, "701", choice=key, at=later + dt.timedelta(minutes=1)) == (
        "Bạn đã xác nhận đã nhận thông báo này ngày 27 tháng 11 năm 2026 lúc 09:00.")
    assert await ack(sessions, Channel.TELEGRAM, "900", choice=key) == "Thông báo này không gửi cho bạn."  # the author
    assert await ack(sessions, Channel.TELEGRAM, "701", choice="an:99x") == "Nút này đã cũ."
    receipts = {r.person_id: r.acknowledged_at for r in await rows(sessions, AnnouncementReceipt)}
    assert receipts[town.world.member.id] == later
    assert sum(1 for at in receipts.values() if at) == 1
    # in the middle of another flow the press still counts, and the flow's question comes back
    leader = Chat(sessions, "703", channel=Channel.TELEGRAM)
    await leader.say("/menu")
    await leader.say("1")  # Ghi thăm hộ
    await leader.say(choice=key)
    assert leader.last[0].text == "✅ Cảm ơn bạn! Đã ghi nhận: bạn đã nhận thông báo."
    assert leader.last[-1].text.startswith("Chưa có hộ nào trong phạm vi của bạn.")  # the visit's question


async def test_on_zalo_the_number_acknowledges(session, sessions):
    town = await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat)
    await chat.say("Gửi")
    from models.outbox.delivery import remember_offered  # what the sender does once a message is delivered
    [announcement] = await rows(sessions, Announcement)
    async with sessions() as s:
        await remember_offered(s, Channel.ZALO, "z-en", [[f"an:{announcement.id}", "✅ Đã nhận"]], NOW)
        await s.commit()
    assert await ack(sessions, Channel.ZALO, "z-en", text="1") == "✅ Cảm ơn bạn! Đã ghi nhận: bạn đã nhận thông báo."
    [receipt] = await rows(sessions, AnnouncementReceipt, AnnouncementReceipt.person_id == town.doai_members[0].id)
    assert receipt.acknowledged_at == NOW


# --- scheduled sending and the job ----------------------------------------------------------------------


async def test_a_scheduled_announcement_goes_out_at_its_time_once(session, sessions):
    await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat, when="Hẹn giờ gửi")
    assert chat.last[-1].text == "Gửi vào ngày nào? Gõ ngày, ví dụ 28/11, hoặc “ngày mai”."
    await chat.say("20/11")
    assert chat.last[-1].text.startswith("Hãy gõ một ngày từ hôm nay trở đi")
    await chat.say("hôm nay")
    await chat.say("8:30")
    assert chat.last[-1].text.startswith("Giờ này đã qua; hãy gõ một giờ sắp tới.")
    await chat.say("/quaylai")
    await chat.say("ngày mai")
    await chat.say("chiều")
    assert chat.last[-1].text.startswith("Không hiểu giờ này; gõ ví dụ 07:30.")
    await chat.say("7h30")
    assert "Thời gian: ngày 25 tháng 11 năm 2026 lúc 07:30" in chat.last[-1].text
    assert "giờ nghỉ" not in chat.last[-1].text
    await chat.say("Gửi")
    assert chat.last[-1].text.startswith("⏳ Đã hẹn gửi thông báo ngày 25 tháng 11 năm 2026 lúc 07:30.")
    assert await count(sessions, OutboxMessage) == 0

    assert await broadcast_jobs(sessions, now=local(25, 7, 29), tz=TZ) == 0
    assert await broadcast_jobs(sessions, now=local(25, 7, 30), tz=TZ) == 4
    assert await broadcast_jobs(sessions, now=local(25, 7, 31), tz=TZ) == 0  # and never again
    assert await count(sessions, OutboxMessage) == 4
    assert await count(sessions, AnnouncementReceipt) == 5  # everyone in a team, with an app or not
    [announcement] = await rows(sessions, Announcement)
    assert announcement.enqueued_at == local(25, 7, 30)


async def test_quiet_hours_and_withdrawing_a_scheduled_announcement(session, sessions):
    await build_town(session)
    chat = Chat(sessions, "secretary")
    for day in ("ngày mai", "ngày kia"):
        await compose(chat, when="Hẹn giờ gửi")
        await chat.say(day)
        await chat.say("22:00")
        assert "⚠ Giờ này là giờ nghỉ (21:00–07:00): tin sẽ đến người nhận lúc 07:00." in chat.last[-1].text
        await chat.say("Gửi")
    first, second = await rows(sessions, Announcement)
    await chat.say(choice=f"ar:{second.id}")
    assert chat.last[0].text.endswith("⏳ Hẹn gửi ngày 26 tháng 11 năm 2026 lúc 22:00; chưa gửi.")
    await chat.say("Hủy hẹn gửi")
    assert chat.last[0].text == "✖ Đã hủy thông báo hẹn gửi ngày 26 tháng 11 năm 2026 lúc 22:00."
    await chat.say(choice=f"ax:{second.id}")
    assert chat.last[0].text == "Không hủy được: thông báo đã gửi đi hoặc đã hủy trước đó."

    assert await broadcast_jobs(sessions, now=local(26, 23, 0), tz=TZ) == 4  # the first only
    messages = await rows(sessions, OutboxMessage)
    assert {m.next_attempt_at for m in messages} == {local(27, 7, 0)}
    assert {m.idempotency_key.split(":p")[0] for m in messages} == {f"ann:{first.id}"}
    assert [a.action for a in await rows(sessions, AuditLog, AuditLog.entity_type == "announcement")] == [
        "announcement.create", "announcement.create", "announcement.cancel", "announcement.send"]
    await chat.say("/menu")
    await chat.menu_entry("Thông báo đã gửi")
    assert [o.label for o in chat.last[-1].options] == [
        "26/11 · đã hủy · Họp dân bàn làm đường", "25/11 · ✅ 0/5 · Họp dân bàn làm đường"]


async def test_a_crash_midway_leaves_nothing_and_the_next_run_sends_each_once(session, sessions, monkeypatch):
    await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat, when="Hẹn giờ gửi")
    await chat.say("ngày mai")
    await chat.say("08:00")
    await chat.say("Gửi")

    async def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    real = announcements.enqueue_for_people
    monkeypatch.setattr(announcements, "enqueue_for_people", broken)
    assert await broadcast_jobs(sessions, now=local(25, 8), tz=TZ) == 0  # logged, not raised
    assert (await count(sessions, AnnouncementReceipt), await count(sessions, OutboxMessage)) == (0, 0)
    [announcement] = await rows(sessions, Announcement)
    assert announcement.enqueued_at is None
    monkeypatch.setattr(announcements, "enqueue_for_people", real)
    assert await broadcast_jobs(sessions, now=local(25, 8, 15), tz=TZ) == 4
    assert await broadcast_jobs(sessions, now=local(25, 8, 15), tz=TZ) == 0
    assert (await count(sessions, AnnouncementReceipt), await count(sessions, OutboxMessage)) == (5, 4)


async def test_bound_groups_get_it_without_a_button(session, sessions):
    town = await build_town(session)
    async with sessions() as s:
        for chat_id, unit, purpose in [("-1001", town.world.village, GroupPurpose.CHI_BO),
                                       ("-1002", town.doai_team, GroupPurpose.TEAM)]:
            await groups.bind(s, channel=Channel.TELEGRAM, chat_id=chat_id, title=f"Nhóm {chat_id}",
                              unit=await s.get(OrgUnit, unit.id), purpose=purpose,
                              person_id=town.secretary.id, now=NOW)
        await s.commit()
    chat = Chat(sessions, "secretary")
    await compose(chat, audience=["Các nhóm chat đã gắn"])
    assert "Số nhóm chat nhận: 2" in chat.last[-1].text
    await chat.say("Gửi")
    assert chat.last[-1].text.startswith("✅ Đã gửi thông báo tới 2 nhóm chat.")
    messages = await rows(sessions, OutboxMessage)
    assert [(m.chat_id, m.payload["options"]) for m in messages] == [("-1001", []), ("-1002", [])]
    assert await count(sessions, AnnouncementReceipt) == 0
    await chat.say("Báo cáo gửi")
    assert "Nhóm chat: 0/2 đã gửi" in chat.last[0].text


async def test_one_reminder_then_one_note_per_team_leader(session, sessions):
    town = await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat)
    await chat.say("Gửi")
    [announcement] = await rows(sessions, Announcement)
    await ack(sessions, Channel.ZALO, "z-en", choice=f"an:{announcement.id}", at=NOW + dt.timedelta(hours=2))

    assert await broadcast_jobs(sessions, now=NOW + dt.timedelta(hours=23), tz=TZ) == 0
    assert await broadcast_jobs(sessions, now=NOW + dt.timedelta(hours=24), tz=TZ) == 3  # Long, Hằng, Đoài
    assert await broadcast_jobs(sessions, now=NOW + dt.timedelta(hours=25), tz=TZ) == 0
    reminders = await rows(sessions, OutboxMessage, OutboxMessage.kind == "announcement_reminder")
    assert sorted(m.chat_id for m in reminders) == ["701", "703", "z-hang"]
    assert reminders[0].payload["text"].startswith(
        "🔔 Nhắc: bạn chưa xác nhận đã nhận thông báo của Xã Phúc Sơn gửi ngày 24 tháng 11 năm 2026.")
    assert reminders[0].payload["options"] == [[f"an:{announcement.id}", "✅ Đã nhận"]]
    receipts = {r.person_id: r for r in await rows(sessions, AnnouncementReceipt)}
    assert receipts[town.doai_members[1].id].reminded_at is not None  # no app: nothing sent, still counted
    assert receipts[town.doai_members[0].id].reminded_at is None  # acknowledged

    await ack(sessions, Channel.TELEGRAM, "701", choice=f"an:{announcement.id}", at=NOW + dt.timedelta(hours=30))
    assert await broadcast_jobs(sessions, now=NOW + dt.timedelta(hours=47), tz=TZ) == 0
    assert await broadcast_jobs(sessions, now=NOW + dt.timedelta(hours=48), tz=TZ) == 1
    assert await broadcast_jobs(sessions, now=NOW + dt.timedelta(hours=49), tz=TZ) == 0
    notes = {m.chat_id: m.payload["text"] for m in
             await rows(sessions, OutboxMessage, OutboxMessage.kind == "announcement_silent")}
    # Đoài's leader hears of Gạo; the two leaders, silent themselves, are not reported to themselves.
    assert set(notes) == {"703"}
    assert notes["703"] == (
        "📋 Thông báo của Xã Phúc Sơn gửi ngày 24 tháng 11 năm 2026: “Họp dân bàn làm đường”\n"
        "1 người trong tổ đã được nhắc mà vẫn chưa xác nhận đã nhận. Xin nhắc trực tiếp giúp:\n"
        "• Tổ Dân vận cộng đồng thôn Đoài: Đinh Văn Gạo")
    assert all(r.reported_at is not None for r in await rows(sessions, AnnouncementReceipt)
               if r.acknowledged_at is None)


# --- the report -----------------------------------------------------------------------------------------


async def test_the_report_counts_from_the_outbox_and_names_who_is_missing(session, sessions):
    town = await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat)
    await chat.say("Gửi")
    [announcement] = await rows(sessions, Announcement)
    async with sessions() as s:  # what the sender would have recorded by now
        for message in await s.scalars(select(OutboxMessage)):
            message.status = {"701": OutboxStatus.SENT, "703": OutboxStatus.SENT, "z-hang": OutboxStatus.SKIPPED,
                              "z-en": OutboxStatus.QUEUED}[message.chat_id]
        await s.commit()
    await ack(sessions, Channel.TELEGRAM, "701", choice=f"an:{announcement.id}")
    await chat.say("/menu")
    await chat.menu_entry("Thông báo đã gửi")
    assert [o.label for o in chat.last[-1].options] == ["24/11 · ✅ 1/5 · Họp dân bàn làm đường"]
    await chat.say("1")
    assert chat.last[0].text == "\n".join([
        "📊 Báo cáo thông báo “Họp dân bàn làm đường”",
        "Gửi tới: Tất cả các tổ trong Xã Phúc Sơn",
        "Đã gửi ngày 24 tháng 11 năm 2026 lúc 09:00.",
        "Người nhận: 5",
        "✔ Đã đến máy: 2 · ⏳ Đang chờ gửi: 1 · ✖ Không gửi được: 2",
        "✅ Đã xác nhận: 1 · ⌛ Chưa xác nhận: 4",
        "",
        "⌛ Chưa xác nhận (2):",
        "• Thôn Đoài (2): Trần Văn Đoài, Vũ Thị Én",
        "",
        "✖ Không gửi được — đã chặn bot hoặc ứng dụng từ chối (1):",
        "• Thôn Đồng Tâm (1): Nguyễn Thị Hằng",
        "",
        "✖ Chưa kết nối Telegram hay Zalo với bot (1):",
        "• Thôn Đoài (1): Đinh Văn Gạo",
    ])
    assert [o.label for o in chat.last[0].options] == ["🔄 Cập nhật", "🏠 Trang chính"]
    await chat.say("Trang chính")
    assert chat.last[-1].text == MENU
    assert town.doai_members[1].full_name == "Đinh Văn Gạo"


async def test_danhan_acknowledges_what_is_pending_and_drops_a_waiting_reminder(session, sessions):
    town = await build_town(session)
    chat = Chat(sessions, "secretary")
    await compose(chat)
    await chat.say("Gửi")
    async with sessions() as s:  # Hằng paused her reminders for three days
        leader = await s.get(Person, town.world.leader.id)
        leader.muted_until = NOW + dt.timedelta(days=3)
        await s.commit()
    assert await broadcast_jobs(sessions, now=NOW + dt.timedelta(hours=24), tz=TZ) == 4
    [waiting] = await rows(sessions, OutboxMessage, OutboxMessage.chat_id == "z-hang",
                           OutboxMessage.kind == "announcement_reminder")
    assert waiting.status == OutboxStatus.QUEUED and waiting.next_attempt_at == NOW + dt.timedelta(days=3)
    later = NOW + dt.timedelta(hours=30)
    assert await ack(sessions, Channel.ZALO, "z-hang", text="/danhan", at=later) == (
        "✅ Cảm ơn bạn! Đã ghi nhận: bạn đã nhận 1 thông báo.")
    assert await ack(sessions, Channel.ZALO, "z-hang", text="/danhan", at=later) == (
        "Không có thông báo nào đang chờ bạn xác nhận.")
    [waiting] = await rows(sessions, OutboxMessage, OutboxMessage.id == waiting.id)
    assert waiting.status == OutboxStatus.SKIPPED  # the reminder would only confuse now
    [receipt] = await rows(sessions, AnnouncementReceipt, AnnouncementReceipt.person_id == town.world.leader.id)
    assert receipt.acknowledged_at == later
