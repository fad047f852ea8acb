"""Roster import: the example builds the commune, a repeat writes nothing, an edit updates in place,
one bad row rejects the whole file; and the `gandan import` command end to end."""

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main as cli_main
from bot.tabular import read_table
from core.db import create_engine, session_factory, upgrade
from models.enums import Role, UnitKind
from models.roster.importer import ROSTER_COLUMNS, default_team_name, division_type, import_roster
from models.roster.rows import ImportRejected, RowError, SourceRow, alias_table
from models.tables import AuditLog, Household, Membership, OrgUnit, Person
from models.units import tree

EXAMPLES = Path(__file__).parents[2] / "examples"
NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 9, 1, 1, 0, tzinfo=dt.UTC)
KEYS = ("village", "team", "nhom", "name", "phone", "role")


async def make_commune(session) -> OrgUnit:
    province = await tree.add_unit(session, UnitKind.PROVINCE, "Thành phố Hà Nội", code="01")
    commune = await tree.add_unit(session, UnitKind.COMMUNE, "Xã Phúc Sơn", province, code="10459",
                                   division_type="xã")
    await session.commit()
    return commune


def example_rows(name: str = "roster.xlsx", columns=ROSTER_COLUMNS) -> list[SourceRow]:
    return read_table(EXAMPLES / name, alias_table(columns)).rows


def rows(*cells: tuple[str, ...]) -> list[SourceRow]:
    """Rows as a file would give them, numbered from 2 (row 1 is the header)."""
    return [SourceRow(i, dict(zip(KEYS, values, strict=True))) for i, values in enumerate(cells, start=2)]


async def snapshot(session) -> dict[str, list[tuple]]:
    """Every column of every row of the tables an import may touch, updated_at included."""
    result = {}
    for table in (OrgUnit, Person, Membership, Household):
        result[table.__tablename__] = [tuple(r) for r in (await session.execute(
            select(table.__table__).order_by(table.__table__.c.id))).all()]
    return result


async def roles_of(session, name: str, *, active: bool = True) -> set[tuple[str, Role]]:
    query = (select(OrgUnit.name, Membership.role).join(Membership, Membership.unit_id == OrgUnit.id)
             .join(Person, Person.id == Membership.person_id).where(Person.full_name == name))
    if active:
        query = query.where(Membership.ended_at.is_(None))
    return {tuple(r) for r in (await session.execute(query)).all()}


async def test_example_roster_builds_the_commune(session):
    commune = await make_commune(session)
    report = await import_roster(session, commune, example_rows(), now=NOW)
    await session.commit()
    assert (report["village_created"], report["team_created"], report["nhom_created"]) == (2, 2, 4)
    assert (report["people_created"], report["memberships_added"], report["memberships_ended"]) == (22, 25, 0)

    villages = await tree.descendants(session, commune, UnitKind.VILLAGE)
    assert [(v.name, v.division_type) for v in villages] == [("Thôn Đồng Tâm", "thôn"), ("Thôn Phúc Lâm", "thôn")]
    teams = await tree.descendants(session, commune, UnitKind.TEAM)
    assert [t.name for t in teams] == ["Tổ Dân vận cộng đồng thôn Đồng Tâm", "Tổ Dân vận cộng đồng thôn Phúc Lâm"]
    nhom = await tree.descendants(session, teams[0], UnitKind.NHOM)
    assert [n.name for n in nhom] == ["Nhóm 1", "Nhóm 2"]

    assert await roles_of(session, "Nguyễn Văn Thắng") == {
        ("Tổ Dân vận cộng đồng thôn Đồng Tâm", Role.TEAM_LEADER), ("Thôn Đồng Tâm", Role.CHI_BO_SECRETARY)}
    assert await roles_of(session, "Trần Văn Bình") == {
        ("Tổ Dân vận cộng đồng thôn Đồng Tâm", Role.TEAM_DEPUTY), ("Nhóm 2", Role.GROUP_LEADER)}
    assert await roles_of(session, "Lê Thị Thu Hà") == {("Xã Phúc Sơn", Role.KHOI_DAN_VAN_HEAD)}
    people = {p.full_name: p for p in await session.scalars(select(Person))}
    assert len(people) == 22
    assert people["Nguyễn Văn Thành"].phone == "0912100001"  # written "0912 100 001" in the file
    assert people["Đỗ Thị Lan"].phone is None
    assert {p.commune_id for p in people.values()} == {commune.id}
    assert {m.source for m in await session.scalars(select(Membership))} == {"import"}

    entry = await session.scalar(select(AuditLog).where(AuditLog.action == "import_roster"))
    assert entry.entity_id == commune.id and entry.details["people_created"] == 22
    assert "0912" not in str(entry.details) and "Thắng" not in str(entry.details)


