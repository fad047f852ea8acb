"""Campaigns end to end: created in the chat, outcomes asked at a visit and recorded from a list, progress
compared with hand counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from models.campaigns import progress
from models.campaigns.create import Draft, create_campaign
from models.enums import OutcomeKind, Role
from models.tables import Campaign, CampaignHousehold, CampaignOutcome, Household, Membership, Person
from tests.dialog import Chat
from tests.world import build_world

TODAY = dt.date(2026, 11, 24)


async def to_purpose(chat: Chat, name: str) -> None:
    """From the menu to the visit's purpose for a household, picked from the list or found by name."""
    await chat.transcript([("/menu", "Chọn việc cần làm:"), ("1", "chọn hộ đã thăm")])
    if name not in chat.screen:
        await chat.transcript([(name, "Kết quả tìm")])
    await chat.transcript([(chat.option_number(name), "Mục đích thăm?")])


async def make_campaign(session, world, **changes) -> Campaign:
    values = dict(scope=world.village, name="Vận động tham gia BHYT hộ gia đình", description="",
                  starts_on=TODAY, ends_on=dt.date(2026, 12, 31), target_percent=80)
    campaign = await create_campaign(session, Draft(**{**values, **changes}), person_id=world.leader.id,
                                     now=dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC))
    await session.commit()
    return campaign


async def test_a_team_leader_creates_a_campaign_in_the_chat(session, sessions):
    world = await build_world(session)
    chat = Chat(sessions, "leader")
    await chat.say("/menu")
    await chat.menu_entry("Vận động")
    assert "Hiện không có cuộc vận động nào đang diễn ra." in chat.screen
    await chat.transcript([
        (chat.option_number("Tạo cuộc vận động"), "➕ Tạo cuộc vận động — gõ tên"),
        ("BH", "Tên cuộc vận động cần có chữ (ít nhất 3 ký tự)."),
        ("Vận động tham gia BHYT hộ gia đình", "Mô tả ngắn"),
        ("Bỏ qua", "Cuộc vận động dành cho những hộ nào?"),
    ])
    # a team leader's campaign is for the village: no choice of villages, and no list columns were imported
    assert [o.label for o in chat.last[-1].options] == ["Tất cả các hộ"]
    await chat.transcript([
        ("1", "Kết quả vận động mỗi hộ: Đã đồng ý, thực hiện · Đang vận động · Chưa đồng ý · Không thuộc diện."),
        ("1", "Bắt đầu ngày nào?"),
        ("Hôm nay", "Kết thúc ngày nào (sau ngày 24 tháng 11 năm 2026)?"),
        ("20/11", "Ngày kết thúc phải sau ngày bắt đầu ngày 24 tháng 11 năm 2026"),
        ("31/12/2026", "Mục tiêu: bao nhiêu phần trăm"),
        ("120", "Hãy gõ một số nguyên từ 1 đến 100, ví dụ 95."),
        ("95 %", "Xem lại cuộc vận động:"),
    ])
    assert "Đơn vị: Thôn Đồng Tâm; tất cả các hộ: 9 hộ." in chat.screen
    assert "Từ ngày 24 tháng 11 năm 2026 đến ngày 31 tháng 12 năm 2026; mục tiêu 95 %." in chat.screen
    await chat.transcript([("✅ Tạo", "✅ Đã tạo cuộc vận động “Vận động tham gia BHYT hộ gia đình”.")])
    campaign = await session.scalar(select(Campaign))
    assert (campaign.scope_unit_id, campaign.target_percent, campaign.ends_on) == (world.village.id, 95,
                                                                                 dt.date(2026, 12, 31))
    rows = await session.scalar(select(func.count()).select_from(CampaignHousehold))
    assert rows == 9
    await chat.transcript([("1", "📣 Vận động tham gia BHYT hộ gia đình: 0/9 hộ đồng ý (0 %), mục tiêu 95 %")])


