"""A concern's life through the chat: the inbox, /pa, the actions, the rights, the notifications."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from core.text import fold
from models.concerns import workflow
from models.concerns.notify import notify_change
from models.concerns.record import record_concern
from models.concerns.workflow import Refused
from models.enums import Channel, CloseReason, ConcernCategory, ConcernLevel, ConcernStatus, Role, UnitKind, Urgency
from models.tables import (
    AuditLog,
    ChatIdentity,
    Concern,
    ConcernEvent,
    ConcernHousehold,
    Household,
    Membership,
    OrgUnit,
    OutboxMessage,
    Person,
)
from models.units import tree
from tests.dialog import Chat
from tests.world import World, build_world

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)  # 9:00 in Hà Nội, the Chat's default
MENU = "Chọn việc cần làm:"
ANSWER = "Xã đã đo đạc lại: ranh giới đúng theo sổ đỏ, hộ bên cạnh sẽ dời hàng rào trong tháng 12."


@dataclass
class Town:
    """tests/world.py's commune, with a deputy, the commune's leaders and a second village."""

    world: World
    deputy: Person
    khoi: Person
    secretary: Person
    other_leader: Person
    other_member: Person
    other_village: OrgUnit
    other_household: Household

    def chat(self, sessions, who: str) -> Chat:
        if who in ("member", "leader"):
            return Chat(sessions, who)
        return Chat(sessions, f"tg-{who}", channel=Channel.TELEGRAM)


async def build_town(session) -> Town:
    world = await build_world(session)
    village = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Hòa Bình", world.commune)
    team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Dân vận cộng đồng thôn Hòa Bình", village)
    nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm 1", team)
    names = {"deputy": "Lê Văn Phó", "khoi": "Trần Văn Khối", "secretary": "Đỗ Thị Bí", "other_leader": "Mai Văn Hòa",
             "other_member": "Vương Thị Bình"}
    people = {key: Person(full_name=name, name_key=fold(name), commune_id=world.commune.id)
              for key, name in names.items()}
    session.add_all(people.values())
    await session.flush()
    session.add_all([
        Membership(person_id=people["deputy"].id, unit_id=world.team.id, role=Role.TEAM_DEPUTY),
        Membership(person_id=people["khoi"].id, unit_id=world.commune.id, role=Role.KHOI_DAN_VAN_HEAD),
        Membership(person_id=people["secretary"].id, unit_id=world.commune.id, role=Role.COMMUNE_SECRETARY),
        Membership(person_id=people["other_leader"].id, unit_id=team.id, role=Role.TEAM_LEADER),
        Membership(person_id=people["other_leader"].id, unit_id=village.id, role=Role.CHI_BO_SECRETARY),
        Membership(person_id=people["other_member"].id, unit_id=nhom.id, role=Role.MEMBER),
    ])
    everyone = {**people, "member": world.member, "leader": world.leader}
    session.add_all(ChatIdentity(person_id=p.id, channel=Channel.TELEGRAM, external_id=f"tg-{key}",
                                 chat_id=f"tg-{key}") for key, p in everyone.items())
    household = Household(commune_id=world.commune.id, village_id=village.id, nhom_id=nhom.id,
                          head_name="Phan Văn Bắc", name_key="phan van bac", address="Xóm Bắc", address_key="xom bac",
                          assigned_member_id=people["other_member"].id)
    session.add(household)
    await session.commit()
    return Town(world, people["deputy"], people["khoi"], people["secretary"], people["other_leader"],
                people["other_member"], village, household)


async def add_concern(session, town: Town, category: ConcernCategory, *, urgency: Urgency = Urgency.NORMAL,
                      household: Household | None = None, reporter: Person | None = None,
                      description: str = "Đường vào xóm bị sạt lở một đoạn", now: dt.datetime = NOW) -> Concern:
    household = household or town.world.households[0]
    concern = await record_concern(
        session, reporter_id=(reporter or town.world.member).id, commune_id=household.commune_id,
        village_id=household.village_id, nhom_id=household.nhom_id, household=household, several_households=False,
        category=category, urgency=urgency, description=description, photos=[], channel=None, now=now)
    await session.commit()
    return concern


async def outbox(sessions) -> list[tuple[str, int | None, str]]:
    async with sessions() as s:
        rows = (await s.execute(select(OutboxMessage.idempotency_key, OutboxMessage.person_id, OutboxMessage.kind)
                                .where(OutboxMessage.idempotency_key.startswith("concern:"))
                                .order_by(OutboxMessage.id))).all()
    return [tuple(row) for row in rows]


async def texts_for(sessions, person: Person, after: int = 0) -> list[str]:
    async with sessions() as s:
        rows = await s.scalars(select(OutboxMessage).where(OutboxMessage.person_id == person.id,
                                                           OutboxMessage.id > after).order_by(OutboxMessage.id))
        return [row.payload["text"] for row in rows]


async def last_outbox_id(sessions) -> int:
    async with sessions() as s:
        return (await s.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))) or 0


async def load(sessions, concern_id: int) -> Concern:
    async with sessions() as s:
        return await s.get(Concern, concern_id)


def option_keys(chat: Chat) -> list[str]:
    return [o.key for o in chat.last[-1].options]


def notice(chat: Chat) -> str:
    """The first message's text, without the main menu a refusal or a finished screen brings."""
    return chat.last[0].text.removesuffix("\n\n" + MENU)


