"""Household attributes from the list, a campaign by one of them, `gandan campaign list|results`, its XLSX
and chart, the roll-up's line and the leaders' alerts — against hand counts."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import select

from bot.cli import main
from core.db import create_engine, session_factory
from models.campaigns import alerts, outcomes, progress
from models.campaigns.create import ATTRIBUTE, Draft, create_campaign
from models.enums import OutcomeKind, Role
from models.tables import CampaignHousehold, CampaignOption, HouseholdAttribute, Membership, OrgUnit, OutboxMessage
from scheduler.rollups import rollup_text
from tests.house.test_cli import EXAMPLES, db_file  # noqa: F401  (the fixture)
from tests.world import build_world

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)


def households_with_column(tmp_path: Path) -> tuple[Path, int]:
    """The example list with a “Chưa có BHYT” column: every third household of Đồng Tâm is marked."""
    rows = list(csv.reader(io.StringIO((EXAMPLES / "households.csv").read_text(encoding="utf-8"))))
    marked = 0
    out = [rows[0] + ["Chưa có BHYT"]]
    for index, row in enumerate(rows[1:]):
        mark = "x" if "Đồng Tâm" in row[4] and index % 3 == 0 else ("Không" if index % 2 else "")
        marked += mark == "x"
        out.append(row + [mark])
    path = tmp_path / "households.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(out)
    return path, marked


def test_a_campaign_by_a_list_column_and_its_results_from_the_command_line(capsys, db_file, tmp_path):  # noqa: F811
    assert main(["setup", "commune", "10459"]) == 0
    assert main(["import", "roster", str(EXAMPLES / "roster.xlsx")]) == 0
    path, marked = households_with_column(tmp_path)
    assert main(["import", "households", str(path)]) == 0
    assert f"{marked} ô đánh dấu được giữ" in capsys.readouterr().out

    async def prepare() -> int:
        engine = create_engine(f"sqlite+aiosqlite:///{db_file}")
        try:
            async with session_factory(engine)() as session:
                assert len((await session.scalars(select(HouseholdAttribute))).all()) == marked
                commune = await session.scalar(select(OrgUnit).where(OrgUnit.kind == "commune"))
                author = await session.scalar(select(Membership.person_id).where(Membership.role == Role.TEAM_LEADER))
                campaign = await create_campaign(session, Draft(
                    scope=commune, name="BHYT hộ gia đình 2027", description="", starts_on=NOW.date(),
                    ends_on=dt.date(2026, 12, 31), target_percent=90, audience=ATTRIBUTE, attribute="chua co bhyt"),
                    person_id=author, now=NOW)
                rows = (await session.scalars(select(CampaignHousehold).where(CampaignHousehold.campaign_id ==
                                                                               campaign.id)
                                              .order_by(CampaignHousehold.id))).all()
                options = (await session.scalars(select(CampaignOption).order_by(CampaignOption.position))).all()
                # by hand: the first two agreed, the third refused, the fourth not concerned
                for row, option in zip(rows, (options[0], options[0], options[2], options[3]), strict=False):
                    await outcomes.record(session, row.id, option.id, person_id=author, now=NOW)
                await session.commit()
                return campaign.id
        finally:
            await engine.dispose()

    campaign_id = asyncio.run(prepare())
    assert main(["campaign", "list"]) == 0
    out = capsys.readouterr().out
    assert f"{campaign_id}\tXã Phúc Sơn\tTừ ngày 24 tháng 11 năm 2026 đến ngày 31 tháng 12 năm 2026" in out
    concerned = marked - 1
    share = f"{round(200 / concerned, 1):g}".replace(".", ",")
    assert f"2/{concerned} hộ đồng ý ({share} %), mục tiêu 90 %" in out
    book = tmp_path / "bhyt.xlsx"
    assert main(["campaign", "results", str(campaign_id), "--out", str(book)]) == 0
    out = capsys.readouterr().out
    assert "Đã đồng ý: 2\nĐang vận động: 0\nChưa đồng ý: 1\nKhông thuộc diện: 1" in out
    assert f"• Thôn Đồng Tâm: 2/{concerned} hộ đồng ý" in out and "Thôn Phúc Lâm" not in out
    sheets = openpyxl.load_workbook(book)
    assert sheets.sheetnames == ["Theo thôn", "Theo nhóm", "Các hộ"]
    homes = list(sheets["Các hộ"].iter_rows(values_only=True))
    assert len(homes) - 2 == marked  # a title and a header row, then a household a row
    assert sorted(str(r[4] or "") for r in homes[2:]).count("Đã đồng ý, thực hiện") == 2
    assert main(["campaign", "results", "999"]) != 0


async def test_roll_up_line_chart_and_alerts(session, sessions):
    world = await build_world(session)
    head = world.leader  # the team leader hears of the village's campaign
    campaign = await create_campaign(session, Draft(
        scope=world.village, name="Vệ sinh môi trường", description="", starts_on=NOW.date(),
        ends_on=dt.date(2026, 12, 5), target_percent=25), person_id=world.leader.id, now=NOW)
    await session.commit()
    rows = (await session.scalars(select(CampaignHousehold).order_by(CampaignHousehold.id))).all()
    agreed = await session.scalar(select(CampaignOption.id).where(CampaignOption.kind == OutcomeKind.AGREED))
    await outcomes.record(session, rows[0].id, agreed, person_id=world.member.id, now=NOW)
    await session.commit()
    # by hand: 9 households, 1 agreed = 11,1 %: below 25 %, nothing to say yet, 11 days left
    assert await alerts.due_alerts(session, now=NOW, tz=TZ) == 0
    await outcomes.record(session, rows[1].id, agreed, person_id=world.member.id, now=NOW)
    await outcomes.record(session, rows[2].id, agreed, person_id=world.member.id, now=NOW)
    await session.commit()
    # 3/9 = 33,3 % ≥ 25 %: the team leader (also its author) is told once
    assert await alerts.due_alerts(session, now=NOW, tz=TZ) == 1
    await session.commit()
    assert await alerts.due_alerts(session, now=NOW + dt.timedelta(hours=1), tz=TZ) == 0
    told = (await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "campaign_target"))).all()
    assert [m.person_id for m in told] == [head.id]
    assert "🎯 Cuộc vận động “Vệ sinh môi trường” đã đạt mục tiêu 25 %: 3/9 hộ đồng ý (33,3 %)." in \
        told[0].payload["text"]
    # the roll-up's line for the village
    lines = await progress.running_in_villages(session, [world.village.id], NOW.date())
    from models.digests.daily_rollup import VillageDay
    text = rollup_text(world.village, NOW.date(), dt.time(19), VillageDay(), lines[world.village.id])
    assert text.splitlines()[-1] == "📣 Vệ sinh môi trường: 3/9 hộ đồng ý (33,3 %), mục tiêu 25 % ✅"
    # a second campaign, not reached a week before its end: the week's notice
    second = await create_campaign(session, Draft(
        scope=world.village, name="Hiến đất làm đường", description="", starts_on=NOW.date(),
        ends_on=dt.date(2026, 12, 10), target_percent=90), person_id=world.leader.id, now=NOW)
    await session.commit()
    week_before = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)
    assert await alerts.due_alerts(session, now=week_before, tz=TZ) == 1
    await session.commit()
    notice = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "campaign_week"))
    assert "⏳ Cuộc vận động “Hiến đất làm đường” kết thúc ngày 10 tháng 12 năm 2026, còn một tuần" in \
        notice.payload["text"] and "còn 9 hộ chưa ghi kết quả" in notice.payload["text"]
    assert second.id and campaign.id
