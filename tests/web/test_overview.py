"""The overview page: the villages side by side this month and last, each figure a link to its list."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import update

from models.base import utcnow
from models.digests.compute import shift_month
from models.enums import ConcernCategory, Role, UnitKind, VisitPurpose
from models.tables import Membership, Person, ReportDeadline, ReportSubmission, Visit
from tests.concerns.test_lifecycle import add_concern, build_town
from tests.web.console_world import TZ, client, sign_in


async def _busy_town(sessions):
    """Village 1: two households visited this month, one the month before, a concern overdue, a report in."""
    async with sessions() as s:
        town = await build_town(s)
        world = town.world
        today = utcnow().astimezone(TZ).date()
        for household, day in ((world.households[0], today), (world.households[1], today),
                               (world.households[0], shift_month(today, -1))):
            s.add(Visit(household_id=household.id, person_id=world.member.id, nhom_id=household.nhom_id,
                        village_id=household.village_id, commune_id=household.commune_id, visited_on=day,
                        purpose=VisitPurpose.ENCOURAGE))
        deadline = ReportDeadline(commune_id=world.commune.id, kind="monthly_team", level=UnitKind.TEAM, day=25)
        s.add(deadline)
        await s.flush()
        s.add(ReportSubmission(deadline_id=deadline.id, unit_id=world.team.id, period=f"{today:%Y-%m}",
                               submitted_at=utcnow()))
        await s.commit()
        await add_concern(s, town, ConcernCategory.LAND, now=utcnow() - dt.timedelta(days=40))
        await add_concern(s, town, ConcernCategory.SECURITY, now=utcnow())
    return town


def _row(html: str, village: str) -> str:
    found = re.search(r"<tr>\s*<th scope=\"row\"><a[^>]*>" + re.escape(village) + r"</a></th>(.*?)</tr>", html, re.S)
    assert found, html
    return found.group(1)


async def test_a_village_leader_sees_their_village_with_links_to_the_lists(engine, sessions):
    town = await _busy_town(sessions)
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.world.leader)
        html = await (await http.get("/web/")).text()
        assert "Thôn Hòa Bình" not in html
        row = _row(html, "Thôn Đồng Tâm")
        cells = [re.sub(r"<[^>]+>|\s+", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        visits, reached, opened, answered, overdue, meetings, reports = cells
        assert visits == ["2", "1"]  # this month, the same days last month
        assert reached[:3] == ["22,2", "%", "2/9"]  # two of the nine households, Vietnamese decimals
        assert opened[0] == "1" and overdue[0] == "1" and reports == ["1", "0"]
        village = town.world.village.id
        assert f'href="/web/concerns?overdue=1&amp;village={village}"' in row
        month = utcnow().astimezone(TZ).strftime("%Y-%m")
        assert f'href="/web/concerns?status=all&amp;sort=new&amp;month={month}&amp;village={village}"' in row
        # The link's list is the figure's: one concern recorded this month.
        listed = await (await http.get(f"/web/concerns?status=all&sort=new&month={month}&village={village}")).text()
        assert listed.count('<li class="') == 1


async def test_the_commune_leads_see_every_village_and_the_admin_none(engine, sessions):
    town = await _busy_town(sessions)
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.khoi)
        html = await (await http.get("/web/")).text()
        assert _row(html, "Thôn Đồng Tâm") and _row(html, "Thôn Hòa Bình")
    async with sessions() as s:  # the khối head becomes the admin: no digest in the chat, none here
        await s.execute(update(Membership).where(Membership.person_id == town.khoi.id).values(role=Role.ADMIN))
        await s.commit()
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.khoi)
        html = await (await http.get("/web/")).text()
        assert "Thôn Đồng Tâm" not in html and "Số liệu tháng dành cho lãnh đạo" in html
        assert (await http.get("/web/concerns")).status == 200  # the admin acts on concerns, as in the chat


async def test_english_numbers(engine, sessions):
    town = await _busy_town(sessions)
    async with sessions() as s:
        await s.execute(update(Person).where(Person.id == town.world.leader.id).values(locale="en"))
        await s.commit()
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.world.leader)
        html = await (await http.get("/web/")).text()
        assert "Overview" in html and "22.2" in html and "Sign out" in html