# --- the inbox ------------------------------------------------------------------------------------------

async def open_inbox(chat: Chat) -> str:
    await chat.say("/menu")
    await chat.menu_entry("Ý kiến đang mở")
    return chat.last[-1].text


async def test_inbox_urgent_first_then_nearest_due_with_filters(session, sessions):
    town = await build_town(session)
    world = town.world
    land = await add_concern(session, town, ConcernCategory.LAND)  # due in 30 days
    urgent = await add_concern(session, town, ConcernCategory.ENVIRONMENT, urgency=Urgency.URGENT,
                               description="Cống thoát nước tắc, nước tràn vào nhà")  # 3 days
    roads = await add_concern(session, town, ConcernCategory.INFRASTRUCTURE,
                              description="Đèn đường hỏng cả tháng nay")  # 15 days
    session.add_all(ConcernHousehold(concern_id=roads.id, household_id=h.id, reporter_id=world.member.id, added_at=NOW)
                    for h in world.households[1:3])
    done = await add_concern(session, town, ConcernCategory.OTHER, description="Xin thông tin lịch tiêm chủng")
    done.status, done.closed_at, done.close_reason = ConcernStatus.CLOSED, NOW, CloseReason.RESOLVED
    elsewhere = await add_concern(session, town, ConcernCategory.SECURITY, household=town.other_household,
                                  reporter=town.other_member, description="Trộm gà ban đêm")  # 7 days
    await session.commit()

    leader = town.chat(sessions, "leader")
    assert await open_inbox(leader) == "\n".join([
        "📂 Ý kiến đang mở (khẩn trước, gần hạn trước)",
        "• ‼ PA-2026-00002 · Môi trường, vệ sinh · Thôn Đồng Tâm · Mới tiếp nhận · còn 3 ngày",
        "• PA-2026-00003 · Hạ tầng (đường, điện, nước) · Thôn Đồng Tâm · Mới tiếp nhận · còn 15 ngày · 3 hộ",
        "• PA-2026-00001 · Đất đai · Thôn Đồng Tâm · Mới tiếp nhận · còn 30 ngày",
        "Chọn một ý kiến để xem và xử lý, hoặc gõ mã ý kiến.",
    ])
    assert [o.label for o in leader.last[-1].options] == [
        "‼ PA-2026-00002", "PA-2026-00003", "PA-2026-00001", "🗂 Lĩnh vực", "🏘 Thôn", "🔖 Trạng thái"]

    khoi = town.chat(sessions, "khoi")
    khoi.now = NOW + dt.timedelta(days=5)  # the urgent one is overdue by now
    text = await open_inbox(khoi)
    assert [line.split(" · ")[0] for line in text.splitlines()[1:-1]] == [
        "• ‼ PA-2026-00002", "• PA-2026-00005", "• PA-2026-00003", "• PA-2026-00001"]
    assert "• ‼ PA-2026-00002 · Môi trường, vệ sinh · Thôn Đồng Tâm · Mới tiếp nhận · quá hạn 2 ngày" in text
    assert "• PA-2026-00005 · An ninh, trật tự · Thôn Hòa Bình · Mới tiếp nhận · còn 2 ngày" in text

    await khoi.say(khoi.option_number("Thôn"))
    assert khoi.screen == ("Lọc theo thôn:\n\n1. Thôn Đồng Tâm (3)\n2. Thôn Hòa Bình (1)\n3. Tất cả thôn")
    await khoi.say("Hòa Bình")
    assert khoi.last[-1].text.splitlines()[:3] == [
        "📂 Ý kiến đang mở (khẩn trước, gần hạn trước)", "Lọc: Thôn Hòa Bình",
        "• PA-2026-00005 · An ninh, trật tự · Thôn Hòa Bình · Mới tiếp nhận · còn 2 ngày"]
    assert option_keys(khoi) == [f"o:{elsewhere.id}", "f:c", "f:v", "f:s", "x"]
    await khoi.say(khoi.option_number("Bỏ lọc"))
    await khoi.say(khoi.option_number("Lĩnh vực"))
    assert [o.label for o in khoi.last[-1].options] == [
        "Đất đai (1)", "Môi trường, vệ sinh (1)", "An ninh, trật tự (1)", "Hạ tầng (đường, điện, nước) (1)",
        "Tất cả lĩnh vực"]
    await khoi.say("Đất đai")
    assert option_keys(khoi)[:1] == [f"o:{land.id}"] and len(khoi.last[-1].text.splitlines()) == 4
    await khoi.say(khoi.option_number("Bỏ lọc"))
    await khoi.say(khoi.option_number("Trạng thái"))
    await khoi.say("Đã đóng")
    assert khoi.last[-1].text.splitlines()[:2] == [
        "📂 Ý kiến: Đã đóng", "• PA-2026-00004 · Khác · Thôn Đồng Tâm · Đã đóng"]
    assert done.id not in [int(k[2:]) for k in option_keys(leader) if k.startswith("o:")]

    await leader.say("1")  # choosing one opens its detail
    assert leader.last[-1].text.startswith("📄 Ý kiến PA-2026-00002 · ‼ Khẩn\n")
    assert option_keys(leader)[0] == f"pa:{urgent.id}:t"


