"""From "🗓 Hạn báo cáo" the commune's leads remind the units still owing a report; a mark is undone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models.enums import Channel
from models.tables import AuditLog, ChatIdentity, OutboxMessage, ReportSubmission
from tests.deadlines.test_deadlines import Calendar, _queued, _team_deadline, cal  # noqa: F401 (a fixture)
from tests.dialog import Chat


async def _terminal(sessions, person_id: int, name: str) -> Chat:
    async with sessions() as session:
        session.add(ChatIdentity(person_id=person_id, channel=Channel.TERMINAL, external_id=name, chat_id=name))
        await session.commit()
    return Chat(sessions, name)


async def test_the_secretary_reminds_the_units_once_a_day(sessions, cal: Calendar) -> None:
    deadline_id = await _team_deadline(sessions, cal.world)
    secretary = await _terminal(sessions, cal.secretary.id, "secretary")
    await secretary.say("/menu")
    await secretary.menu_entry("Hạn báo cáo")
    labels = [o.label for o in secretary.last[-1].options]
    assert "📣 Nhắc 1 đơn vị chưa nộp: Báo cáo tháng 11/2026" in labels
    assert "📣 Nhắc 1 đơn vị chưa nộp: Báo cáo tháng 10/2026" in labels  # overdue ones too
    await secretary.say(secretary.option_number("Nhắc 1 đơn vị chưa nộp: Báo cáo tháng 11/2026"))
    assert secretary.last[0].text == "📣 Báo cáo tháng 11/2026: đã nhắc 1 đơn vị chưa nộp."
    sent = await _queued(sessions, f"deadline_remind:{deadline_id}:{cal.world.team.id}:2026-11:2026-11-24")
    # the team's leader and deputy, who answer for its report; through the outbox, with the mark button
    assert sorted(m.person_id for m in sent) == sorted([cal.world.leader.id, cal.deputy.id])
    assert sent[0].payload["text"].startswith("📣 Lê Văn Bí Thư nhắc nộp báo cáo: Báo cáo tháng 11/2026\n"
                                              "Đơn vị: Tổ Dân vận cộng đồng thôn Đồng Tâm")
    assert sent[0].payload["options"] == [[f"rp:{deadline_id}:{cal.world.team.id}:2026-11", "✅ Đã nộp báo cáo"]]

    await secretary.say(choice=f"rn:{deadline_id}:2026-11")  # a second tap the same day
    assert secretary.last[0].text == ("📣 Báo cáo tháng 11/2026: đã nhắc 0 đơn vị chưa nộp.\n"
                                      "1 đơn vị đã được nhắc hôm nay, không nhắc lại.")
    assert len(await _queued(sessions, "deadline_remind:")) == 2
    secretary.now += dt.timedelta(days=1)  # the next day reminds again
    await secretary.say(choice=f"rn:{deadline_id}:2026-11")
    assert len(await _queued(sessions, "deadline_remind:")) == 4

    leader = Chat(sessions, "leader")  # a team leader may not remind the commune's units
    await leader.say(choice=f"rn:{deadline_id}:2026-11")
    assert "Chỉ trưởng khối dân vận và bí thư Đảng ủy xã mới nhắc được các đơn vị." in leader.screen
    await leader.say("/menu")
    await leader.menu_entry("Hạn báo cáo")
    assert not any(o.key.startswith("rn:") for o in leader.last[-1].options)
    async with sessions() as session:
        assert len((await session.scalars(select(OutboxMessage)
                                          .where(OutboxMessage.kind == "deadline_remind"))).all()) == 4
        assert await session.scalar(select(AuditLog).where(AuditLog.action == "remind_report_units"))


async def test_a_report_marked_submitted_by_mistake_is_taken_back(sessions, cal: Calendar) -> None:
    leader = Chat(sessions, "leader")
    await leader.say("/menu")
    await leader.menu_entry("Hạn báo cáo")
    await leader.say(leader.option_number("Báo cáo tháng 11/2026"))
    assert leader.last[0].text.startswith("✅ Đã ghi nhận: Báo cáo tháng 11/2026")
    assert [o.label for o in leader.last[-1].options] == ["🏠 Trang chính", "↩ Bỏ ghi nhận đã nộp"]
    await leader.say("2")  # taking the mark back by its number asks again, "no" first
    assert [o.label for o in leader.last[-1].options] == ["✖ Không, giữ nguyên", "↩ Bỏ ghi nhận đã nộp"]
    async with sessions() as session:
        assert len((await session.scalars(select(ReportSubmission))).all()) == 1
    await leader.say("2")
    assert leader.last[0].text == ("↩ Đã bỏ ghi nhận: Báo cáo tháng 11/2026 của Tổ Dân vận cộng đồng thôn Đồng Tâm "
                                   "chưa nộp. Bot sẽ nhắc lại theo lịch.")
    async with sessions() as session:
        assert (await session.scalars(select(ReportSubmission))).all() == []
    # … or later, from the screen, where a submitted report offers the same
    await leader.say("/menu")
    await leader.menu_entry("Hạn báo cáo")
    await leader.say(leader.option_number("Đã nộp: Báo cáo tháng 11/2026"))
    await leader.say("/menu")
    await leader.menu_entry("Hạn báo cáo")
    assert "• Báo cáo tháng 11/2026 — hạn 25/11/2026 — ✅ đã nộp" in leader.screen
    await leader.say(leader.option_number("Bỏ ghi nhận đã nộp: Báo cáo tháng 11/2026"))
    assert leader.last[0].text == "Bạn chọn “↩ Bỏ ghi nhận đã nộp: Báo cáo tháng 11/2026”. Chắc chắn chứ?"
    await leader.say(leader.option_number("Bỏ ghi nhận đã nộp"))
    assert leader.last[0].text.startswith("↩ Đã bỏ ghi nhận: Báo cáo tháng 11/2026")
    member = Chat(sessions, "member")  # only who may mark it may take the mark back
    deadline_id = await _team_deadline(sessions, cal.world)
    await member.say(choice=f"ru:{deadline_id}:{cal.world.team.id}:2026-11")
    assert "Chỉ người phụ trách báo cáo của Tổ Dân vận cộng đồng thôn Đồng Tâm" in member.screen
    async with sessions() as session:
        actions = (await session.scalars(select(AuditLog.action).where(AuditLog.entity_type == "report_submission")
                                         .order_by(AuditLog.id))).all()
    assert actions == ["mark_report_submitted", "unmark_report_submitted", "mark_report_submitted",
                       "unmark_report_submitted"]
