"""The read-only screens of the main menu, the leader's extra entry, and switching language."""

import datetime as dt

from sqlalchemy import select

from core.i18n import translations
from models.enums import ConcernStatus, MeetingStatus, UnitKind, VisitPurpose
from models.tables import AuditLog, Concern, Meeting, Person, Visit
from models.units import tree
from tests.dialog import Chat
from tests.world import build_world

MENU_LABELS = ["📝 Ghi thăm hộ", "📣 Ghi ý kiến, kiến nghị", "🏠 Hộ tôi phụ trách", "📋 Báo cáo của tôi",
               "📅 Lịch họp", "🤝 Vận động", "📋 Khảo sát", "🗂 Mục khác…"]
LEADER_LABELS = [*MENU_LABELS[:5], "📂 Ý kiến đang mở"]  # then other leader entries, then the language


TWO_CONCERNS = [
    ("/menu", "Chọn việc cần làm:"), ("2", "Lĩnh vực?"), ("Đất đai", "Nội dung ý kiến"),
    ("Tranh chấp lối đi chung giữa hai hộ", "Mức độ?"), ("1", "Ý kiến của hộ nào?"),
    ("1", "📋 Kiểm tra trước khi lưu:"), ("1", "✅ Đã ghi ý kiến PA-2026-00001"),
    ("/menu", "Chọn việc cần làm:"), ("2", "Lĩnh vực?"), ("Môi trường", "Nội dung ý kiến"),
    ("Rác thải đổ ra mương", "Mức độ?"), ("Khẩn", "Ý kiến của hộ nào?"),
    ("Ẩn danh", "Hộ: ẩn danh / nhiều hộ"), ("Lưu", "✅ Đã ghi ý kiến PA-2026-00002 (ẩn danh / nhiều hộ)"),
]


def visit(household: str, purpose: str, *, day: str | None = None) -> list[tuple[str, str]]:
    """From the menu to a visit saved with no note."""
    dated = [(day, "Ngày thăm:")] if day else []
    return [("/menu", "Chọn việc cần làm:"), ("1", "📝 Ghi thăm hộ — chọn hộ đã thăm:"), (household, "Mục đích thăm?"),
            *dated, (purpose, "Hộ có ý kiến, kiến nghị gì không?"), ("1", "✅ Đã ghi thăm hộ")]


def labels(chat: Chat) -> list[str]:
    return [o.label for o in chat.last[-1].options]


async def open_screen(chat: Chat, label: str) -> str:
    await chat.say("/menu")
    await chat.say(chat.option_number(label))
    assert len(chat.last) == 2 and chat.last[-1].text == "Chọn việc cần làm:"  # the screen, then the menu
    return chat.last[0].text