async def test_inbox_pages_and_is_for_leaders(session, sessions):
    town = await build_town(session)
    for day in range(10):
        await add_concern(session, town, ConcernCategory.OTHER, description=f"Ý kiến thứ {day + 1} của bà con",
                          now=NOW - dt.timedelta(days=day))
    leader = town.chat(sessions, "leader")
    first = await open_inbox(leader)
    assert first.count("\n• ") == 8 and "PA-2026-00010" in first.splitlines()[1]  # the oldest is due first
    assert "▶ Trang sau" in [o.label for o in leader.last[-1].options]
    await leader.say(leader.option_number("Trang sau"))
    second = leader.last[-1].text
    assert second.splitlines()[1:4] == [
        "Trang 2", "• PA-2026-00002 · Khác · Thôn Đồng Tâm · Mới tiếp nhận · còn 14 ngày",
        "• PA-2026-00001 · Khác · Thôn Đồng Tâm · Mới tiếp nhận · còn 15 ngày"]
    assert "▶ Trang sau" not in [o.label for o in leader.last[-1].options]
    await leader.say(leader.option_number("Trang trước"))
    assert leader.last[-1].text == first
    await leader.say("pa-2026-3")  # a typed reference opens it
    assert leader.last[-1].text.startswith("📄 Ý kiến PA-2026-00003\n")

    member = town.chat(sessions, "member")
    await member.say(choice="m:open")  # a forged or old button
    assert notice(member) == "Mục này dành cho tổ trưởng và lãnh đạo xã."


# --- /pa and who sees what ------------------------------------------------------------------------------

def detail(reference: str, *, status: str = "Mới tiếp nhận", level: str = "Tổ Dân vận", household: str | None,
           holder: str = "chưa có", history: list[str]) -> str:
    lines = [f"📄 Ý kiến {reference}", f"Trạng thái: {status} · Cấp: {level}", "Lĩnh vực: Đất đai",
             "Thôn: Thôn Đồng Tâm"]
    lines += [f"Hộ: {household}"] if household else []
    lines += ["Nội dung: Nhà bên cạnh lấn sang 2m đất vườn của hộ Nguyễn Văn Hùng, gọi ***678",
              "Hạn trả lời: ngày 24 tháng 12 năm 2026 (còn 30 ngày)", f"Người xử lý: {holder}",
              "Số hộ nêu: 1 · đã được báo trả lời: 0", "Lịch sử:", *history]
    return "\n".join(lines)


CREATED = "• 24/11/2026 09:00 — Phạm Văn Long: Tiếp nhận"


async def test_pa_shows_only_to_those_entitled_and_refuses_alike(session, sessions):
    town = await build_town(session)
    concern = await add_concern(session, town, ConcernCategory.LAND,
                                description="Nhà bên cạnh lấn sang 2m đất vườn của hộ Nguyễn Văn Hùng, "
                                            "gọi 0912345678")
    leader = town.chat(sessions, "leader")
    await leader.say("/pa PA-2026-00001")
    assert leader.last[-1].text == detail("PA-2026-00001", household="Nguyễn Văn Hùng", history=[CREATED])
    assert [o.label for o in leader.last[-1].options] == [
        "🙋 Nhận xử lý", "⬆ Chuyển lên", "📝 Ghi chú", "💬 Trả lời", "✅ Đóng", "◀ Danh sách ý kiến"]
    assert option_keys(leader) == [*(f"pa:{concern.id}:{k}" for k in "tenac"), "pal"]
    assert all(len(k.encode()) <= 64 for k in option_keys(leader))
    await leader.say("/pa pa 2026 1")  # spelled loosely
    assert leader.last[-1].text.startswith("📄 Ý kiến PA-2026-00001\n")

    member = town.chat(sessions, "member")  # the reporter: read-only, with the household
    await member.say("/pa PA-2026-00001")
    assert member.last[0].text == detail("PA-2026-00001", household="Nguyễn Văn Hùng", history=[CREATED])
    assert member.last[-1].text == MENU  # no buttons of its own

    for who in ("khoi", "secretary"):
        chat = town.chat(sessions, who)
        await chat.say("/pa PA-2026-00001")
        assert chat.last[-1].text == detail("PA-2026-00001", household="Nguyễn Văn Hùng", history=[CREATED])

    refused = {}
    for who in ("other_leader", "other_member"):
        chat = town.chat(sessions, who)
        await chat.say("/pa PA-2026-00001")
        refused[who] = chat.screen
        await chat.say("/pa PA-2026-00077")  # does not exist
        assert chat.screen == refused[who].replace("PA-2026-00001", "PA-2026-00077")
        assert notice(chat) == "Không tìm thấy ý kiến PA-2026-00077 trong phạm vi bạn theo dõi."
        await chat.say(choice=f"pa:{concern.id}")  # a forged button says no more
        assert notice(chat) == "Không tìm thấy ý kiến này trong phạm vi bạn theo dõi."
        await chat.say(choice=f"pa:{concern.id}:t")
        assert notice(chat) == "Không tìm thấy ý kiến này trong phạm vi bạn theo dõi."
    async with sessions() as s:
        views = (await s.scalars(select(AuditLog.actor_id).where(AuditLog.action == "concern.view"))).all()
    assert set(views) == {town.world.leader.id, town.world.member.id, town.khoi.id, town.secretary.id}