async def test_a_member_may_not_create_one(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Vận động")
    assert "Tạo cuộc vận động" not in chat.screen
    await chat.say(choice="m:campnew")  # an old or forged button
    assert "Tạo cuộc vận động dành cho lãnh đạo xã và tổ trưởng." in chat.screen


async def test_a_visit_asks_the_outcome_once_and_only_then(session, sessions):
    world = await build_world(session)
    campaign = await make_campaign(session, world)
    chat = Chat(sessions, "member")
    await to_purpose(chat, "Hoàng Văn Nam")
    await chat.transcript([
        ("1", "📣 Vận động tham gia BHYT hộ gia đình\nKết quả vận động hộ Hoàng Văn Nam?"),
        ("xyz", "Hãy chọn một kết quả trong danh sách."),
        ("1", "Hộ có ý kiến, kiến nghị gì không?"),
        ("1", "📣 Kết quả vận động: Đã đồng ý, thực hiện."),
    ])
    row = await session.scalar(select(CampaignHousehold).join(Household)
                               .where(Household.head_name == "Hoàng Văn Nam"))
    assert row.outcome_kind == OutcomeKind.AGREED and row.recorded_by == world.member.id
    history = (await session.scalars(select(CampaignOutcome))).all()
    assert len(history) == 1 and history[0].visit_id is not None
    # the same household again: its outcome is final, nothing is asked
    await to_purpose(chat, "Hoàng Văn Nam")
    await chat.transcript([("1", "Hộ có ý kiến, kiến nghị gì không?")])
    await chat.say("/huy")
    # another household: "not asked" leaves it open for the next visit
    await to_purpose(chat, "Vũ Thị Mai")
    await chat.transcript([("1", "Kết quả vận động hộ Vũ Thị Mai?"), ("Chưa hỏi, bỏ qua", "Hộ có ý kiến"),
                           ("1", "✅ Đã ghi thăm hộ Vũ Thị Mai")])
    assert "Kết quả vận động:" not in chat.screen
    # after the campaign's end nothing is asked
    chat.now = dt.datetime(2027, 1, 2, 2, 0, tzinfo=dt.UTC)
    await to_purpose(chat, "Vũ Thị Mai")
    await chat.transcript([("1", "Hộ có ý kiến, kiến nghị gì không?")])
    assert campaign.id


async def test_outcomes_in_a_row_from_the_list_and_progress_by_hand(session, sessions):
    world = await build_world(session)
    campaign = await make_campaign(session, world)
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    await chat.menu_entry("Vận động")
    await chat.transcript([
        ("1", "📣 Vận động tham gia BHYT hộ gia đình: 0/9 hộ đồng ý (0 %), mục tiêu 80 %"),
        ("Ghi kết quả vận động", "✍ Ghi kết quả vận động — chọn hộ:"),
    ])
    # the member's own households; the other nhóm's household is not theirs to record
    assert "Ngô Văn Xa" not in chat.screen
    for name, choice, shown in (("Bùi Thị Thu", "1", "Đã đồng ý, thực hiện"), ("Đặng Văn Tâm", "Đang vận động", None),
                                ("Lê Văn Đức", "Không thuộc diện", None)):
        await chat.transcript([(chat.option_number(name), f"Kết quả vận động hộ {name}?")])
        await chat.transcript([(choice, f"✅ Đã ghi: {name} — {shown or choice}.")])
    # final outcomes leave the list; one still being worked on stays, marked
    listed = [option.label for option in chat.last[-1].options]
    assert not any(label.startswith(("Bùi Thị Thu", "Lê Văn Đức")) for label in listed)
    assert "Đặng Văn Tâm, Xóm Trại, Thôn Đồng Tâm (Đang vận động)" in chat.screen
    await chat.transcript([("✔ Xong", "Đã ghi kết quả vận động cho 3 hộ.")])
    # By hand: 9 households, 1 excluded, so 8 count; 1 agreed (12,5 %), 1 being worked on, 6 not recorded.
    (whole,) = await progress.by_unit(session, campaign.id, progress.COMMUNE)
    assert (whole.counts.households, whole.counts.concerned, whole.counts.agreed, whole.counts.working,
            whole.counts.unrecorded) == (9, 8, 1, 1, 6)
    nhom = {line.name: line.counts for line in await progress.by_unit(session, campaign.id, progress.NHOM)}
    assert (nhom["Nhóm 1"].households, nhom["Nhóm 1"].agreed, nhom["Nhóm 2"].households) == (8, 1, 1)
    leader = Chat(sessions, "leader")
    await leader.say("/menu")
    await leader.menu_entry("Vận động")
    await leader.transcript([("1", "1/8 hộ đồng ý (12,5 %), mục tiêu 80 %"),
                             ("Theo nhóm", "📊 Vận động tham gia BHYT hộ gia đình — theo nhóm:\n"
                                           "• Nhóm 1: 1/7 hộ đồng ý (14,3 %)\n• Nhóm 2: 0/1 hộ đồng ý (0 %)")])


async def test_a_commune_campaign_for_chosen_villages(session, sessions):
    world = await build_world(session)
    from models.units import tree
    from models.enums import UnitKind
    other = await tree.add_unit(session, UnitKind.VILLAGE, "Thôn Bắc", world.commune)
    team = await tree.add_unit(session, UnitKind.TEAM, "Tổ Dân vận cộng đồng thôn Bắc", other)
    nhom = await tree.add_unit(session, UnitKind.NHOM, "Nhóm Bắc", team)
    session.add(Household(commune_id=world.commune.id, village_id=other.id, nhom_id=nhom.id, head_name="Hộ Bắc",
                          name_key="ho bac", address="", address_key=""))
    head = Person(full_name="Trưởng Khối", name_key="truong khoi", commune_id=world.commune.id)
    session.add(head)
    await session.flush()
    session.add(Membership(person_id=head.id, unit_id=world.commune.id, role=Role.KHOI_DAN_VAN_HEAD))
    from models.tables import ChatIdentity
    from models.enums import Channel
    session.add(ChatIdentity(person_id=head.id, channel=Channel.TERMINAL, external_id="head", chat_id="head"))
    await session.commit()
    chat = Chat(sessions, "head")
    await chat.say("/menu")
    await chat.menu_entry("Vận động")
    await chat.transcript([
        ("Tạo cuộc vận động", "gõ tên"), ("Đóng góp xây dựng nông thôn mới", "Mô tả"),
        ("Làm đường bê tông liên thôn", "dành cho những hộ nào?"), ("Các hộ của một số thôn", "Chọn các thôn"),
        ("Xong", "Hãy chọn ít nhất một thôn."), ("Thôn Bắc", "✔ Thôn Bắc"), ("Xong", "Kết quả vận động mỗi hộ"),
        ("Tự ghi các kết quả", "mỗi dòng một kết quả"), ("Đã đóng góp", "Cần từ 2 đến 8 kết quả"),
        ("Đã đóng góp\nHẹn đóng góp\nChưa đóng góp", "Bắt đầu ngày nào?"), ("1/12", "Kết thúc ngày nào"),
        ("31/1/2027", "Mục tiêu"), ("90", "Đơn vị: Xã Phúc Sơn; các hộ của 1 thôn: 1 hộ."),
    ])
    assert "Kết quả: Đã đóng góp · Hẹn đóng góp · Chưa đóng góp · Không thuộc diện." in chat.screen
    await chat.transcript([("Tạo", "✅ Đã tạo cuộc vận động")])
    campaign = await session.scalar(select(Campaign))
    assert campaign.commune_id == world.commune.id and campaign.audience["villages"] == [other.id]


async def test_the_chart_and_spreadsheet_go_through_the_outbox_with_names_for_leaders(session, sessions):
    import io

    import openpyxl

    from models.enums import Channel
    from models.tables import Attachment, ChatIdentity, OutboxMessage

    world = await build_world(session)
    campaign = await make_campaign(session, world)
    session.add(ChatIdentity(person_id=world.leader.id, channel=Channel.TELEGRAM, external_id="77", chat_id="77"))
    await session.commit()
    leader = Chat(sessions, "77", channel=Channel.TELEGRAM)
    await leader.say(choice=f"cp:{campaign.id}")
    await leader.transcript([("Biểu đồ và bảng tính", "📎 Biểu đồ và bảng tính gửi ngay sau tin này.")])
    sent = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "campaign_files"))
    assert sent.chat_id == "77" and sent.payload["photo_attachment"] and sent.payload["document_attachment"]
    chart = await session.get(Attachment, sent.payload["photo_attachment"])
    assert chart.mime == "image/png" and chart.data[:4] == b"\x89PNG"
    book = openpyxl.load_workbook(io.BytesIO((await session.get(Attachment, sent.payload["document_attachment"])).data))
    assert book.sheetnames == ["Theo thôn", "Theo nhóm", "Các hộ"]
    homes = [row[2] for row in list(book["Các hộ"].iter_rows(values_only=True))[2:]]
    assert sorted(homes) == sorted([h.head_name for h in world.households] + ["Ngô Văn Xa"])
    # a member has no such button, and a forged one is stale
    member = Chat(sessions, "member")
    await member.say(choice=f"cp:{campaign.id}")
    assert "Biểu đồ" not in member.screen and "Theo nhóm" not in member.screen
    await member.say(choice=f"cpx:{campaign.id}")
    assert "Nút này đã cũ." in member.screen


