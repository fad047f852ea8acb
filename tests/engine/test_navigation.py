"""Moving around in the flows: back, cancel, a restart in the middle, expiry, stale buttons, /menu, /help."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.db import create_engine, session_factory
from models.enums import Urgency, VisitPurpose
from models.tables import Concern, ConversationState, Visit
from tests.dialog import Chat
from tests.world import build_world

MENU = "Chọn việc cần làm:"
HINT = "Hoặc gõ một phần tên chủ hộ hoặc địa chỉ để tìm."
PROMPTS = {
    ("visit", "household"): f"📝 Ghi thăm hộ — chọn hộ đã thăm:\n{HINT}",
    ("visit", "purpose"): ("Thăm hộ Hoàng Văn Nam (hôm nay). Mục đích thăm?\n"
                           "(Thăm vào ngày khác? Gõ ngày, ví dụ “hôm qua” hoặc “12/11”.)"),
    ("visit", "raised"): "Hộ có ý kiến, kiến nghị gì không?",
    ("visit", "note"): "Ghi chú ngắn (tối đa 500 ký tự), hoặc bỏ qua:",
    ("concern", "category"): "📣 Ghi ý kiến, kiến nghị\nLĩnh vực?",
    ("concern", "description"): "Nội dung ý kiến, kiến nghị (gõ vài câu; có thể gửi kèm ảnh):",
    ("concern", "urgency"): "Mức độ?",
    ("concern", "household"): f"Ý kiến của hộ nào?\n{HINT}",
}
# What to say, from the main menu, to reach each step.
ROUTES = {
    "visit": [("household", "1"), ("purpose", "1"), ("raised", "1"), ("note", "Không, thêm ghi chú")],
    "concern": [("category", "2"), ("description", "1"), ("urgency", "Đường làng có nhiều ổ gà"),
                ("household", "1")],
}
STEPS = [(flow, step) for flow, route in ROUTES.items() for step, _ in route]
STEP_IDS = [f"{flow}-{step}" for flow, step in STEPS]


async def reach(chat: Chat, flow: str, step: str) -> None:
    await chat.say("/menu")
    for name, line in ROUTES[flow]:
        await chat.say(line)
        assert chat.last[-1].text == PROMPTS[flow, name], chat.screen
        if name == step:
            return
    raise AssertionError(step)


async def count(sessions, model) -> int:
    async with sessions() as s:
        return await s.scalar(select(func.count()).select_from(model))


async def state(sessions, chat_id: str = "member") -> ConversationState:
    async with sessions() as s:
        return await s.scalar(select(ConversationState).where(ConversationState.chat_id == chat_id))


@pytest.mark.parametrize("flow, step", STEPS, ids=STEP_IDS)
async def test_back_returns_to_the_previous_question(session, sessions, flow, step):
    await build_world(session)
    chat = Chat(sessions, "member")
    names = [name for name, _ in ROUTES[flow]]
    index = names.index(step)
    for command in ["/quaylai", "/back"]:
        await reach(chat, flow, step)
        await chat.say(command)
        if index == 0:
            assert chat.last[-1].text == f"Đã quay lại trang chính.\n\n{MENU}", command
            assert (await state(sessions)).flow is None
        else:
            assert chat.last[-1].text == PROMPTS[flow, names[index - 1]], command
            saved = await state(sessions)
            assert (saved.flow, saved.step) == (flow, names[index - 1])
        assert await count(sessions, Visit) == 0 and await count(sessions, Concern) == 0


async def test_back_then_a_different_answer_is_what_is_saved(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await reach(chat, "visit", "note")
    for command, expected in [("/quaylai", "raised"), ("/back", "purpose"), ("/quaylai", "household")]:
        await chat.say(command)
        assert chat.last[-1].text == PROMPTS["visit", expected]
    hung = PROMPTS["visit", "purpose"].replace("Hoàng Văn Nam", "Nguyễn Văn Hùng")
    await chat.transcript([("Nguyễn Văn Hùng", hung), ("Hòa giải", PROMPTS["visit", "raised"])])
    await chat.say("/quaylai")
    assert chat.last[-1].text == hung
    await chat.transcript([("Khác", PROMPTS["visit", "raised"]), ("1", "Mục đích: Khác.")])
    async with sessions() as s:
        [visit] = (await s.scalars(select(Visit))).all()
    assert visit.purpose == VisitPurpose.OTHER

    await reach(chat, "concern", "household")
    await chat.transcript([("/back", PROMPTS["concern", "urgency"]), ("Khẩn", PROMPTS["concern", "household"])])
    assert chat.last[-1].text == PROMPTS["concern", "household"]
    await chat.transcript([("1", "Mức độ: Khẩn"), ("/quaylai", PROMPTS["concern", "household"]),
                           ("1", "Mức độ: Khẩn"), ("Lưu", "Mức độ: Khẩn.")])
    async with sessions() as s:
        [concern] = (await s.scalars(select(Concern))).all()
    assert concern.urgency == Urgency.URGENT and concern.description == "Đường làng có nhiều ổ gà"


@pytest.mark.parametrize("flow, step", STEPS, ids=STEP_IDS)
async def test_cancel_clears_the_flow_and_stores_nothing(session, sessions, flow, step):
    await build_world(session)
    chat = Chat(sessions, "member")
    for command in ["/huy", "/cancel"]:
        await reach(chat, flow, step)
        await chat.say(command)
        assert chat.last[-1].text == f"Đã hủy.\n\n{MENU}", command
        saved = await state(sessions)
        assert (saved.flow, saved.step, saved.expires_at) == (None, None, None)
        assert await count(sessions, Visit) == 0 and await count(sessions, Concern) == 0
        await chat.say(command)
        assert chat.last[-1].text == f"Không có việc gì đang làm dở.\n\n{MENU}"
        await chat.say("1")  # the menu again, not the cancelled step
        assert chat.last[-1].text == PROMPTS["visit", "household"]


async def test_a_restart_between_two_steps_resumes(session, sessions, db_url):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    await reach(chat, "visit", "purpose")

    engine = create_engine(db_url)  # a new process: new engine, new sessions, new chat object
    try:
        again = Chat(session_factory(engine), "member")
        again.now = chat.now + dt.timedelta(minutes=3)
        await again.say("Thăm hỏi")
        assert again.last[-1].text == PROMPTS["visit", "raised"]
        await again.say("1")
        assert again.last[0].text.startswith("✅ Đã ghi thăm hộ Hoàng Văn Nam")
        await again.say("1")  # the menu after the save: a new visit starts, nothing is repeated
    finally:
        await engine.dispose()
    async with sessions() as s:
        [visit] = (await s.scalars(select(Visit))).all()
    assert (visit.household_id, visit.purpose, visit.created_at) == (
        world.households[4].id, VisitPurpose.ENCOURAGE, chat.now + dt.timedelta(minutes=3))


async def test_an_abandoned_flow_expires_after_a_day(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await reach(chat, "visit", "purpose")
    chat.now += dt.timedelta(hours=23)
    await chat.say("/quaylai")  # still there after 23 hours
    assert chat.last[-1].text == PROMPTS["visit", "household"]
    await chat.say("1")
    chat.now += dt.timedelta(hours=25)
    await chat.say("1")
    assert chat.last[-1].text == f"Tôi chưa hiểu. Hãy chọn một mục:\n\n{MENU}"
    assert (await state(sessions)).flow is None
    assert await count(sessions, Visit) == 0
    await chat.say("1")
    assert chat.last[-1].text == PROMPTS["visit", "household"]


@pytest.mark.parametrize("flow, step", STEPS, ids=STEP_IDS)
async def test_a_stale_button_is_asked_again(session, sessions, flow, step):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    await reach(chat, flow, step)
    stale = ["p:other", "c:land", "u:urgent", "r:save", "m:visit", f"h:{world.households[0].id}", "pg:1", "anon",
             "n:skip", "undo:1", "x" * 64]
    # keys that this very screen offers are not stale
    offered = {o.key for o in chat.last[-1].options}
    for key in (k for k in stale if k not in offered):
        await chat.say(choice=key)
        assert chat.last[-1].text == f"Nút này đã cũ; hãy chọn lại.\n\n{PROMPTS[flow, step]}", key
        assert (await state(sessions)).step == step
    assert await count(sessions, Visit) == 0 and await count(sessions, Concern) == 0


async def test_a_stale_button_at_the_top_level_shows_the_menu(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    for key in ["p:other", "h:1", "r:save", "l:en"]:
        await chat.say(choice=key)
        assert chat.last[-1].text == f"Nút này đã cũ.\n\n{MENU}"
    # menu buttons of an older message still work
    await chat.say(choice="m:concern")
    assert chat.last[-1].text == PROMPTS["concern", "category"]


@pytest.mark.parametrize("flow, step", [("visit", "raised"), ("concern", "description")])
async def test_menu_and_help_work_mid_flow(session, sessions, flow, step):
    await build_world(session)
    chat = Chat(sessions, "member")
    await reach(chat, flow, step)
    await chat.say("/menu")
    assert chat.last[-1].text == MENU and len(chat.last) == 1
    assert (await state(sessions)).flow is None
    await reach(chat, flow, step)
    await chat.say("/help")
    assert chat.last[-1].text.startswith("Gần Dân giúp ghi thăm hộ và ý kiến của Nhân dân.\n")
    assert "/quaylai: quay lại bước trước · /huy: hủy việc đang làm · /menu: trang chính." in chat.last[-1].text
    assert "/tieptuc: hỏi lại câu đang dở" in chat.last[-1].text
    assert chat.last[-1].text.endswith(f"\n\n{PROMPTS[flow, step]}")  # help keeps the step
    assert (await state(sessions)).step == step
    await chat.say("/quaylai")  # …so going back still works after it
    assert (await state(sessions)).step != step
    await chat.say("/menu")
    await chat.say("/trogiup")
    assert chat.last[-1].text.startswith("Gần Dân giúp ghi thăm hộ") and chat.last[-1].text.endswith(MENU)
    await chat.say("/khonglenh")
    assert chat.last[-1].text == f"Không có lệnh /khonglenh.\n\n{MENU}"
    assert await count(sessions, Visit) == 0 and await count(sessions, Concern) == 0


@pytest.mark.parametrize("flow, step", STEPS, ids=STEP_IDS)
async def test_an_unknown_command_mid_flow_asks_the_same_step_again(session, sessions, flow, step):
    await build_world(session)
    chat = Chat(sessions, "member")
    await reach(chat, flow, step)
    await chat.say("/khonglenh")
    assert chat.last[-1].text == f"Không có lệnh /khonglenh.\n\n{PROMPTS[flow, step]}"
    saved = await state(sessions)
    assert (saved.flow, saved.step) == (flow, step)
    if step == "note":  # "1" is still "Bỏ qua" of this step, not an entry of a menu
        await chat.say("1")
        assert chat.last[0].text.startswith("✅ Đã ghi thăm hộ Hoàng Văn Nam")
    else:
        assert await count(sessions, Visit) == 0
    assert await count(sessions, Concern) == 0


async def test_the_24_hours_count_from_the_last_answer(session, sessions):
    import datetime as dt

    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.say("1")  # the visit flow starts
    chat.now += dt.timedelta(hours=20)
    await chat.say("1")  # a household, 20 hours later
    chat.now += dt.timedelta(hours=20)
    await chat.say("2")  # 40 hours after the start, 20 after the last answer: still going
    assert (await state(sessions)).step == "raised"


async def test_a_transcript_that_goes_astray_shows_the_whole_exchange(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    with pytest.raises(AssertionError) as failed:
        await chat.transcript([("/menu", MENU), ("1", "Mục đích thăm?")])
    message = str(failed.value)
    assert message.startswith("after '1' the bot did not show 'Mục đích thăm?'; the exchange so far:")
    assert f">>> /menu\n{MENU}" in message and f">>> 1\n{PROMPTS['visit', 'household']}" in message