async def test_complaints_do_not_name_the_household_except_to_its_volunteer(session, sessions):
    town = await build_town(session)
    await add_concern(session, town, ConcernCategory.COMPLAINT,
                      description="Ông Nguyễn Văn Hùng tố cáo cán bộ thôn thu tiền sai quy định")
    leader, member = town.chat(sessions, "leader"), town.chat(sessions, "member")
    await leader.say("/pa PA-2026-00001")
    assert "Hộ:" not in leader.last[-1].text and "Nguyễn Văn Hùng" not in leader.last[-1].text
    assert "Nội dung: Ông *** tố cáo cán bộ thôn thu tiền sai quy định" in leader.last[-1].text
    await member.say("/pa PA-2026-00001")
    assert "Hộ: Nguyễn Văn Hùng" in member.last[0].text


# --- the lifecycle --------------------------------------------------------------------------------------

async def press(chat: Chat, concern: Concern, action: str) -> None:
    await chat.say(choice=f"pa:{concern.id}:{action}")


async def test_the_whole_lifecycle_with_rights_history_and_notifications(session, sessions):
    town = await build_town(session)
    world = town.world
    member = town.chat(sessions, "member")
    for line in ["/menu", "2", "Đất đai", "Nhà bên cạnh lấn sang 2m đất vườn", "1", "Nguyễn Văn Hùng", "Lưu"]:
        await member.say(line)
    assert member.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001 (Nguyễn Văn Hùng).")
    async with sessions() as s:
        concern = await s.scalar(select(Concern))
    deputy, leader = town.chat(sessions, "deputy"), town.chat(sessions, "leader")
    khoi, secretary = town.chat(sessions, "khoi"), town.chat(sessions, "secretary")
    clocks = [deputy, leader, khoi, secretary, member]

    def tick(hours: int) -> None:
        for chat in clocks:
            chat.now += dt.timedelta(hours=hours)

    # The member who logged it may only look.
    await press(member, concern, "t")
    assert notice(member) == "Bạn chỉ xem được ý kiến này; tổ trưởng và lãnh đạo phụ trách sẽ xử lý."

    # The deputy takes it on and gives it to the team leader.
    tick(1)
    await deputy.say("/pa PA-2026-00001")
    await deputy.say(deputy.option_number("Nhận xử lý"))
    assert deputy.last[-1].text == ("Ai xử lý ý kiến PA-2026-00001? Chọn người, hoặc gõ tên cơ quan ngoài tổ "
                                    "(ví dụ: UBND xã) — bạn sẽ theo dõi việc đó:")
    assert [o.label for o in deputy.last[-1].options] == [
        "🙋 Tôi tự xử lý", "Nguyễn Thị Hằng — Tổ trưởng", "Trần Văn Khối — Trưởng khối dân vận",
        "Đỗ Thị Bí — Bí thư Đảng ủy", "Phạm Văn Long — Thành viên"]
    await deputy.say(deputy.option_number("Nguyễn Thị Hằng"))
    assert deputy.screen == "Ghi chú (không bắt buộc):\n\n1. Bỏ qua"
    await deputy.say("Bỏ qua")
    assert deputy.last[0].text == "✅ Đã nhận xử lý ý kiến PA-2026-00001. Người xử lý: Nguyễn Thị Hằng."
    assert "Trạng thái: Đang giải quyết · Cấp: Tổ Dân vận" in deputy.last[1].text
    concern = await load(sessions, concern.id)
    assert (concern.status, concern.assignee_id, concern.assignee_label) == (
        ConcernStatus.IN_PROGRESS, world.leader.id, None)
    assert await texts_for(sessions, world.member) == [
        "🔄 Ý kiến PA-2026-00001 — Thôn Đồng Tâm, Đất đai đang được giải quyết. Người xử lý: Nguyễn Thị Hằng."]
    assert await texts_for(sessions, world.leader) == [
        "📌 Bạn được giao xử lý ý kiến PA-2026-00001 — Thôn Đồng Tâm, Đất đai.\n"
        "Hạn trả lời: ngày 24 tháng 12 năm 2026"]
    assert await texts_for(sessions, town.deputy) == []  # never the one who acted

    # The team leader hands it on to the commune authorities, with a note; then adds a note.
    tick(1)
    await press(leader, concern, "t")
    await leader.say("UBND xã")
    await leader.say("Đã chuyển hồ sơ cho cán bộ địa chính")
    assert leader.last[0].text == ("✅ Đã nhận xử lý ý kiến PA-2026-00001. Người xử lý: UBND xã "
                                   "(theo dõi: Nguyễn Thị Hằng).")
    await press(leader, concern, "n")
    assert leader.screen == "Ghi chú cho ý kiến PA-2026-00001:"
    await leader.say("?")  # no words: asked again
    assert leader.screen == "Hãy gõ bằng chữ (ít nhất 2 ký tự).\n\nGhi chú cho ý kiến PA-2026-00001:"
    await leader.say("Địa chính hẹn đo đạc tuần sau")
    assert leader.last[0].text == "📝 Đã ghi chú vào ý kiến PA-2026-00001."
    concern = await load(sessions, concern.id)
    assert (concern.assignee_id, concern.assignee_label) == (world.leader.id, "UBND xã")
    assert len(await texts_for(sessions, world.member)) == 1  # neither changed the status

    # Escalated by the deputy to the chi bộ: out of the team's hands.
    tick(1)
    before = await last_outbox_id(sessions)
    await press(deputy, concern, "e")
    assert deputy.screen == ("Chuyển ý kiến PA-2026-00001 lên Chi bộ? Gõ lý do nếu cần, hoặc chọn:\n\n"
                             "1. ⬆ Chuyển lên Chi bộ")
    await deputy.say("Cần chi bộ chỉ đạo")
    assert deputy.last[0].text == "⬆ Đã chuyển ý kiến PA-2026-00001 lên Chi bộ."
    assert deputy.last[-1].text.startswith("📄 Ý kiến PA-2026-00001\n")  # still sees it,
    assert option_keys(deputy) == ["pal"]  # no action left, only the way back to the list
    concern = await load(sessions, concern.id)
    assert (concern.status, concern.level, concern.escalated_at, concern.assignee_id) == (
        ConcernStatus.FORWARDED, ConcernLevel.CHI_BO, deputy.now, None)
    assert await texts_for(sessions, world.member, before) == [
        "⬆ Ý kiến PA-2026-00001 — Thôn Đồng Tâm, Đất đai đã được chuyển lên Chi bộ.\nGhi chú: Cần chi bộ chỉ đạo"]
    assert await texts_for(sessions, world.leader, before) == [
        "⬆ Ý kiến PA-2026-00001 — Thôn Đồng Tâm, Đất đai được chuyển lên Chi bộ để xử lý.\n"
        "Ghi chú: Cần chi bộ chỉ đạo\nHạn trả lời: ngày 24 tháng 12 năm 2026"]
    await press(deputy, concern, "n")
    assert notice(deputy) == "Ý kiến PA-2026-00001 đã chuyển lên Chi bộ; cấp đó xử lý, bạn vẫn theo dõi được."
    await deputy.say("/pa PA-2026-00001")
    assert deputy.last[0].text.startswith("📄 Ý kiến PA-2026-00001\nTrạng thái: Đã chuyển · Cấp: Chi bộ")

    # The chi bộ secretary (the team leader too) sends it to the commune.
    tick(1)
    before = await last_outbox_id(sessions)
    await press(leader, concern, "e")
    await leader.say("1")
    assert leader.last[0].text == "⬆ Đã chuyển ý kiến PA-2026-00001 lên Khối dân vận xã."
    for person in (town.khoi, town.secretary):
        assert await texts_for(sessions, person, before) == [
            "⬆ Ý kiến PA-2026-00001 — Thôn Đồng Tâm, Đất đai được chuyển lên Khối dân vận xã để xử lý.\n"
            "Hạn trả lời: ngày 24 tháng 12 năm 2026"]
    await press(leader, concern, "t")
    assert notice(leader) == ("Ý kiến PA-2026-00001 đã chuyển lên Khối dân vận xã; cấp đó xử lý, "
                              "bạn vẫn theo dõi được.")

    # At the top there is nowhere further to go.
    await khoi.say("/pa PA-2026-00001")
    assert [o.label for o in khoi.last[-1].options] == ["🙋 Nhận xử lý", "📝 Ghi chú", "💬 Trả lời", "✅ Đóng",
                                                        "📄 Xem toàn văn", "◀ Danh sách ý kiến"]  # older history
    await press(khoi, concern, "e")
    assert notice(khoi) == "Ý kiến đã ở cấp xã, không chuyển lên được nữa."
    async with sessions() as s:
        assert await workflow.escalate(s, await s.get(Concern, concern.id), actor_id=None, now=NOW) is None

    # The khối dân vận head takes it on and answers.
    tick(1)
    await press(khoi, concern, "t")
    await khoi.say(khoi.option_number("Tôi tự xử lý"))
    await khoi.say("Bỏ qua")
    tick(24)
    before = await last_outbox_id(sessions)
    await press(khoi, concern, "a")
    assert khoi.screen == "Nội dung trả lời ý kiến PA-2026-00001 (người đã ghi ý kiến sẽ báo lại cho hộ):"
    await khoi.say(ANSWER)
    assert khoi.last[0].text == ("💬 Đã ghi trả lời ý kiến PA-2026-00001. Người đã ghi ý kiến được báo để "
                                 "chuyển lời cho hộ.")
    concern = await load(sessions, concern.id)
    assert (concern.status, concern.answered_at) == (ConcernStatus.ANSWERED, khoi.now)
    assert concern.answer_text.startswith("Xã đã đo đạc lại")
    [answered] = await texts_for(sessions, world.member, before)
    assert answered == (
        "💬 Ý kiến PA-2026-00001 — Thôn Đồng Tâm, Đất đai đã có trả lời:\n"
        "Xã đã đo đạc lại: ranh giới đúng theo sổ đỏ, hộ bên cạnh sẽ dời hàng rào trong tháng 12.\n\n"
        "👉 Việc của bạn: báo lại câu trả lời cho hộ Nguyễn Văn Hùng. Lần tới ghi thăm hộ, bot sẽ hỏi bạn đã báo "
        "chưa; báo rồi thì bấm “✅ Đã báo cho hộ”.")
    async with sessions() as s:
        message = await s.scalar(select(OutboxMessage).where(OutboxMessage.id > before,
                                                             OutboxMessage.person_id == world.member.id))
        [row_id] = (await s.scalars(select(ConcernHousehold.id).where(ConcernHousehold.concern_id == concern.id))).all()
    assert message.payload["options"] == [[f"bh:{concern.id}:{row_id}", "✅ Đã báo cho hộ"],
                                          [f"pa:{concern.id}", "📄 Xem ý kiến"]]
    await press(khoi, concern, "a")
    assert notice(khoi) == "Ý kiến này đã có trả lời; có thể đóng hoặc mở lại."

    # Closed as resolved; then nothing but reopening.
    tick(1)
    await press(khoi, concern, "c")
    assert [o.label for o in khoi.last[-1].options] == [
        "Đã giải quyết", "Không thuộc thẩm quyền", "Trùng lặp", "Người dân rút lại"]
    await khoi.say("Đã giải quyết")
    await khoi.say("Bỏ qua")
    assert khoi.last[0].text == "✅ Đã đóng ý kiến PA-2026-00001: Đã giải quyết."
    assert [o.label for o in khoi.last[-1].options] == ["↩ Mở lại", "📄 Xem toàn văn", "◀ Danh sách ý kiến"]
    for key, words in (("a", "đã đóng; hãy mở lại"), ("n", "đã đóng; hãy mở lại"), ("c", "đã đóng; hãy mở lại")):
        await press(khoi, concern, key)
        assert words in notice(khoi)
    concern = await load(sessions, concern.id)
    assert (concern.status, concern.close_reason, concern.closed_at) == (
        ConcernStatus.CLOSED, CloseReason.RESOLVED, khoi.now)

    # The commune secretary reopens it: back in the hands of whoever held it, the answer to be given again.
    tick(1)
    before = await last_outbox_id(sessions)
    await press(secretary, concern, "r")
    assert secretary.screen == "Vì sao mở lại ý kiến PA-2026-00001?"
    await secretary.say("Hộ bên cạnh chưa dời hàng rào")
    assert secretary.last[0].text == "↩ Đã mở lại ý kiến PA-2026-00001."
    concern = await load(sessions, concern.id)
    assert (concern.status, concern.assignee_id, concern.closed_at, concern.close_reason, concern.answered_at,
            concern.answer_text) == (ConcernStatus.IN_PROGRESS, town.khoi.id, None, None, None, None)
    assert await texts_for(sessions, world.member, before) == [
        "↩ Ý kiến PA-2026-00001 — Thôn Đồng Tâm, Đất đai được mở lại.\nGhi chú: Hộ bên cạnh chưa dời hàng rào"]
    assert await texts_for(sessions, town.khoi, before) == [
        "↩ Ý kiến PA-2026-00001 — Thôn Đồng Tâm, Đất đai bạn xử lý được mở lại.\n"
        "Ghi chú: Hộ bên cạnh chưa dời hàng rào\nHạn trả lời: ngày 25 tháng 12 năm 2026"]
    # A fresh time limit (land: 30 days) from the reopening, not the first one's.
    assert concern.due_at == secretary.now + dt.timedelta(days=30)
    await press(secretary, concern, "r")
    assert notice(secretary) == "Chỉ mở lại được ý kiến đã trả lời hoặc đã đóng."

    # The history, with who and when.
    start = NOW
    async with sessions() as s:
        events = (await s.scalars(select(ConcernEvent).where(ConcernEvent.concern_id == concern.id)
                                  .order_by(ConcernEvent.id))).all()
    new, fwd, prog, ans, closed = (ConcernStatus.NEW, ConcernStatus.FORWARDED, ConcernStatus.IN_PROGRESS,
                                   ConcernStatus.ANSWERED, ConcernStatus.CLOSED)
    hours = dt.timedelta(hours=1)
    assert [(e.action, e.actor_id, e.from_status, e.to_status, e.note, e.at) for e in events] == [
        ("created", world.member.id, None, new, None, start),
        ("taken_on", town.deputy.id, new, prog, None, start + hours),
        ("taken_on", world.leader.id, prog, prog, "Đã chuyển hồ sơ cho cán bộ địa chính", start + 2 * hours),
        ("note", world.leader.id, prog, prog, "Địa chính hẹn đo đạc tuần sau", start + 2 * hours),
        ("escalated", town.deputy.id, prog, fwd, "Cần chi bộ chỉ đạo", start + 3 * hours),
        ("escalated", world.leader.id, fwd, fwd, None, start + 4 * hours),
        ("taken_on", town.khoi.id, fwd, prog, None, start + 5 * hours),
        ("answered", town.khoi.id, prog, ans, ANSWER, start + 29 * hours),
        ("closed", town.khoi.id, ans, closed, None, start + 30 * hours),
        ("reopened", town.secretary.id, closed, prog, "Hộ bên cạnh chưa dời hàng rào", start + 31 * hours),
    ]
    await secretary.say("/pa PA-2026-00001")
    assert secretary.last[-1].text.splitlines()[-6:] == [
        "Lịch sử:",
        "• 24/11/2026 13:00 — Nguyễn Thị Hằng: Chuyển lên cấp trên",
        "• 24/11/2026 14:00 — Trần Văn Khối: Nhận xử lý",
        f"• 25/11/2026 14:00 — Trần Văn Khối: Trả lời: {ANSWER}",
        "• 25/11/2026 15:00 — Trần Văn Khối: Đóng",
        "• 25/11/2026 16:00 — Đỗ Thị Bí: Mở lại: Hộ bên cạnh chưa dời hàng rào",
    ]
    async with sessions() as s:
        audited = (await s.scalars(select(AuditLog.action).where(AuditLog.entity_type == "concern",
                                                                 AuditLog.action != "concern.view")
                                   .order_by(AuditLog.id))).all()
    assert audited == ["record_concern", "concern.taken_on", "concern.taken_on", "concern.note", "concern.escalated",
                       "concern.escalated", "concern.taken_on", "concern.answered", "concern.closed",
                       "concern.reopened"]

    # Every notification once, with its recipients; the actor never among them.
    sent = await outbox(sessions)
    assert len(sent) == len(set(key for key, _person, _kind in sent))
    by_event: dict[int, set[int]] = {}
    for key, person_id, _kind in sent:
        by_event.setdefault(int(key.split(":")[2][2:]), set()).add(person_id)
    ids = [e.id for e in events]
    assert by_event == {
        ids[1]: {world.member.id, world.leader.id},  # taken on: the reporter, the assignee
        ids[4]: {world.member.id, world.leader.id},  # to the chi bộ: the reporter, its secretary
        ids[5]: {world.member.id, town.khoi.id, town.secretary.id},  # to the commune
        ids[6]: {world.member.id},  # taken on by the khối head himself
        ids[7]: {world.member.id},  # answered
        ids[8]: {world.member.id},  # closed
        ids[9]: {world.member.id, town.khoi.id},  # reopened: the reporter, the one who holds it
    }
    async with sessions() as s:  # a second call (a retried job, a double click) adds nothing
        again = await s.get(Concern, concern.id)
        assert await notify_change(s, again, await s.get(ConcernEvent, ids[9]), now=NOW, tz=member.env.tz,
                                   default_locale="vi") == 0
        await s.commit()
    assert await outbox(sessions) == sent


