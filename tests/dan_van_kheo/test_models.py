"""“Dân vận khéo” models: proposed by a team leader, reviewed by the khối dân vận head, listed when approved."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models.dan_van_kheo import figures
from models.enums import Channel, ModelField, ModelStatus, Role
from models.tables import ChatIdentity, GoodPracticeModel, Membership, OutboxMessage, Person
from tests.dialog import Chat
from tests.world import build_world


async def add_head(session, world) -> Person:
    head = Person(full_name="Trưởng Khối", name_key="truong khoi", commune_id=world.commune.id)
    session.add(head)
    await session.flush()
    session.add_all([Membership(person_id=head.id, unit_id=world.commune.id, role=Role.KHOI_DAN_VAN_HEAD),
                     ChatIdentity(person_id=head.id, channel=Channel.TERMINAL, external_id="head", chat_id="head")])
    await session.commit()
    return head


async def propose(chat: Chat, name: str = "Con đường bích họa") -> None:
    await chat.say("/menu")
    await chat.menu_entry("Dân vận khéo")
    await chat.transcript([
        ("Đề xuất mô hình", "🌟 Đề xuất mô hình “Dân vận khéo” — gõ tên mô hình"),
        (name, "Lĩnh vực của mô hình?"),
        ("9", "Hãy chọn lĩnh vực bằng số từ 1 đến 6."),
        ("Môi trường, nông thôn mới", "Mô hình làm gì"),
        ("Sơn tường", "ít nhất 20 ký tự"),
        ("Thanh niên và hội phụ nữ vẽ tranh trên 300 m tường dọc đường thôn, các hộ góp sơn.", "Gửi một ảnh"),
    ])
    await chat.say("", photo="photo-ref-1")
    assert "Xem lại đề xuất:" in chat.screen and "Ảnh: có" in chat.screen
    await chat.transcript([("Gửi đề xuất", "✅ Đã gửi đề xuất mô hình")])


async def test_propose_approve_and_list(session, sessions):
    world = await build_world(session)
    head = await add_head(session, world)
    leader = Chat(sessions, "leader")
    await propose(leader)
    model = await session.scalar(select(GoodPracticeModel))
    assert (model.status, model.field, model.village_id, model.photo_ref) == (
        ModelStatus.PROPOSED, ModelField.ENVIRONMENT, world.village.id, "photo-ref-1")
    notice = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "dvk_proposed"))
    assert notice.person_id == head.id and "Con đường bích họa" in notice.payload["text"]
    assert notice.payload["options"] == [[f"dvk:{model.id}", "Duyệt / trả lại"]]
    # the head answers on the notice's button
    chat = Chat(sessions, "head")
    await chat.say("/menu")
    await chat.say(choice=f"dvk:{model.id}")
    assert "🌟 Con đường bích họa" in chat.screen
    await chat.transcript([("Duyệt", "Lời nhắn cho tổ"), ("Bỏ qua", "✅ Đã duyệt mô hình “Con đường bích họa”")])
    async with sessions() as fresh:
        model = await fresh.get(GoodPracticeModel, model.id)
        assert model.status == ModelStatus.APPROVED and model.reviewed_by == head.id
        told = await fresh.scalar(select(OutboxMessage).where(OutboxMessage.kind == "dvk_reviewed"))
        assert told.person_id == world.leader.id and "đã được duyệt" in told.payload["text"]
    # a second press of the old button is stale
    await chat.say(choice=f"dvk:{model.id}")
    assert "Nút này đã cũ." in chat.screen
    # listed by village and field for the team leader
    await leader.say("/menu")
    await leader.menu_entry("Dân vận khéo")
    assert "🏘 Thôn Đồng Tâm\n  Môi trường, nông thôn mới:\n  • Con đường bích họa (duyệt 24/11/2026)" in leader.screen


async def test_returned_with_a_note_and_who_may_do_what(session, sessions):
    world = await build_world(session)
    await add_head(session, world)
    member = Chat(sessions, "member")
    await member.say("/menu")
    assert "Dân vận khéo" not in member.screen
    await member.say(choice="m:dvknew")
    assert "Đề xuất mô hình “Dân vận khéo” dành cho tổ trưởng." in member.screen
    await propose(Chat(sessions, "leader"), "Tổ hòa giải giỏi")
    model = await session.scalar(select(GoodPracticeModel))
    # the team leader may not review it
    leader = Chat(sessions, "leader")
    await leader.say(choice=f"dvk:{model.id}")
    assert "Nút này đã cũ." in leader.screen
    head = Chat(sessions, "head")
    await head.say("/menu")
    await head.menu_entry("Dân vận khéo")
    assert "⏳ Chờ duyệt: 1" in head.screen
    await head.transcript([("Duyệt: Tổ hòa giải giỏi", "🌟 Tổ hòa giải giỏi"),
                           ("Trả lại", "Cần bổ sung gì?"), ("", "Ghi chú cần có chữ."),
                           ("Bổ sung số vụ hòa giải thành trong năm", "↩ Đã trả lại mô hình “Tổ hòa giải giỏi”")])
    async with sessions() as fresh:
        model = await fresh.get(GoodPracticeModel, model.id)
        assert model.status == ModelStatus.RETURNED and model.review_note == "Bổ sung số vụ hòa giải thành trong năm"
        told = await fresh.scalar(select(OutboxMessage).where(OutboxMessage.kind == "dvk_reviewed"))
        assert "Ghi chú: Bổ sung số vụ hòa giải thành trong năm" in told.payload["text"]
        assert await figures.approved(fresh, world.commune) == []


async def test_figures_for_reports_by_period(session):
    world = await build_world(session)
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    for name, field, reviewed, status in (
        ("A", ModelField.ECONOMY, at, ModelStatus.APPROVED),
        ("B", ModelField.ECONOMY, at + dt.timedelta(days=150), ModelStatus.APPROVED),
        ("C", ModelField.SECURITY, at + dt.timedelta(days=160), ModelStatus.APPROVED),
        ("D", ModelField.SECURITY, at + dt.timedelta(days=160), ModelStatus.RETURNED),
    ):
        session.add(GoodPracticeModel(commune_id=world.commune.id, village_id=world.village.id, team_id=world.team.id,
                                      name=name, field=field, description="x" * 30, status=status,
                                      proposed_by=world.leader.id, proposed_at=at, reviewed_at=reviewed))
    await session.commit()
    # by hand: second half of 2026 (1/7–31/12): B (28/7) and C (7/8) approved in it; A before; D returned
    (line,) = await figures.figures_for_period(session, world.commune, dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert (line.village_id, line.team_id, line.approved_in_period, line.approved_by_end) == (
        world.village.id, world.team.id, 2, 3)
    assert line.by_field == {ModelField.ECONOMY: 2, ModelField.SECURITY: 1}
    (first_half,) = await figures.figures_for_period(session, world.team, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert (first_half.approved_in_period, first_half.approved_by_end) == (1, 1)
    assert await figures.approved_count(session, [world.village.id]) == {world.village.id: 3}


async def test_on_zalo_by_numbers_and_a_long_list_pages(session, sessions):
    from handlers.engine.types import render_numbered

    world = await build_world(session)
    session.add(ChatIdentity(person_id=world.leader.id, channel=Channel.ZALO, external_id="z1", chat_id="z1"))
    at = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    for index in range(80):
        session.add(GoodPracticeModel(commune_id=world.commune.id, village_id=world.village.id, team_id=world.team.id,
                                      name=f"Mô hình số {index + 1:02d} về đoàn kết xóm giềng và giữ gìn vệ sinh",
                                      field=list(ModelField)[index % 6], description="x" * 30,
                                      status=ModelStatus.APPROVED, proposed_by=world.leader.id, proposed_at=at,
                                      reviewed_at=at))
    await session.commit()
    chat = Chat(sessions, "z1", channel=Channel.ZALO)
    await chat.say("/menu")
    await chat.menu_entry("Dân vận khéo")  # typed as a number, as on Zalo
    assert "🌟 Mô hình “Dân vận khéo” đã duyệt — Thôn Đồng Tâm: 80" in chat.screen
    assert all(len(render_numbered(reply)) <= 2000 for reply in chat.last)
    assert "▶ Xem tiếp" in chat.screen
    seen = 0
    while "▶ Xem tiếp" in chat.screen:
        seen += chat.screen.count("• Mô hình số")
        await chat.say(chat.option_number("Xem tiếp"))
        assert all(len(render_numbered(reply)) <= 2000 for reply in chat.last)
    seen += chat.screen.count("• Mô hình số")
    assert seen == 80
    # the last page brings the screen's own choices: proposing, by number
    await chat.transcript([(chat.option_number("Đề xuất mô hình"), "gõ tên mô hình")])