async def test_repeated_import_changes_nothing(session):
    commune = await make_commune(session)
    await import_roster(session, commune, example_rows(), now=NOW)
    await session.commit()
    before = await snapshot(session)
    report = await import_roster(session, commune, example_rows(), now=LATER)
    await session.commit()
    assert await snapshot(session) == before
    assert report["memberships_unchanged"] == 25
    assert report["people_created"] + report["people_updated"] + report["memberships_added"] == 0


async def test_edited_roster_updates_in_place_and_ends_removed_roles(session):
    commune = await make_commune(session)
    await import_roster(session, commune, rows(
        ("Thôn Đồng Tâm", "", "Nhóm 1", "Phạm Văn Long", "0912100021", "Nhóm trưởng"),
        ("Thôn Đồng Tâm", "", "Nhóm 1", "Hoàng Thị Mai", "", "Thành viên"),
        ("Thôn Đồng Tâm", "", "Nhóm 1", "Vu Van Tuan", "0912100023", "Thành viên"),
        ("Thôn Đồng Tâm", "", "", "Nguyễn Văn Thắng", "0912100011", "Tổ trưởng"),
    ), now=NOW)
    thang = await session.scalar(select(Person).where(Person.phone == "0912100011"))
    team = (await tree.descendants(session, commune, UnitKind.TEAM))[0]
    session.add(Membership(person_id=thang.id, unit_id=team.id, role=Role.TEAM_DEPUTY, source="invite"))
    await session.commit()
    mai = await session.scalar(select(Person).where(Person.full_name == "Hoàng Thị Mai"))
    mai_updated_at = mai.updated_at

    report = await import_roster(session, commune, rows(
        ("Thôn Đồng Tâm", "", "Nhóm 1", "Phạm Văn Long", "0912100021", "Nhóm trưởng"),
        ("Thôn Đồng Tâm", "", "Nhóm 2", "Hoàng Thị Mai", "0912100022", "Thành viên"),  # phone added, moved
        ("Thôn Đồng Tâm", "", "Nhóm 1", "Vũ Văn Tuấn", "0912100023", "Thành viên"),  # name spelled properly
    ), now=LATER)
    await session.commit()
    assert (report["people_updated"], report["people_created"], report["nhom_created"]) == (2, 0, 1)
    assert (report["memberships_added"], report["memberships_ended"]) == (1, 2)
    people = {p.full_name: p for p in await session.scalars(select(Person).order_by(Person.id))}
    assert list(people) == ["Phạm Văn Long", "Hoàng Thị Mai", "Vũ Văn Tuấn", "Nguyễn Văn Thắng"]
    assert people["Hoàng Thị Mai"].phone == "0912100022" and people["Hoàng Thị Mai"].id == mai.id
    assert people["Hoàng Thị Mai"].updated_at > mai_updated_at
    assert await roles_of(session, "Hoàng Thị Mai") == {("Nhóm 2", Role.MEMBER)}
    # Removed from the file: the imported role ends, the role from an invite stays.
    assert await roles_of(session, "Nguyễn Văn Thắng") == {("Tổ Dân vận cộng đồng thôn Đồng Tâm", Role.TEAM_DEPUTY)}
    ended = await session.scalar(select(Membership).where(Membership.person_id == thang.id,
                                                          Membership.role == Role.TEAM_LEADER))
    assert ended.ended_at == LATER

    # Listed again: the same membership comes back rather than a new one.
    report = await import_roster(session, commune, rows(
        ("Thôn Đồng Tâm", "", "", "Nguyễn Văn Thắng", "0912100011", "to truong")), now=LATER)
    await session.commit()
    await session.refresh(ended)
    assert ended.ended_at is None and report["memberships_added"] == 1
    assert await session.scalar(select(Membership).where(Membership.role == Role.TEAM_LEADER)
                                .with_only_columns(Membership.id)) == ended.id