async def test_each_close_reason_is_kept_apart_from_an_answer(session, sessions):
    town = await build_town(session)
    world = town.world
    leader = town.chat(sessions, "leader")
    reasons = list(CloseReason)
    concerns = [await add_concern(session, town, category, description=f"Ý kiến về {category.value} của bà con")
                for category in (ConcernCategory.LAND, ConcernCategory.ENVIRONMENT, ConcernCategory.SECURITY,
                                 ConcernCategory.OTHER)]
    own = await add_concern(session, town, ConcernCategory.PROGRAMME, reporter=world.leader,
                            description="Chương trình nước sạch chậm tiến độ")
    for index, (concern, reason) in enumerate(zip(concerns, reasons)):
        await leader.say(f"/pa {concern.reference}")
        await leader.say(leader.option_number("Đóng"))
        await leader.say(str(index + 1))
        await leader.say("Trùng với PA-2026-00001" if reason == CloseReason.DUPLICATE else "Bỏ qua")
    await leader.say(f"/pa {own.reference}")
    await leader.say(leader.option_number("Trả lời"))
    await leader.say("Nhà thầu đã cam kết xong trước Tết")
    await leader.say(leader.option_number("Đóng"))
    await leader.say("1")
    await leader.say("1")
    async with sessions() as s:
        rows = (await s.scalars(select(Concern).order_by(Concern.id))).all()
    assert [(c.status, c.close_reason, c.answered_at is not None) for c in rows] == [
        (ConcernStatus.CLOSED, CloseReason.RESOLVED, False),
        (ConcernStatus.CLOSED, CloseReason.NOT_COMPETENT, False),
        (ConcernStatus.CLOSED, CloseReason.DUPLICATE, False),
        (ConcernStatus.CLOSED, CloseReason.WITHDRAWN, False),
        (ConcernStatus.CLOSED, CloseReason.RESOLVED, True),
    ]
    assert await texts_for(sessions, world.member) == [
        "✅ Ý kiến PA-2026-00001 — Thôn Đồng Tâm, Đất đai đã đóng: Đã giải quyết.",
        "✅ Ý kiến PA-2026-00002 — Thôn Đồng Tâm, Môi trường, vệ sinh đã đóng: Không thuộc thẩm quyền.",
        "✅ Ý kiến PA-2026-00003 — Thôn Đồng Tâm, An ninh, trật tự đã đóng: Trùng lặp.\n"
        "Ghi chú: Trùng với PA-2026-00001",
        "✅ Ý kiến PA-2026-00004 — Thôn Đồng Tâm, Khác đã đóng: Người dân rút lại.",
    ]
    assert await texts_for(sessions, world.leader) == []  # the reporter who acted is not told


