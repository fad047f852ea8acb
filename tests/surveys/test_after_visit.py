"""A saved visit offers the household's survey when one is due: one more button, no extra question, no extra statement."""

from __future__ import annotations

from models.visits.record import household_to_visit
from tests.dialog import Chat
from tests.engine.test_update_cost import VISIT, statements
from tests.surveys.world import water_survey
from tests.world import build_world


async def test_a_saved_visit_offers_the_survey_due_and_costs_no_more(engine, session, sessions, db_url):
    world = await build_world(session)
    await water_survey(session, world)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    for line, budget in VISIT:
        with statements(engine) as sent:
            await chat.say(line)
        assert len(sent) <= budget, f"{line!r}: {len(sent)} statements"
    assert chat.last[0].text.startswith("✅ Đã ghi thăm hộ")
    name = chat.last[0].text.split("hộ ", 1)[1].split(",")[0]
    assert [o.label for o in chat.last[-1].options] == ["📝 Ghi thăm hộ", "📋 Khảo sát hộ này", "🏠 Trang chính",
                                                         "↩ Hoàn tác"]
    await chat.transcript([("2", f"📋 Khảo sát nước sạch — hộ {name}\nCâu 1/3:"), ("Có", "Câu 2/3"), ("5", "Câu 3/3"),
                           ("Bỏ qua", f"✅ Đã lưu phiếu khảo sát “Khảo sát nước sạch” của hộ {name}.")])
    # Done: the next visit to the same household offers nothing more.
    household = next(h for h in world.households if h.head_name == name)
    async with sessions() as check:
        found = await household_to_visit(check, household.id, chat.now.date(), chat.now)
        assert found[3] is None
        other = next(h for h in world.households if h.head_name != name)
        assert (await household_to_visit(check, other.id, chat.now.date(), chat.now))[3] is not None


async def test_no_survey_no_button(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    for line, _budget in VISIT:
        await chat.say(line)
    assert [o.label for o in chat.last[-1].options] == ["📝 Ghi thăm hộ", "🏠 Trang chính", "↩ Hoàn tác"]