@pytest.mark.parametrize(("bad", "expected"), [
    (("Thôn Đồng Tâm", "", "Nhóm 1", "Vũ Văn Tuấn", "", "Trưởng nhóm phó"),
     RowError(3, "Vai trò", "unknown_role", "Trưởng nhóm phó")),
    (("Thôn Đồng Tâm", "", "Nhóm 1", "Vũ Văn Tuấn", "012345", "Thành viên"),
     RowError(3, "Số điện thoại", "bad_phone", "012345")),
    (("Thôn Đồng Tâm", "", "", "Vũ Văn Tuấn", "", "Thành viên"), RowError(3, "Nhóm", "nhom_required", None)),
    (("", "", "", "Vũ Văn Tuấn", "", "Tổ phó"), RowError(3, "Thôn/Tổ dân phố", "village_required", None)),
    (("Thôn Đồng Tâm", "", "Nhóm 1", "", "", "Thành viên"), RowError(3, "Họ và tên", "required", None)),
    (("Thôn Đồng Tâm", "", "Nhóm 1", "Phạm Văn Long", "0912100021", "Nhóm trưởng"),
     RowError(3, None, "duplicate_row", "2")),
    (("Thôn Đồng Tâm", "", "Nhóm 2", "Phạm Văn Lâm", "0912100021", "Thành viên"),
     RowError(3, "Họ và tên", "conflicting_name", "Phạm Văn Lâm")),
    (("Thôn Đồng Tâm", "", "Nhóm 2", "Phạm Văn Long", "0912100099", "Thành viên"),
     RowError(3, "Số điện thoại", "conflicting_phone", "0912100099")),
    (("Thôn Đồng Tâm", "Tổ Dân vận số 2", "", "Lê Thị Hạnh", "", "Tổ phó"),
     RowError(3, "Tổ Dân vận", "conflicting_team", "Tổ Dân vận số 2")),
])
async def test_one_bad_row_rejects_the_file_and_names_row_and_column(session, bad, expected):
    commune = await make_commune(session)
    await import_roster(session, commune, example_rows(), now=NOW)
    await session.commit()
    before = await snapshot(session)
    good = ("Thôn Đồng Tâm", "Tổ Dân vận cộng đồng thôn Đồng Tâm", "Nhóm 1", "Phạm Văn Long", "0912100021",
            "Nhóm trưởng")
    file_rows = rows(good, bad, ("Thôn Mới", "", "Nhóm 9", "Người Mới", "0912999999", "Thành viên"))
    with pytest.raises(ImportRejected) as caught:
        await import_roster(session, commune, file_rows, now=LATER)
    assert caught.value.errors == [expected]
    assert not session.new and not session.dirty  # nothing was even staged
    await session.rollback()
    assert await snapshot(session) == before


async def test_headers_as_written_name_the_column(session):
    commune = await make_commune(session)
    bad = [SourceRow(7, {"village": "Thôn A", "name": "X", "role": "chủ tịch"})]
    with pytest.raises(ImportRejected) as caught:
        await import_roster(session, commune, bad, now=NOW, headers={"role": "ROLE"})
    assert caught.value.errors == [RowError(7, "ROLE", "unknown_role", "chủ tịch")]


async def test_an_empty_roster_is_rejected_rather_than_ending_every_role(session):
    commune = await make_commune(session)
    with pytest.raises(ImportRejected) as caught:
        await import_roster(session, commune, [], now=NOW)
    assert caught.value.errors == [RowError(1, None, "no_rows", None)]


async def test_name_without_phone_matching_two_people_is_ambiguous(session):
    commune = await make_commune(session)
    session.add_all([Person(full_name="Nguyễn Văn Hùng", name_key="nguyen van hung", phone=p,
                            commune_id=commune.id) for p in ("0912000001", "0912000002")])
    await session.commit()
    with pytest.raises(ImportRejected) as caught:
        await import_roster(session, commune, rows(("Thôn A", "", "Nhóm 1", "Nguyễn Văn Hùng", "", "Thành viên")),
                            now=NOW)
    assert caught.value.errors == [RowError(2, "Họ và tên", "ambiguous_person", "Nguyễn Văn Hùng")]


async def test_village_keeps_one_team_renamed_by_the_file(session):
    commune = await make_commune(session)
    await import_roster(session, commune, rows(
        ("TDP 5", "", "Nhóm 1", "Lò Văn Pản", "", "Thành viên")), now=NOW)
    report = await import_roster(session, commune, rows(
        ("tdp 5", "", "Nhóm 1", "Lò Văn Pản", "", "Thành viên"),
        ("TDP 5", "Tổ Dân vận TDP số 5", "", "Lò Văn Sùng", "", "Tổ trưởng")), now=LATER)
    teams = await tree.descendants(session, commune, UnitKind.TEAM)
    assert [t.name for t in teams] == ["Tổ Dân vận TDP số 5"] and report["team_created"] == 0
    village = (await tree.descendants(session, commune, UnitKind.VILLAGE))[0]
    assert village.division_type == "tổ dân phố"