async def test_a_campaign_for_the_households_a_list_column_marks(session, sessions):
    from models.campaigns import attributes

    world = await build_world(session)
    marks = {"Nguyễn Văn Hùng": "x", "Trần Thị Lan": "Có", "Lê Văn Đức": "0", "Phạm Thị Hoa": "Không"}
    await attributes.store(session, [(h.id, {"Chưa có BHYT": marks.get(h.head_name, ""), "Hộ nghèo": ""})
                                     for h in world.households])
    await session.commit()
    chat = Chat(sessions, "leader")
    await chat.say("/menu")
    await chat.menu_entry("Vận động")
    await chat.transcript([("Tạo cuộc vận động", "gõ tên"), ("BHYT cho hộ chưa có thẻ", "Mô tả"),
                           ("Bỏ qua", "dành cho những hộ nào?"),
                           ("Các hộ theo một cột của danh sách hộ", "Các hộ được đánh dấu ở cột nào"),
                           ("3", "Hãy chọn một cột trong danh sách."),
                           ("Chưa có BHYT", "Kết quả vận động mỗi hộ"), ("1", "Bắt đầu"), ("Hôm nay", "Kết thúc"),
                           ("31/12", "Mục tiêu"), ("100 %", "các hộ có đánh dấu ở cột “Chưa có BHYT”: 2 hộ.")])
    await chat.transcript([("Tạo", "✅ Đã tạo cuộc vận động")])
    names = set(await session.scalars(select(Household.head_name).join(
        CampaignHousehold, CampaignHousehold.household_id == Household.id)))
    assert names == {"Nguyễn Văn Hùng", "Trần Thị Lan"}
