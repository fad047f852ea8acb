"""The household picker and "🏠 Hộ tôi phụ trách": a search shows how many matched and pages
through all of them, labels keep the visit status whole, and 📨 marks an answer waiting."""

from __future__ import annotations

import datetime as dt

from core.text import fold
from handlers.households.picker import LABEL_MAX, household_label
from models.concerns import workflow
from models.concerns.record import record_concern
from models.enums import Channel, ConcernCategory, Urgency
from models.households.finding import HouseholdPick
from models.tables import Household
from tests.dialog import Chat
from tests.world import World, build_world

HINT = "Hoặc gõ một phần tên chủ hộ hoặc địa chỉ để tìm."
LOGGED = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)


def labels(chat: Chat) -> list[str]:
    return [o.label for o in chat.last[-1].options]


async def add_households(session, world: World, count: int, address: str) -> None:
    session.add_all(Household(commune_id=world.commune.id, village_id=world.village.id, nhom_id=world.nhom.id,
                              head_name=f"Hộ số {n:02d}", name_key=fold(f"Hộ số {n:02d}"), address=address,
                              address_key=fold(address), assigned_member_id=world.member.id)
                    for n in range(1, count + 1))
    await session.commit()


async def test_a_search_says_how_many_matched_and_pages_through_all(session, sessions):
    world = await build_world(session)
    await add_households(session, world, 19, "Xóm Mới")
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.say("1")
    await chat.say("xom moi")
    assert chat.last[-1].text == f"Kết quả tìm “xom moi”: 19 hộ, trang 1/3\n{HINT}"
    seen = labels(chat)[:8]
    assert labels(chat)[8:] == ["➡ Xem thêm", "↩ Danh sách hộ của tôi"]
    await chat.say("xem thêm")
    assert chat.last[-1].text == f"Kết quả tìm “xom moi”: 19 hộ, trang 2/3\n{HINT}"
    seen += labels(chat)[:8]
    assert labels(chat)[8:] == ["➡ Xem thêm", "↩ Về đầu kết quả", "↩ Danh sách hộ của tôi"]
    await chat.say(chat.option_number("Xem thêm"))
    assert chat.last[-1].text.startswith("Kết quả tìm “xom moi”: 19 hộ, trang 3/3")
    seen += labels(chat)[:3]
    assert labels(chat)[3:] == ["↩ Về đầu kết quả", "↩ Danh sách hộ của tôi"]
    assert sorted(seen) == [f"Hộ số {n:02d}, Xóm Mới (chưa thăm)" for n in range(1, 20)]
    await chat.say(chat.option_number("Về đầu kết quả"))
    assert chat.last[-1].text.startswith("Kết quả tìm “xom moi”: 19 hộ, trang 1/3")
    await chat.say("2")  # the second household of the first page
    assert chat.last[-1].text.startswith(f"Thăm hộ {seen[1].split(',')[0]} (hôm nay).")


async def test_a_new_search_starts_at_its_first_page(session, sessions):
    world = await build_world(session)
    await add_households(session, world, 10, "Xóm Mới")
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.say("1")
    await chat.say("xom moi")
    await chat.say("xem thêm")
    assert chat.last[-1].text.startswith("Kết quả tìm “xom moi”: 10 hộ, trang 2/2")
    await chat.say("ho so")
    assert chat.last[-1].text.startswith("Kết quả tìm “ho so”: 10 hộ, trang 1/2")


def test_a_long_label_keeps_its_visit_status_whole():
    never = HouseholdPick(1, "Nguyễn Thị Minh Nguyệt", "Số 12 ngõ 34 đường Trần Hưng Đạo, Xóm Giữa, Thôn Đồng Tâm",
                          None)
    label = household_label(never)
    assert label.endswith("…, (chưa thăm)") or label.endswith("… (chưa thăm)")
    assert label.startswith("Nguyễn Thị Minh Nguyệt, Số 12") and len(label) == LABEL_MAX
    visited = never._replace(last_visited_on=dt.date(2026, 11, 24), answer_waiting=True)
    label = household_label(visited)
    assert label.startswith("📨 Nguyễn Thị Minh Nguyệt") and label.endswith("… (24/11/2026)")
    assert len(label) == LABEL_MAX
    short = HouseholdPick(2, "Lê Văn Đức", "Xóm Đồng", None)
    assert household_label(short) == "Lê Văn Đức, Xóm Đồng (chưa thăm)"


async def test_households_with_an_answer_waiting_are_marked(session, sessions):
    world = await build_world(session)
    hung, lan = world.households[0], world.households[1]
    for household in (hung, lan):
        concern = await record_concern(
            session, reporter_id=world.member.id, commune_id=world.commune.id, village_id=world.village.id,
            nhom_id=household.nhom_id, household=household, several_households=False,
            category=ConcernCategory.INFRASTRUCTURE, urgency=Urgency.NORMAL,
            description="Đường vào xóm bị sụt lún.", photos=[], channel=Channel.TERMINAL, now=LOGGED)
        if household is hung:  # Lan's concern has no answer yet: nothing to pass on
            await workflow.answer(session, concern, actor_id=world.leader.id, text="Sẽ sửa trong tháng 12.",
                                  now=LOGGED + dt.timedelta(days=1))
    await session.commit()
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.say("Hộ tôi phụ trách")
    assert "📨 Nguyễn Văn Hùng — Xóm Trại, Thôn Đồng Tâm — chưa thăm" in chat.screen
    assert "📨: có câu trả lời chờ chuyển cho hộ" in chat.screen
    assert chat.screen.count("📨") == 2  # Hùng's line and the legend; Lan has no answer yet
    await chat.say("/menu")
    await chat.say("1")
    assert labels(chat)[1] == "📨 Nguyễn Văn Hùng, Xóm Trại, Thôn Đồng Tâm (chưa thăm)"
    assert sum("📨" in label for label in labels(chat)) == 1
    await chat.say("xom trai")  # a word of three labels: a search
    assert chat.last[-1].text.startswith("Kết quả tìm “xom trai”: 3 hộ")
    assert labels(chat)[0] == "📨 Nguyễn Văn Hùng, Xóm Trại, Thôn Đồng Tâm (chưa thăm)"
    assert sum("📨" in label for label in labels(chat)) == 1