async def test_my_households_oldest_visit_first(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    assert await open_screen(chat, "Hộ tôi phụ trách") == "\n".join([
        "🏠 Hộ bạn phụ trách (8 hộ, lâu chưa thăm nhất ở trên):",
        "• Hoàng Văn Nam — Xóm Giữa, Thôn Đồng Tâm — chưa thăm",
        "• Nguyễn Văn Hùng — Xóm Trại, Thôn Đồng Tâm — chưa thăm",
        "• Đặng Văn Tâm — Xóm Trại, Thôn Đồng Tâm — 1/8/2026",
        "• Lê Văn Đức — Xóm Đồng, Thôn Đồng Tâm — 1/9/2026",
        "• Phạm Thị Hoa — Xóm Trại, Thôn Đồng Tâm — 15/10/2026",
        "• Vũ Thị Mai — Xóm Đồng, Thôn Đồng Tâm — 1/11/2026",
        "• Bùi Thị Thu — Xóm Giữa, Thôn Đồng Tâm — 10/11/2026",
        "• Trần Thị Lan — Xóm Giữa, Thôn Đồng Tâm — 20/11/2026",
    ])
    assert "Ngô Văn Xa" not in chat.screen
    leader = Chat(sessions, "leader")
    assert await open_screen(leader, "Hộ tôi phụ trách") == "Bạn chưa được giao hộ nào."


async def test_my_reports_of_the_last_thirty_days(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    assert await open_screen(chat, "Báo cáo của tôi") == "30 ngày qua bạn chưa ghi lượt thăm hay ý kiến nào."

    await chat.transcript(visit("1", "1"))  # Nam today, propaganda
    await chat.transcript([*visit("Nguyễn Văn Hùng", "Thăm hỏi", day="hôm qua")])
    await chat.transcript([*visit("Đặng Văn Tâm", "1"), ("Hoàn tác", "Đã hoàn tác")])  # undone: not in the report
    await chat.transcript(TWO_CONCERNS)
    async with sessions() as s:
        session_concerns = (await s.scalars(select(Concern).order_by(Concern.id))).all()
        (await s.get(Concern, session_concerns[1].id)).status = ConcernStatus.IN_PROGRESS
        old = chat.now - dt.timedelta(days=31)
        s.add(Visit(household_id=world.households[2].id, person_id=world.member.id, nhom_id=world.nhom.id,
                    village_id=world.village.id, commune_id=world.commune.id, visited_on=old.date(),
                    purpose=VisitPurpose.MEDIATE, created_at=old))
        s.add(Concern(reference="PA-2026-00099", commune_id=world.commune.id, village_id=world.village.id,
                      reporter_id=world.member.id, category="land", urgency="normal", description="cũ",
                      due_at=old, created_at=old, updated_at=old))
        await s.commit()

    assert await open_screen(chat, "Báo cáo của tôi") == "\n".join([
        "📋 Báo cáo của tôi (30 ngày qua)",
        "Lượt thăm: 2",
        "• 24/11/2026 Hoàng Văn Nam — Tuyên truyền chủ trương, chính sách",
        "• 23/11/2026 Nguyễn Văn Hùng — Thăm hỏi, động viên",
        "Ý kiến, kiến nghị: 2",
        "• PA-2026-00001 Đất đai — Mới tiếp nhận",
        "• PA-2026-00002 Môi trường, vệ sinh — Đang giải quyết",
    ])
    # someone else's report is their own
    leader = Chat(sessions, "leader")
    assert await open_screen(leader, "Báo cáo của tôi") == "30 ngày qua bạn chưa ghi lượt thăm hay ý kiến nào."


async def test_meetings(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    assert await open_screen(chat, "Lịch họp") == "📅 Chưa có lịch họp giao ban sắp tới."

    other_village = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Bắc", world.commune)
    other_team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Dân vận cộng đồng thôn Bắc", other_village)
    session.add_all([
        Meeting(team_id=world.team.id, starts_at=dt.datetime(2026, 11, 28, 12, 30, tzinfo=dt.UTC),
                place="Nhà văn hóa thôn"),
        Meeting(team_id=world.team.id, starts_at=chat.now - dt.timedelta(days=1)),  # past
        Meeting(team_id=world.team.id, starts_at=chat.now + dt.timedelta(days=2), status=MeetingStatus.CANCELLED),
        Meeting(team_id=other_team.id, starts_at=chat.now + dt.timedelta(days=3)),  # another village
    ])
    await session.commit()
    expected = ("📅 Lịch họp sắp tới:\n"
                "• ngày 28 tháng 11 năm 2026 lúc 19:30 — Tổ Dân vận cộng đồng thôn Đồng Tâm, Nhà văn hóa thôn\n"
                "  Bạn chưa trả lời có tham dự không.")
    await chat.say("/menu")
    await chat.menu_entry("Lịch họp")  # its own choices: the answer (tests/meetings/test_members_answer.py)
    assert chat.last[-1].text == expected and labels(chat) == ["✅ Tham dự 28/11/2026", "🚫 Vắng 28/11/2026",
                                                                "🏠 Trang chính"]
    leader = Chat(sessions, "leader")  # a team leader gets the meeting menu (tests/meetings/test_meetings.py)
    await leader.say("/menu")
    await leader.menu_entry("Lịch họp")
    assert "Buổi tới: ngày 28 tháng 11 năm 2026 lúc 19:30, tại Nhà văn hóa thôn." in leader.screen


async def test_only_leaders_see_open_concerns(session, sessions):
    """The menu entry; the inbox itself is tested in tests/concerns/test_lifecycle.py."""
    await build_world(session)
    member, leader = Chat(sessions, "member"), Chat(sessions, "leader")
    await member.say("/menu")
    assert labels(member) == MENU_LABELS
    assert "📂 Ý kiến đang mở" not in member.screen
    await member.say(choice="m:open")  # a forged or old button
    assert member.last[0].text == "Mục này dành cho tổ trưởng và lãnh đạo xã.\n\nChọn việc cần làm:"
    menu = await leader.menu_labels()
    assert menu[:6] == LEADER_LABELS and menu[-1] == "🌐 Ngôn ngữ"
    await leader.menu_entry("Ý kiến đang mở")
    assert leader.last[-1].text.splitlines()[:2] == ["📂 Ý kiến đang mở (khẩn trước, gần hạn trước)",
                                                     "Không có ý kiến nào."]

    await member.transcript(TWO_CONCERNS)
    await leader.say("/menu")
    await leader.menu_entry("Ý kiến đang mở")
    assert leader.last[-1].text.splitlines()[1:3] == [
        "• ‼ PA-2026-00002 · Môi trường, vệ sinh · Thôn Đồng Tâm · Mới tiếp nhận · còn 3 ngày",
        "• PA-2026-00001 · Đất đai · Thôn Đồng Tâm · Mới tiếp nhận · còn 30 ngày",
    ]
    leader.now += dt.timedelta(days=5)
    await leader.say("/menu")
    await leader.menu_entry("Ý kiến đang mở")
    assert "• ‼ PA-2026-00002 · Môi trường, vệ sinh · Thôn Đồng Tâm · Mới tiếp nhận · quá hạn 2 ngày" in \
        leader.last[-1].text


async def test_switching_to_english_and_back(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Ngôn ngữ")  # one level down, under 🗂 Mục khác…
    assert chat.screen == "🌐 Chọn ngôn ngữ:\n\n1. Tiếng Việt\n2. English"
    await chat.say("English")
    english = translations("en").gettext
    assert chat.last[0].text == english("Đã chuyển sang tiếng Việt.")
    assert chat.last[-1].text == english("Chọn việc cần làm:")
    assert labels(chat) == [english(label) for label in MENU_LABELS]
    # the English catalog's own words, not the Vietnamese ids passed through untranslated
    assert [chat.last[0].text, chat.last[-1].text, labels(chat)[0]] == [
        "Switched to English.", "What would you like to do?", "📝 Log a visit"]
    async with sessions() as s:
        assert (await s.get(Person, world.member.id)).locale == "en"
        [entry] = (await s.scalars(select(AuditLog).where(AuditLog.action == "set_language"))).all()
        assert (entry.entity_id, entry.actor_id, entry.details) == (world.member.id, world.member.id, {"locale": "en"})

    # later replies stay in English: the visit picker
    await chat.say("1")
    assert chat.last[-1].text.startswith(english("📝 Ghi thăm hộ — chọn hộ đã thăm:"))
    await chat.say("/menu")
    await chat.menu_entry("Language")  # under 🗂 More…, in English now
    await chat.say("Tiếng Việt")
    assert chat.last[0].text == "Đã chuyển sang tiếng Việt."
    assert labels(chat) == MENU_LABELS
    async with sessions() as s:
        assert (await s.get(Person, world.member.id)).locale == "vi"
