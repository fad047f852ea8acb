"""The evaluation in the chat, as transcripts: 📈 Xếp loại dự kiến for a team leader and the commune,
the khối dân vận head scoring by hand (bad input answered with the rule), and confirming the year."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models.enums import OutboxStatus
from models.tables import EvaluationHandScore, EvaluationResult, OutboxMessage
from tests.dialog import Chat
from tests.evaluation.world import NOW, build_year


@pytest.fixture
async def year(session):
    return await build_year(session)


async def test_a_team_leader_sees_the_score_so_far_and_what_would_raise_it(sessions, year):
    chat = Chat(sessions, "la", now=NOW)
    await chat.say("/menu")
    await chat.menu_entry("Xếp loại dự kiến")
    screen = chat.screen
    assert "📈 Tổ Dân vận Thôn An — năm 2026 (đến hết 20/11/2026)" in screen
    assert "Điểm: 38,9/100 điểm — Yếu · hạng 1/2" in screen
    assert "Năm trước: " in screen  # 2025, recomputed: nothing was confirmed
    assert "• Họp giao ban hằng tháng: 10/11 cuộc họp — 12,3/15" in screen
    assert "Đây là bộ tiêu chí mẫu" in screen
    todo = screen.split("Việc nên làm để tăng điểm:")[1].split("\n\n")[0]
    assert todo.strip().splitlines() == ["• 2 ý kiến trả lời quá hạn", "• Nhóm 1: 1 hộ chưa được thăm năm nay",
                                         "• 2 hộ đã quá 60 ngày chưa được thăm"]
    assert "Thôn Bình" not in screen  # another team's score is not theirs to see


async def test_a_member_has_no_such_entry(sessions, year):
    chat = Chat(sessions, "ma1", now=NOW)
    assert "📈 Xếp loại dự kiến" not in await chat.menu_labels()


async def test_the_commune_sees_every_team_and_the_head_scores_by_hand(sessions, year):
    secretary = Chat(sessions, "sec", now=NOW)
    await secretary.say("/menu")
    await secretary.menu_entry("Xếp loại dự kiến")
    assert "1. Thôn An — 38,9/100 điểm — Yếu" in secretary.screen and "2. Thôn Bình — 16/100 điểm — Yếu" in secretary.screen
    assert "Chấm điểm" not in secretary.screen  # the khối dân vận head's alone

    head = Chat(sessions, "khoi", now=NOW)
    await head.say("/menu")
    await head.menu_entry("Xếp loại dự kiến")
    assert "✍ Chấm điểm tiêu chí chấm tay" in head.screen and "✅ Xác nhận kết quả năm 2026" in head.screen
    await head.transcript([
        (head.option_number("Chấm điểm"), "✍ Tổ Dân vận Thôn An (tổ 1/2), năm 2026\nTiêu chí: Tổ chức giám sát (tối đa 5 điểm)"),
        ("nhiều", "Gõ số điểm từ 0 đến 5"),
        ("7", "Điểm “Tổ chức giám sát” phải từ 0 đến 5. Gõ số điểm từ 0 đến 5"),
        ("4 Đã tổ chức 2 cuộc giám sát", "Tiêu chí: Mô hình “Dân vận khéo” (tối đa 10 điểm)"),
        ("bỏ qua", "Tiêu chí: Hòa giải mâu thuẫn trong Nhân dân (tối đa 5 điểm)"),
        ("2,5", "Tiêu chí: Điểm trừ (điểm nóng, vụ việc phức tạp) (tối đa 0 điểm)"),
        ("-3 Điểm nóng đất đai", "✍ Tổ Dân vận Thôn Bình (tổ 2/2)"),
        ("/huy", ""),
    ])
    async with sessions() as session:
        rows = {(r.code, r.points, r.note) for r in await session.scalars(select(EvaluationHandScore))}
        assert rows == {("GS", 4, "Đã tổ chức 2 cuộc giám sát"), ("HG", 2.5, None), ("TRU", -3, "Điểm nóng đất đai")}
    await head.say("/menu")
    await head.menu_entry("Xếp loại dự kiến")
    assert "1. Thôn An — 42,4/100 điểm — Yếu" in head.screen  # 38,9 + 4 + 2,5 − 3


async def test_the_head_confirms_the_year_and_it_is_sent(sessions, year):
    head = Chat(sessions, "khoi", now=NOW)
    await head.say("/menu")
    await head.menu_entry("Xếp loại dự kiến")
    await head.transcript([
        (head.option_number("Xác nhận kết quả"), "Xác nhận kết quả năm 2026?"),
        ("Chưa, để xem lại", "Chưa xác nhận."),
    ])
    async with sessions() as session:
        assert (await session.scalars(select(EvaluationResult))).all() == []
    await head.say("/menu")
    await head.menu_entry("Xếp loại dự kiến")
    await head.transcript([
        (head.option_number("Xác nhận kết quả"), "🏆 Xếp loại Tổ Dân vận cộng đồng — Xã Phúc Sơn, năm 2026 (đến hết 20/11/2026)"),
        ("2", "Chắc chắn chứ?"),  # a bare number never confirms what cannot be taken back
        ("2", "✅ Đã xác nhận kết quả năm 2026: 2 tổ. Đã gửi cho 2 tổ trưởng, tổ phó; bảng xếp loại gửi riêng cho 4 "
              "người của khối dân vận (xã chưa gắn nhóm)."),
    ])
    async with sessions() as session:
        sent = (await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "evaluation_result"))).all()
        cards = [m for m in sent if ":t" in m.idempotency_key]
        assert sorted(m.chat_id for m in cards) == ["la", "lb"] and all(m.status == OutboxStatus.QUEUED for m in sent)
        assert "Điểm: 38,9/100 điểm — Yếu" in next(m for m in cards if m.chat_id == "la").payload["text"]
        # no khối dân vận group: the ranking goes to the people who make it up, the team leaders among them
        ranking = [m for m in sent if ":t" not in m.idempotency_key]
        assert len(ranking) == 4 and {"la", "lb"} <= {m.chat_id for m in ranking}
        assert all(m.payload["text"].startswith("✅ Kết quả đánh giá") and "🏆" in m.payload["text"] for m in ranking)
        # Frozen: a hand score given now is refused, and the screen says so.
        result = await session.scalar(select(EvaluationResult))
        assert result.data["cards"][0]["total"] == 38.9
    await head.say("/menu")
    await head.menu_entry("Xếp loại dự kiến")
    assert "năm 2026 (đã xác nhận)" in head.screen and "Chấm điểm" not in head.screen


async def test_confirming_waits_for_the_period_to_end(sessions, year):
    head = Chat(sessions, "khoi", now=dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC))
    await head.say("/menu")
    await head.menu_entry("Xếp loại dự kiến")
    assert "năm 2026 (tính đến 10/11/2026)" in head.screen and "Xác nhận kết quả năm 2026" not in head.screen
    # Last year's, never confirmed, is what can be confirmed until then.
    await head.transcript([(head.option_number("Xác nhận kết quả năm 2025"), "Xác nhận kết quả năm 2025?")])


async def test_the_monthly_digest_carries_the_running_score(sessions, year):
    chat = Chat(sessions, "la", now=NOW)
    await chat.transcript([("/tonghop", "📈 Xếp loại dự kiến năm 2026: 38,9/100 điểm — Yếu (hạng 1/2)")])


async def test_concerns_about_to_fall_due_come_first(sessions, year):
    from models.enums import ConcernCategory, ConcernStatus, Urgency
    from models.tables import Concern

    async with sessions() as session:  # Thôn Bình's first concern, due in 3 days: its 10 points at stake
        session.add(Concern(reference="PA-2026-00099", commune_id=year.commune.id, village_id=year.units["B"].id,
                            reporter_id=year.people["mb1"].id, category=ConcernCategory.LAND, urgency=Urgency.NORMAL,
                            status=ConcernStatus.NEW, description="…", created_at=NOW - dt.timedelta(days=5),
                            due_at=NOW + dt.timedelta(days=3)))
        await session.commit()
    chat = Chat(sessions, "lb", now=NOW)
    await chat.say("/menu")
    await chat.menu_entry("Xếp loại dự kiến")
    todo = chat.screen.split("Việc nên làm để tăng điểm:")[1].split("\n\n")[0].strip().splitlines()
    assert todo[0] == "• 1 ý kiến sắp quá hạn" and len(todo) == 3