async def test_bad_input_is_asked_again_and_cancel_stores_nothing(session, sessions):
    town = await build_town(session)
    concern = await add_concern(session, town, ConcernCategory.LAND)
    leader = town.chat(sessions, "leader")
    await press(leader, concern, "a")
    await leader.say("ok")
    assert leader.screen == ("Hãy gõ bằng chữ (ít nhất 5 ký tự).\n\n"
                             "Nội dung trả lời ý kiến PA-2026-00001 (người đã ghi ý kiến sẽ báo lại cho hộ):")
    long = ("Đã trả lời xong rồi đấy " * 80).strip()
    await leader.say(long)
    assert leader.last[-1].text.startswith(f"Dài {len(long)} ký tự; tối đa 1500.")
    await leader.say("/huy")
    assert leader.last[-1].text == "Đã hủy.\n\nChọn việc cần làm:"
    await press(leader, concern, "c")
    await leader.say("vì sao")
    assert leader.screen.startswith("Hãy chọn lý do bằng số từ 1 đến 4.\n\nĐóng ý kiến PA-2026-00001 với lý do:")
    await leader.say("2")
    await leader.say("/huy")
    await press(leader, concern, "t")
    await leader.say("?")
    assert leader.screen.startswith("Hãy gõ bằng chữ (ít nhất 2 ký tự).\n\nAi xử lý ý kiến PA-2026-00001?")
    await leader.say("/huy")
    after = await load(sessions, concern.id)
    assert (after.status, after.answer_text, after.close_reason, after.assignee_id) == (
        ConcernStatus.NEW, None, None, None)
    async with sessions() as s:
        assert (await s.scalars(select(ConcernEvent.action))).all() == ["created"]
    assert await outbox(sessions) == []


