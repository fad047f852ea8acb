"""Nonsense at every step of the visit and concern flows: the same question again, nothing stored."""

import pytest
from sqlalchemy import func, select

from models.tables import Concern, ConversationState, Visit
from tests.dialog import Chat
from tests.world import build_world

HINT = "Hoặc gõ một phần tên chủ hộ hoặc địa chỉ để tìm."
LONG = ("Xin chào cán bộ " * 400)[:5000]
EMPTY, NINETY_NINE, ZERO, EMOJI, ENGLISH, CHINESE = "", "99", "0", "😀👍", "yes please", "是的"
TOO_LONG = "Tin nhắn quá dài (5000 ký tự)."
PICK_HOUSEHOLD = "Hãy chọn một số trong danh sách, hoặc gõ ít nhất 2 chữ để tìm."


def not_found(query: str) -> str:
    return f"Không tìm thấy hộ nào khớp “{query}”."


# flow, step, route from the menu, the step's prompt, and what each bad input gets as a notice
# (None: the typed text is a search, whose result replaces the picker's question above the hint).
STEPS = {
    "visit-household": ("visit", "household", ["1"], f"📝 Ghi thăm hộ — chọn hộ đã thăm:\n{HINT}", {
        EMPTY: PICK_HOUSEHOLD, NINETY_NINE: PICK_HOUSEHOLD, ZERO: PICK_HOUSEHOLD, EMOJI: PICK_HOUSEHOLD,
        ENGLISH: None, CHINESE: None}),
    "visit-purpose": ("visit", "purpose", ["1", "1"],
                      "Thăm hộ Hoàng Văn Nam (hôm nay). Mục đích thăm?\n"
                      "(Thăm vào ngày khác? Gõ ngày, ví dụ “hôm qua” hoặc “12/11”.)",
                      dict.fromkeys([EMPTY, NINETY_NINE, ZERO, EMOJI, ENGLISH, CHINESE],
                                    "Hãy chọn mục đích bằng số từ 1 đến 6.")),
    "visit-raised": ("visit", "raised", ["1", "1", "1"], "Hộ có ý kiến, kiến nghị gì không?",
                     dict.fromkeys([EMPTY, NINETY_NINE, ZERO, EMOJI, ENGLISH, CHINESE], "Hãy chọn 1, 2 hoặc 3.")),
    # A note is free text: any language is a note (see test_free_text_steps_take_any_language).
    "visit-note": ("visit", "note", ["1", "1", "1", "2"], "Ghi chú ngắn (tối đa 500 ký tự), hoặc bỏ qua:",
                   dict.fromkeys([EMPTY, NINETY_NINE, ZERO, EMOJI], "Ghi chú cần có chữ; hoặc chọn Bỏ qua.")),
    "concern-category": ("concern", "category", ["2"], "📣 Ghi ý kiến, kiến nghị\nLĩnh vực?",
                         dict.fromkeys([EMPTY, NINETY_NINE, ZERO, EMOJI, ENGLISH, CHINESE],
                                       "Hãy chọn lĩnh vực bằng số từ 1 đến 10.")),
    # A description is free text too: "yes please" is one; "是的" is too short.
    "concern-description": ("concern", "description", ["2", "1"],
                            "Nội dung ý kiến, kiến nghị (gõ vài câu; có thể gửi kèm ảnh):",
                            dict.fromkeys([EMPTY, NINETY_NINE, ZERO, EMOJI, CHINESE],
                                          "Hãy gõ nội dung bằng chữ (ít nhất 5 ký tự).")),
    "concern-urgency": ("concern", "urgency", ["2", "1", "Đường làng có nhiều ổ gà"], "Mức độ?",
                        dict.fromkeys([EMPTY, NINETY_NINE, ZERO, EMOJI, ENGLISH, CHINESE],
                                      "Hãy chọn 1 (Bình thường) hoặc 2 (Khẩn).")),
    "concern-household": ("concern", "household", ["2", "1", "Đường làng có nhiều ổ gà", "1"],
                          f"Ý kiến của hộ nào?\n{HINT}", {
                              EMPTY: PICK_HOUSEHOLD, NINETY_NINE: PICK_HOUSEHOLD, ZERO: PICK_HOUSEHOLD,
                              EMOJI: PICK_HOUSEHOLD, ENGLISH: None, CHINESE: None}),
}


async def counts(sessions) -> tuple[int, int]:
    async with sessions() as s:
        return (await s.scalar(select(func.count()).select_from(Visit)),
                await s.scalar(select(func.count()).select_from(Concern)))


async def current_step(sessions) -> tuple[str | None, str | None]:
    async with sessions() as s:
        state = await s.scalar(select(ConversationState).where(ConversationState.chat_id == "member"))
        return state.flow, state.step


@pytest.mark.parametrize("name", list(STEPS))
async def test_bad_input_asks_the_same_question_again(session, sessions, name):
    flow, step, route, prompt, notices = STEPS[name]
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    for line in route:
        await chat.say(line)
    assert chat.last[-1].text == prompt

    # searches last: after one, the picker shows its result instead of the question
    inputs = [(t, n) for t, n in notices.items() if n] + [(LONG, TOO_LONG)] + [(t, n) for t, n in notices.items()
                                                                               if n is None]
    for typed, notice in inputs:
        replies = await chat.say(typed)
        shown = f"{typed[:20]!r} at {name}:\n{chat.screen}"
        assert len(replies) == 1, shown
        if notice is None:
            assert replies[0].text == f"{not_found(typed)}\n{HINT}", shown
            assert [o.label for o in replies[0].options][0] == "↩ Danh sách hộ của tôi", shown
        else:
            assert replies[0].text == f"{notice}\n\n{prompt}", shown
        assert await current_step(sessions) == (flow, step), shown
        assert await counts(sessions) == (0, 0), shown
    assert LONG not in str(await _state_data(sessions))


async def _state_data(sessions) -> dict:
    async with sessions() as s:
        return (await s.scalar(select(ConversationState).where(ConversationState.chat_id == "member"))).data


async def test_free_text_steps_take_any_language(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    for line in ["/menu", "1", "1", "1", "2", "是的, cảm ơn"]:
        await chat.say(line)
    assert "Ghi chú: 是的, cảm ơn" in chat.last[0].text
    for line in ["/menu", "2", "1", "yes please", "1", "1", "1"]:
        await chat.say(line)
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001")
    async with sessions() as s:
        assert (await s.scalar(select(Visit.note))) == "是的, cảm ơn"
        assert (await s.scalar(select(Concern.description))) == "yes please"
