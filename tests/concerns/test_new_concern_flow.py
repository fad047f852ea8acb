"""Logging a citizen's concern through the real engine and database."""

import datetime as dt

from sqlalchemy import select

from models.concerns.time_limits import DEFAULT_DUE_DAYS
from models.enums import Channel, ConcernCategory, ConcernStatus, Urgency
from models.labels import CATEGORY_LABELS
from models.tables import Concern, ConcernEvent, ConcernPhoto, Counter
from tests.dialog import Chat
from tests.world import build_world

CATEGORY = "📣 Ghi ý kiến, kiến nghị\nLĩnh vực?"
DESCRIPTION = "Nội dung ý kiến, kiến nghị (gõ vài câu; có thể gửi kèm ảnh):"
WHICH_HOUSEHOLD = "Ý kiến của hộ nào?\nHoặc gõ một phần tên chủ hộ hoặc địa chỉ để tìm."
CATEGORY_ORDER = list(ConcernCategory)
REVIEW = "📋 Kiểm tra trước khi lưu:\nHộ: {name}\nLĩnh vực: {category} · Mức độ: {urgency}\nNội dung: {text}"
REVIEW_OPTIONS = ["✅ Lưu", "✏️ Sửa nội dung", "✏️ Sửa lĩnh vực", "✏️ Sửa mức độ"]


async def concerns(sessions) -> list[Concern]:
    async with sessions() as s:
        return list(await s.scalars(select(Concern).order_by(Concern.id)))


async def start_concern(chat: Chat) -> None:
    await chat.say("/menu")
    await chat.say("2")
    assert chat.last[-1].text == CATEGORY