async def test_rights_are_checked_again_when_the_action_finishes(session, sessions):
    """The deputy starts answering; the chi bộ secretary escalates meanwhile; the answer is refused."""
    town = await build_town(session)
    concern = await add_concern(session, town, ConcernCategory.LAND)
    deputy, leader = town.chat(sessions, "deputy"), town.chat(sessions, "leader")
    await press(deputy, concern, "a")
    await press(leader, concern, "e")
    await leader.say("1")
    await deputy.say("Xã sẽ trả lời trong tuần")
    assert notice(deputy) == "Ý kiến PA-2026-00001 đã chuyển lên Chi bộ; cấp đó xử lý, bạn vẫn theo dõi được."
    assert (await load(sessions, concern.id)).status == ConcernStatus.FORWARDED


# --- the domain rules directly ----------------------------------------------------------------------------

async def test_status_transitions_are_validated(session):
    town = await build_town(session)
    concern = await add_concern(session, town, ConcernCategory.LAND)
    actor = town.world.leader.id
    with pytest.raises(Refused) as refused:
        await workflow.reopen(session, concern, actor_id=actor, reason="thử", now=NOW)
    assert refused.value.code == "not_reopenable"
    await workflow.close(session, concern, actor_id=actor, reason=CloseReason.WITHDRAWN, now=NOW)
    for attempt in (workflow.answer(session, concern, actor_id=actor, text="Trả lời", now=NOW),
                    workflow.take_on(session, concern, actor_id=actor, now=NOW, assignee_id=actor),
                    workflow.escalate(session, concern, actor_id=None, now=NOW),
                    workflow.add_note(session, concern, actor_id=actor, text="ghi chú", now=NOW)):
        with pytest.raises(Refused) as refused:
            await attempt
        assert refused.value.code == "closed"
    assert concern.answered_at is None and concern.close_reason == CloseReason.WITHDRAWN
    event = await workflow.reopen(session, concern, actor_id=actor, reason="Người dân nêu lại", now=NOW)
    assert (event.from_status, event.to_status, concern.status) == (
        ConcernStatus.CLOSED, ConcernStatus.NEW, ConcernStatus.NEW)
    automatic = await workflow.escalate(session, concern, actor_id=None, now=NOW, note="Quá hạn")
    assert (automatic.actor_id, concern.level) == (None, ConcernLevel.CHI_BO)
    await session.commit()
    entry = await session.scalar(select(AuditLog).where(AuditLog.action == "concern.escalated"))
    assert (entry.actor_id, entry.actor_label, entry.details["to_level"]) == (None, "system", "chi_bo")


