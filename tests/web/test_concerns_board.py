"""The concerns board in the browser: what each person sees, the filters, acting as in the chat, the spreadsheet."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import select, update

from models.base import utcnow
from models.enums import ConcernCategory, ConcernLevel, ConcernStatus, Urgency
from models.tables import AuditLog, Concern, Person
from tests.concerns.test_lifecycle import add_concern, build_town, texts_for
from tests.web.console_world import TZ, client, csrf_of, sign_in


async def _town_with_concerns(sessions):
    async with sessions() as s:
        town = await build_town(s)
        now = utcnow()
        land = await add_concern(s, town, ConcernCategory.LAND, description="Tranh chấp ranh giới đất với hộ bên cạnh",
                                 now=now)
        complaint = await add_concern(s, town, ConcernCategory.COMPLAINT, description="Khiếu nại về trợ cấp",
                                      now=now, household=town.world.households[1])
        late = await add_concern(s, town, ConcernCategory.INFRASTRUCTURE, urgency=Urgency.URGENT,
                                 description="Đèn đường hỏng cả tháng", now=now - dt.timedelta(days=60))
        other = await add_concern(s, town, ConcernCategory.ENVIRONMENT, household=town.other_household,
                                  reporter=town.other_member, description="Rác thải đổ ra kênh", now=now)
    return town, land, complaint, late, other


async def test_each_leader_sees_their_area_and_no_more(engine, sessions):
    town, land, complaint, late, other = await _town_with_concerns(sessions)
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.world.leader)
        page = await (await http.get("/web/concerns")).text()
        assert land.reference in page and complaint.reference in page and late.reference in page
        assert other.reference not in page
        # The household's name: shown to a village leader for land, never for a complaint.
        assert "Nguyễn Văn Hùng" in page and "Trần Thị Lan" not in page
        assert (await http.get(f"/web/concerns/{other.id}")).status == 404  # another village's: as if none
        assert (await http.get("/web/concerns/999999")).status == 404
        assert (await http.get("/web/concerns/x1")).status == 404
        assert (await http.get(f"/web/concerns/{land.id}")).status == 200
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.khoi)  # the commune's office: every village
        page = await (await http.get("/web/concerns")).text()
        assert all(c.reference in page for c in (land, complaint, late, other))
        only_other = await (await http.get(f"/web/concerns?village={town.other_village.id}")).text()
        assert other.reference in only_other and land.reference not in only_other
    async with sessions() as s:
        views = (await s.scalars(select(AuditLog).where(AuditLog.action == "concern.view"))).all()
        assert [(v.entity_id, v.details["web"]) for v in views] == [(land.id, True)]
        lists = (await s.scalars(select(AuditLog).where(AuditLog.action == "concern.list"))).all()
        assert len(lists) == 3 and set(lists[0].details["shown"]) == {land.id, complaint.id, late.id}


async def test_filters_and_sorting(engine, sessions):
    town, land, complaint, late, other = await _town_with_concerns(sessions)
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.khoi)

        async def refs(query: str) -> list[str]:
            html = await (await http.get("/web/concerns?" + query)).text()
            return [c.reference for c in sorted((land, complaint, late, other), key=lambda c: html.find(c.reference))
                    if c.reference in html]

        assert await refs("category=land") == [land.reference]
        assert await refs("overdue=1") == [late.reference]
        assert (await refs(""))[0] == late.reference  # urgent first
        assert (await refs("sort=new"))[-1] == late.reference  # the oldest last
        assert await refs(f"level={ConcernLevel.CHI_BO}") == []
        assert await refs("status=answered") == []
        assert set(await refs("status=all&category=nonsense&village=abc&page=-1")) == {
            c.reference for c in (land, complaint, late, other)}  # unreadable filters are ignored
        this_month = utcnow().astimezone(TZ)  # the overview's "new this month" link: recorded this month
        assert late.reference not in await refs(f"status=all&month={this_month:%Y-%m}")


async def test_answering_in_the_browser_tells_the_volunteer_as_the_chat_does(engine, sessions):
    town, land, *_ = await _town_with_concerns(sessions)
    async with client(engine, sessions) as http:
        csrf = await sign_in(http, sessions, town.world.leader)
        page = await (await http.get(f"/web/concerns/{land.id}")).text()
        assert csrf_of(page) == csrf and f"/web/concerns/{land.id}/answered" in page
        answer = "Xã đã đo đạc lại: ranh giới đúng theo sổ đỏ."
        forged = await http.post(f"/web/concerns/{land.id}/answered", data={"csrf": "f" * 64, "text": answer})
        assert forged.status == 403
        missing = await http.post(f"/web/concerns/{land.id}/answered", data={"text": answer})
        assert missing.status == 403
        short = await http.post(f"/web/concerns/{land.id}/answered", data={"csrf": csrf, "text": "ok"})
        assert short.status == 400 and "ít nhất 5 ký tự" in await short.text()
        async with sessions() as s:
            assert (await s.get(Concern, land.id)).status == ConcernStatus.NEW
        done = await http.post(f"/web/concerns/{land.id}/answered", data={"csrf": csrf, "text": answer},
                               allow_redirects=False)
        assert done.status == 303 and done.headers["Location"] == f"/web/concerns/{land.id}?done=answered"
        after = await (await http.get(done.headers["Location"])).text()
        assert "Đã ghi." in after and answer in after
    async with sessions() as s:
        concern = await s.get(Concern, land.id)
        assert concern.status == ConcernStatus.ANSWERED and concern.answer_text == answer
    [notice] = await texts_for(sessions, town.world.member)
    assert "đã có trả lời" in notice and answer in notice


async def test_the_other_actions_keep_the_chats_rules(engine, sessions):
    town, land, complaint, late, other = await _town_with_concerns(sessions)
    async with client(engine, sessions) as http:
        csrf = await sign_in(http, sessions, town.deputy)
        post = lambda act, **data: http.post(f"/web/concerns/{land.id}/{act}", data={"csrf": csrf, **data},  # noqa: E731
                                             allow_redirects=False)
        assert (await post("taken_on", assignee=str(town.world.leader.id))).status == 303
        async with sessions() as s:
            assert (await s.get(Concern, land.id)).assignee_id == town.world.leader.id
        assert (await post("taken_on", assignee="")).status == 400  # neither a person nor an outside body
        assert (await post("taken_on", assignee="", body="UBND xã")).status == 303
        assert (await post("note", note="Đã hẹn gặp hộ")).status == 303
        assert (await post("escalated", note="Vượt thẩm quyền tổ")).status == 303
        refused = await post("answered", text="Một câu trả lời đủ dài")
        assert refused.status == 400 and "đã chuyển lên Chi bộ" in await refused.text()  # out of the deputy's hands
        assert (await post("closed", reason="resolved")).status == 400
        assert (await post("bogus")).status == 404
    async with client(engine, sessions) as http:
        csrf = await sign_in(http, sessions, town.world.leader)  # the chi bộ secretary holds the chi bộ level
        post = lambda act, **data: http.post(f"/web/concerns/{land.id}/{act}", data={"csrf": csrf, **data},  # noqa: E731
                                             allow_redirects=False)
        assert (await post("closed", reason="nonsense")).status == 400
        assert (await post("closed", reason="resolved")).status == 303
        assert (await post("reopened", note="Hộ báo chưa xong")).status == 303
        other_village = await http.post(f"/web/concerns/{other.id}/note", data={"csrf": csrf, "note": "xin chào"})
        assert other_village.status == 404
    async with sessions() as s:
        concern = await s.get(Concern, land.id)
        assert concern.status == ConcernStatus.NEW and concern.level == ConcernLevel.CHI_BO  # nobody holds it since the escalation


async def test_the_filtered_list_as_a_spreadsheet(engine, sessions):
    town, land, complaint, late, other = await _town_with_concerns(sessions)
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.world.leader)
        response = await http.get("/web/concerns.xlsx?status=all")
        assert response.status == 200
        assert response.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert "attachment" in response.headers["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(await response.read())).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
        assert sorted(r[0] for r in rows) == sorted([land.reference, complaint.reference, late.reference])
        by_ref = {r[0]: r for r in rows}
        assert by_ref[land.reference][8] == "Nguyễn Văn Hùng" and by_ref[complaint.reference][8] is None
        assert by_ref[late.reference][6] == "có"
        only = load_workbook(io.BytesIO(await (await http.get("/web/concerns.xlsx?category=land")).read())).active
        assert [row[0].value for row in only.iter_rows(min_row=3)] == [land.reference]
    async with sessions() as s:
        assert await s.scalar(select(AuditLog.id).where(AuditLog.action == "concern.export").limit(1))


async def test_pages_in_english_for_a_person_who_chose_it(engine, sessions):
    town, land, *_ = await _town_with_concerns(sessions)
    async with sessions() as s:
        await s.execute(update(Person).where(Person.id == town.world.leader.id).values(locale="en"))
        await s.commit()
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.world.leader)
        board = await (await http.get("/web/concerns")).text()
        assert "Sign out" in board and "Concerns and petitions" in board and 'lang="en"' in board
        detail = await (await http.get(f"/web/concerns/{land.id}")).text()
        assert "History" in detail and "Lịch sử" not in detail