async def test_a_full_concern(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    await start_concern(chat)
    assert [o.label for o in chat.last[-1].options] == [
        "Đất đai", "Thủ tục hành chính", "Khiếu nại, tố cáo", "Chính sách xã hội, an sinh", "Môi trường, vệ sinh",
        "An ninh, trật tự", "Hạ tầng (đường, điện, nước)", "Mâu thuẫn, tranh chấp trong nhân dân",
        "Hiệu quả chương trình, dự án", "Khác"]
    await chat.say("đất đai")
    assert chat.screen == DESCRIPTION
    await chat.say("  Nhà bên cạnh lấn sang 2m đất vườn, đã nhắc nhưng chưa sửa.  ")
    assert chat.screen == "Mức độ?\n\n1. Bình thường\n2. Khẩn"
    await chat.say("1")
    assert chat.last[-1].text == WHICH_HOUSEHOLD
    assert [o.label for o in chat.last[-1].options][-1] == "👥 Ẩn danh / nhiều hộ"
    await chat.say("Nguyễn Văn Hùng")
    assert chat.last[-1].text == REVIEW.format(
        name="Nguyễn Văn Hùng", category="Đất đai", urgency="Bình thường",
        text="Nhà bên cạnh lấn sang 2m đất vườn, đã nhắc nhưng chưa sửa.")
    assert [o.label for o in chat.last[-1].options] == [*REVIEW_OPTIONS, "✏️ Đổi hộ"]
    assert await concerns(sessions) == []
    await chat.say("1")
    assert chat.last[0].text == (
        "✅ Đã ghi ý kiến PA-2026-00001 (Nguyễn Văn Hùng).\nLĩnh vực: Đất đai. Mức độ: Bình thường.\n"
        "Hạn trả lời: ngày 24 tháng 12 năm 2026. Bạn sẽ được báo khi có trả lời.\n(Có thể hoàn tác trong 10 phút.)")
    assert [o.label for o in chat.last[-1].options] == ["🏠 Trang chính", "↩ Hoàn tác"]

    [concern] = await concerns(sessions)
    hung = world.households[0]
    assert concern.reference == "PA-2026-00001"
    assert (concern.commune_id, concern.village_id, concern.nhom_id, concern.household_id) == (
        world.commune.id, world.village.id, world.nhom.id, hung.id)
    assert (concern.reporter_id, concern.category, concern.urgency, concern.status) == (
        world.member.id, ConcernCategory.LAND, Urgency.NORMAL, ConcernStatus.NEW)
    assert concern.description == "Nhà bên cạnh lấn sang 2m đất vườn, đã nhắc nhưng chưa sửa."
    assert concern.several_households is False and concern.channel == Channel.TERMINAL
    assert concern.created_at == chat.now and concern.due_at == chat.now + dt.timedelta(days=30)
    async with sessions() as s:
        events = (await s.scalars(select(ConcernEvent))).all()
        assert [(e.concern_id, e.actor_id, e.action, e.from_status, e.to_status, e.at) for e in events] == [
            (concern.id, world.member.id, "created", None, ConcernStatus.NEW, chat.now)]
        assert (await s.scalars(select(ConcernPhoto))).all() == []


async def test_references_count_up_and_due_dates_follow_category_and_urgency(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    expected = []
    for index, category in enumerate(CATEGORY_ORDER):
        for urgency in (Urgency.NORMAL, Urgency.URGENT):
            await start_concern(chat)
            await chat.say(str(index + 1))
            await chat.say(f"Ý kiến số {len(expected) + 1} của bà con trong xóm")
            await chat.say("Khẩn" if urgency == Urgency.URGENT else "bình thường")
            await chat.say("1")
            await chat.say("Lưu")
            days = 3 if urgency == Urgency.URGENT else DEFAULT_DUE_DAYS[category]
            due = chat.now + dt.timedelta(days=days)
            reference = f"PA-2026-{len(expected) + 1:05d}"
            expected.append((reference, category, urgency, due))
            local_due = due.astimezone(chat.env.tz).date()
            assert chat.last[0].text == (
                f"✅ Đã ghi ý kiến {reference} (Hoàng Văn Nam).\nLĩnh vực: {CATEGORY_LABELS[category]}. "
                f"Mức độ: {'Khẩn' if urgency == Urgency.URGENT else 'Bình thường'}.\n"
                f"Hạn trả lời: ngày {local_due.day} tháng {local_due.month} năm {local_due.year}. "
                "Bạn sẽ được báo khi có trả lời.\n(Có thể hoàn tác trong 10 phút.)")
    assert [(c.reference, c.category, c.urgency, c.due_at) for c in await concerns(sessions)] == expected
    async with sessions() as s:
        assert (await s.get(Counter, "concern:2026")).value == 20


async def test_urgent_concern_is_due_in_three_days(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.transcript([
        ("/menu", "Chọn việc cần làm:"), ("2", "Lĩnh vực?"), ("Môi trường", DESCRIPTION),
        ("Cống thoát nước bị tắc, nước tràn vào nhà", "Mức độ?"), ("Khẩn", "Ý kiến của hộ nào?"),
        ("1", "📋 Kiểm tra trước khi lưu:"), ("✅ Lưu", "✅ Đã ghi ý kiến PA-2026-00001"),
    ])
    assert "Mức độ: Khẩn.\nHạn trả lời: ngày 27 tháng 11 năm 2026." in chat.last[0].text
    [concern] = await concerns(sessions)
    assert (concern.urgency, concern.category) == (Urgency.URGENT, ConcernCategory.ENVIRONMENT)
    assert concern.due_at == chat.now + dt.timedelta(days=3)


async def test_photos_at_the_description_step(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await start_concern(chat)
    await chat.say("7")
    await chat.say(photo="file-1")
    assert chat.screen == f"Đã nhận ảnh.\n\n{DESCRIPTION}\nĐã nhận 1 ảnh."
    await chat.say("Đèn đường hỏng cả tháng nay", photo="file-2")  # a photo with its caption
    assert chat.last[-1].text == "Mức độ?"
    await chat.say("1")
    await chat.say("1")
    assert chat.last[-1].text.endswith("\nNội dung: Đèn đường hỏng cả tháng nay\nẢnh: 2")
    await chat.say("1")
    [concern] = await concerns(sessions)
    assert concern.description == "Đèn đường hỏng cả tháng nay"
    async with sessions() as s:
        photos = (await s.scalars(select(ConcernPhoto).order_by(ConcernPhoto.id))).all()
    assert [(p.concern_id, p.channel, p.file_ref, p.created_at) for p in photos] == [
        (concern.id, Channel.TERMINAL, "file-1", chat.now), (concern.id, Channel.TERMINAL, "file-2", chat.now)]


async def test_at_most_five_photos(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await start_concern(chat)
    await chat.say("1")
    for index in range(1, 6):
        await chat.say(photo=f"file-{index}")
        assert chat.screen.endswith(f"Đã nhận {index} ảnh.")
    await chat.say(photo="file-6")
    assert chat.screen == f"Tối đa 5 ảnh cho một ý kiến.\n\n{DESCRIPTION}\nĐã nhận 5 ảnh."
    await chat.transcript([("Tranh chấp ranh giới đất", "Mức độ?"), ("1", "Ý kiến của hộ nào?"),
                           ("1", "Ảnh: 5"), ("1", "✅ Đã ghi ý kiến")])
    async with sessions() as s:
        refs = (await s.scalars(select(ConcernPhoto.file_ref).order_by(ConcernPhoto.id))).all()
    assert refs == [f"file-{i}" for i in range(1, 6)]


async def test_anonymous_or_several_households(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "member")
    await start_concern(chat)
    await chat.transcript([("Hạ tầng", DESCRIPTION), ("Nhiều hộ phản ánh đường xóm xuống cấp", "Mức độ?"),
                           ("1", "Ý kiến của hộ nào?")])
    await chat.say(chat.option_number("Ẩn danh"))
    assert "Hộ: ẩn danh / nhiều hộ" in chat.screen
    await chat.say(chat.option_number("Lưu"))
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001 (ẩn danh / nhiều hộ).\n"
                                        "Lĩnh vực: Hạ tầng (đường, điện, nước).")
    [concern] = await concerns(sessions)
    assert (concern.household_id, concern.several_households) == (None, True)
    assert (concern.commune_id, concern.village_id, concern.nhom_id) == (
        world.commune.id, world.village.id, world.nhom.id)
    assert concern.due_at == chat.now + dt.timedelta(days=15)


async def test_a_leaders_anonymous_concern_belongs_to_the_village(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "leader")
    await start_concern(chat)
    await chat.transcript([("An ninh", DESCRIPTION), ("Có nhóm thanh niên tụ tập gây ồn ào ban đêm", "Mức độ?"),
                           ("Khẩn", "Ý kiến của hộ nào?"), ("Ẩn danh", "📋 Kiểm tra trước khi lưu:"),
                           ("lưu", "✅ Đã ghi ý kiến")])
    assert chat.last[0].text.startswith("✅ Đã ghi ý kiến PA-2026-00001 (ẩn danh / nhiều hộ).")
    [concern] = await concerns(sessions)
    assert (concern.reporter_id, concern.commune_id, concern.village_id, concern.nhom_id, concern.household_id) == (
        world.leader.id, world.commune.id, world.village.id, None, None)
    assert concern.due_at == chat.now + dt.timedelta(days=3)


async def test_description_must_be_words_of_a_sensible_length(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await start_concern(chat)
    await chat.say("1")
    for bad, notice in [("Đất", "Hãy gõ nội dung bằng chữ (ít nhất 5 ký tự)."),
                        ("12345678", "Hãy gõ nội dung bằng chữ (ít nhất 5 ký tự)."),
                        ("a" * 2001, "Nội dung dài 2001 ký tự; tối đa 2000.")]:
        await chat.say(bad)
        assert chat.screen == f"{notice}\n\n{DESCRIPTION}"
    await chat.say("Khác")  # the label of a category, but here only four letters of text
    assert chat.screen == f"Hãy gõ nội dung bằng chữ (ít nhất 5 ký tự).\n\n{DESCRIPTION}"
    assert await concerns(sessions) == []


async def test_the_reference_year_is_the_local_year(session, sessions):
    import datetime as dt

    await build_world(session)
    chat = Chat(sessions, "member")
    chat.now = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC)  # 00:30 on 1 January 2027 in Hà Nội
    await chat.say("/menu")
    await chat.say(chat.option_number("Ghi ý kiến"))
    await chat.say("1")
    await chat.say("Đường vào xóm bị sạt lở sau mưa")
    await chat.say("1")
    await chat.say("1")
    await chat.say("1")
    assert "PA-2027-00001" in chat.screen