async def test_who_sees_and_who_acts_at_each_level(session):
    town = await build_town(session)
    concern = await add_concern(session, town, ConcernCategory.LAND)
    world = town.world
    people = {"member": world.member, "leader": world.leader, "deputy": town.deputy, "khoi": town.khoi,
              "secretary": town.secretary, "other_leader": town.other_leader, "other_member": town.other_member}

    async def rights() -> dict[str, tuple[bool, bool]]:
        found = {}
        for name, person in people.items():
            access = await workflow.access(session, person.id, concern)
            found[name] = (access.sees, access.holds)
        return found

    no, sees, acts = (False, False), (True, False), (True, True)
    assert await rights() == {"member": sees, "leader": acts, "deputy": acts, "khoi": acts, "secretary": acts,
                              "other_leader": no, "other_member": no}
    await workflow.escalate(session, concern, actor_id=world.leader.id, now=NOW)
    assert await rights() == {"member": sees, "leader": acts, "deputy": sees, "khoi": acts, "secretary": acts,
                              "other_leader": no, "other_member": no}
    await workflow.escalate(session, concern, actor_id=world.leader.id, now=NOW)
    assert await rights() == {"member": sees, "leader": sees, "deputy": sees, "khoi": acts, "secretary": acts,
                              "other_leader": no, "other_member": no}
    # Given to a member of another village: they see it, may note and answer, nothing else.
    await workflow.take_on(session, concern, actor_id=town.khoi.id, now=NOW, assignee_id=town.other_member.id)
    access = await workflow.access(session, town.other_member.id, concern)
    assert (access.sees, access.holds, access.names_household(concern.category)) == (True, False, False)
    assert workflow.available(access, concern) == [workflow.Action.NOTE, workflow.Action.ANSWER]
    assert await workflow.find_visible(session, town.other_leader.id, concern.reference) is None
    assert (await workflow.find_visible(session, town.other_member.id, "pa-2026-00001")).id == concern.id
    page = await workflow.inbox(session, town.other_member.id)
    assert [row.concern.id for row in page.rows] == [concern.id]