def test_division_type_and_default_team_name():
    assert division_type("Tổ dân phố số 3") == "tổ dân phố"
    assert division_type("TDP 5") == "tổ dân phố"
    assert division_type("Bản Nà Hẩu") == "bản"
    assert division_type("Đồng Tâm") == "thôn"
    assert default_team_name("Thôn Đồng Tâm") == "Tổ Dân vận cộng đồng thôn Đồng Tâm"
    assert default_team_name("TDP 5") == "Tổ Dân vận cộng đồng TDP 5"


async def _setup_cli_db(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    async with session_factory(engine)() as session:
        await make_commune(session)
    await engine.dispose()


async def _count(url: str, table: type) -> int:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        count = len((await session.scalars(select(table))).all())
    await engine.dispose()
    return count


@pytest.fixture
def cli_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("DEFAULT_LOCALE", raising=False)
    return url


def run_cli(tmp_path, *args: str) -> int:
    empty = tmp_path / "empty.env"  # an env file that sets nothing (a missing one is an error)
    empty.touch()
    return cli_main(["--env-file", str(empty), *args])


def test_cli_imports_both_examples(cli_db, tmp_path, capsys):
    asyncio.run(_setup_cli_db(cli_db))
    assert run_cli(tmp_path, "import", "roster", str(EXAMPLES / "roster.xlsx"), "--commune", "10459") == 0
    assert run_cli(tmp_path, "import", "households", str(EXAMPLES / "households.csv")) == 0
    out = capsys.readouterr().out
    assert "Đã nhập danh sách tổ của Xã Phúc Sơn: 25 dòng." in out
    assert "Hộ: 60 mới, 0 cập nhật, 0 giữ nguyên" in out
    assert "0912" not in out  # no phone numbers on screen
    assert asyncio.run(_count(cli_db, Household)) == 60


def test_cli_rejects_a_bad_file_and_writes_nothing(cli_db, tmp_path, capsys):
    asyncio.run(_setup_cli_db(cli_db))
    bad = tmp_path / "roster.csv"
    bad.write_text("Thôn/Tổ dân phố;Nhóm;Họ và tên;Số điện thoại;Vai trò\n"
                   "Thôn Đồng Tâm;Nhóm 1;Phạm Văn Long;0912100021;Nhóm trưởng\n"
                   "Thôn Đồng Tâm;Nhóm 1;Vũ Văn Tuấn;09121;Thành viên\n", encoding="utf-8-sig")
    assert run_cli(tmp_path, "import", "roster", str(bad)) == 1
    err = capsys.readouterr().err
    assert "Dòng 3, cột “Số điện thoại”: “09121” không phải số điện thoại Việt Nam" in err
    assert "Tệp bị từ chối: không có gì được ghi." in err
    assert "0912100021" not in err
    assert asyncio.run(_count(cli_db, Person)) == 0


def test_cli_needs_a_known_commune_and_a_readable_file(cli_db, tmp_path, capsys):
    asyncio.run(_setup_cli_db(cli_db))
    assert run_cli(tmp_path, "import", "roster", str(EXAMPLES / "roster.xlsx"), "--commune", "Hồng Sơn") == 2
    assert "Hồng Sơn" in capsys.readouterr().err
    (tmp_path / "roster.xls").write_bytes(b"\xd0\xcf")
    assert run_cli(tmp_path, "import", "roster", str(tmp_path / "roster.xls")) == 1
    assert ".xlsx" in capsys.readouterr().err
    (tmp_path / "no_role.csv").write_text("Thôn,Họ và tên\nThôn A,B\n", encoding="utf-8")
    assert run_cli(tmp_path, "import", "roster", str(tmp_path / "no_role.csv")) == 1
    assert "Tệp thiếu cột: “Vai trò”" in capsys.readouterr().err


def test_cli_refuses_a_file_past_the_row_limit_in_one_line(cli_db, tmp_path, capsys):
    asyncio.run(_setup_cli_db(cli_db))
    big = tmp_path / "roster.csv"
    big.write_text("Thôn,Họ và tên,Vai trò\n" + "Thôn A,Người,Thành viên\n" * 50_001, encoding="utf-8")
    assert run_cli(tmp_path, "import", "roster", str(big)) == 1
    assert capsys.readouterr().err == ("Tệp có hơn 50000 dòng: chia thành nhiều tệp nhỏ hơn rồi nhập lần lượt.\n")
    assert asyncio.run(_count(cli_db, Person)) == 0
