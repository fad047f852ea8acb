"""⏳ Hộ lâu chưa thăm: every household nobody visited for 60 days, paged and as a spreadsheet,
and the same sheet in the digest's spreadsheet for the readers entitled to names."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select

from core.text import fold
from models.digests.compute import month_to_date, village_digests
from models.enums import Channel, Role
from models.tables import Attachment, ChatIdentity, Household, Membership, OutboxMessage, Person
from scheduler.digests import _Round
from tests.dialog import Chat
from tests.world import build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# build_world's own: Hùng and Nam never visited, Đức on 1/9, Tâm on 1/8; Xa (Nhóm 2) never.
WAITING = 4 + 1


async def world_with_many(session):
    world = await build_world(session)
    for i in range(12):
        name = f"Hộ Mới {i + 1:02d}"
        session.add(Household(commune_id=world.commune.id, village_id=world.village.id, nhom_id=world.other_nhom.id,
                              head_name=name, name_key=fold(name), address="Xóm Mới", address_key="xom moi"))
    session.add(ChatIdentity(person_id=world.leader.id, channel=Channel.TELEGRAM, external_id="602", chat_id="602"))
    await session.commit()
    return world


async def test_a_team_leader_pages_through_every_household_not_visited_for_60_days(session, sessions):
    await world_with_many(session)
    leader = Chat(sessions, "leader")
    await leader.say("/menu")
    await leader.menu_entry("Hộ lâu chưa thăm")
    total = WAITING + 12
    assert f"⏳ {total} hộ quá 60 ngày chưa được thăm (Tổ Dân vận cộng đồng thôn Đồng Tâm) — trang 1/2:" in leader.screen
    assert leader.screen.count("\n• ") == 10
    assert "• Lê Văn Đức — Nhóm 1 — 1/9/2026 — Phạm Văn Long" not in leader.screen  # visited ones come last
    await leader.transcript([(leader.option_number("Trang sau"), "trang 2/2:")])
    assert leader.screen.count("\n• ") == total - 10
    assert "• Đặng Văn Tâm — Nhóm 1 — 1/8/2026 — Phạm Văn Long" in leader.screen
    assert "• Lê Văn Đức — Nhóm 1 — 1/9/2026 — Phạm Văn Long" in leader.screen
    assert "Trần Thị Lan" not in leader.screen  # visited on 20/11
    # the terminal takes no file, and says so
    await leader.transcript([(leader.option_number("bảng tính"), "Bảng tính chỉ gửi được qua Telegram hoặc Zalo")])
    await leader.transcript([(leader.option_number("Trang chính"), "Chọn việc cần làm:")])


async def test_the_list_comes_as_a_spreadsheet_with_each_household_last_visit(session, sessions):
    await world_with_many(session)
    leader = Chat(sessions, "602", channel=Channel.TELEGRAM)
    await leader.say("/menu")
    await leader.menu_entry("Hộ lâu chưa thăm")
    await leader.transcript([(leader.option_number("bảng tính"), "📎 Bảng tính gửi ngay sau tin này.")])
    async with sessions() as s:
        message = await s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "stale_files"))
        file = await s.get(Attachment, message.payload["document_attachment"])
    sheet = load_workbook(io.BytesIO(file.data))["Hộ quá 60 ngày chưa thăm"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == WAITING + 12
    assert ("Đặng Văn Tâm", "Xóm Trại, Thôn Đồng Tâm", "Nhóm 1", "Phạm Văn Long", "1/8/2026") in rows
    assert ("Ngô Văn Xa", "Xóm Xa", "Nhóm 2", None, "chưa thăm") in rows


async def test_a_nhom_leader_lists_only_the_nhom(session, sessions):
    world = await world_with_many(session)
    head = Person(full_name="Lê Thị Nhóm", name_key="le thi nhom", commune_id=world.commune.id)
    session.add(head)
    await session.flush()
    session.add_all([Membership(person_id=head.id, unit_id=world.nhom.id, role=Role.GROUP_LEADER),
                     ChatIdentity(person_id=head.id, channel=Channel.TERMINAL, external_id="head", chat_id="head")])
    await session.commit()
    chat = Chat(sessions, "head")
    await chat.say("/menu")
    await chat.menu_entry("Hộ lâu chưa thăm")
    assert "⏳ 4 hộ quá 60 ngày chưa được thăm (Nhóm 1) — trang 1/1:" in chat.screen
    assert "Ngô Văn Xa" not in chat.screen
    member = Chat(sessions, "member")
    await member.say("/menu")
    assert "Hộ lâu chưa thăm" not in member.screen


async def test_the_digest_spreadsheet_names_them_for_leaders_never_for_groups(session, sessions):
    world = await world_with_many(session)
    now = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
    start, end = month_to_date(now.astimezone(TZ).date())
    digest = (await village_digests(session, world.commune.id, start, end, TZ, now=now))[world.village.id]
    round_ = _Round(session, digest, "digest:test", now, TZ)
    sheets = {}
    for names in (True, False):
        body = await round_.body("vi", names=names)
        file = await session.get(Attachment, body["document_attachment"])
        sheets[names] = load_workbook(io.BytesIO(file.data)).sheetnames
    assert "Hộ quá 60 ngày chưa thăm" in sheets[True]
    assert "Hộ quá 60 ngày chưa thăm" not in sheets[False]
    await session.commit()
    # the leader's /tonghop brings the same sheet
    leader = Chat(sessions, "602", channel=Channel.TELEGRAM)
    await leader.say("/tonghop")
    async with sessions() as s:
        message = await s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "digest_files"))
        file = await s.get(Attachment, message.payload["document_attachment"])
    rows = list(load_workbook(io.BytesIO(file.data))["Hộ quá 60 ngày chưa thăm"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == WAITING + 12
