"""Household import: the example fills every nhóm, a repeat writes nothing, an edit updates in place,
one bad row rejects the whole file."""

import pytest
from sqlalchemy import func, select

from bot.tabular import read_table
from models.households.importer import HOUSEHOLD_COLUMNS, import_households
from models.roster.importer import import_roster
from models.roster.rows import ImportRejected, RowError, SourceRow, alias_table
from models.tables import AuditLog, Household, Membership, OrgUnit, Person
from tests.roster.test_import_roster import EXAMPLES, LATER, NOW, example_rows, make_commune, snapshot

KEYS = ("code", "head_name", "address", "phone", "village", "nhom", "assigned")


def rows(*cells: tuple[str, ...]) -> list[SourceRow]:
    return [SourceRow(i, dict(zip(KEYS, values, strict=True))) for i, values in enumerate(cells, start=2)]


def example_households() -> list[SourceRow]:
    return read_table(EXAMPLES / "households.csv", alias_table(HOUSEHOLD_COLUMNS)).rows


@pytest.fixture
async def commune(session) -> OrgUnit:
    commune = await make_commune(session)
    await import_roster(session, commune, example_rows(), now=NOW)
    await session.commit()
    return commune


async def household(session, **where) -> Household:
    return await session.scalar(select(Household).filter_by(**where))


async def person_name(session, person_id: int | None) -> str | None:
    return await session.scalar(select(Person.full_name).where(Person.id == person_id))


async def test_example_households_fill_every_nhom(session, commune):
    report = await import_households(session, commune, example_households(), now=NOW)
    await session.commit()
    assert (report["households_created"], report["households_updated"], report["not_in_file"]) == (60, 0, 0)
    per_nhom = (await session.execute(
        select(OrgUnit.path, func.count()).join(Household, Household.nhom_id == OrgUnit.id)
        .group_by(OrgUnit.path))).all()
    assert sorted(count for _, count in per_nhom) == [15, 15, 15, 15]
    villages = {v: n for v, n in (await session.execute(
        select(OrgUnit.name, func.count()).join(Household, Household.village_id == OrgUnit.id)
        .group_by(OrgUnit.name))).all()}
    assert villages == {"Thôn Đồng Tâm": 30, "Thôn Phúc Lâm": 30}

    first = await household(session, code="DT-001")
    assert (first.head_name, first.name_key) == ("Đinh Văn Đức", "dinh van duc")
    assert (first.address, first.phone) == ("Số 86, Xóm Trại, thôn Đồng Tâm", "0912300001")
    assert first.commune_id == commune.id
    assert await person_name(session, first.assigned_member_id) == "Phạm Văn Long"
    by_phone = await household(session, code="DT-019")  # assigned by the member's phone, not name
    assert await person_name(session, by_phone.assigned_member_id) == "Bùi Thị Nga"
    assert await session.scalar(select(func.count()).where(Household.code.is_(None))) == 20
    entry = await session.scalar(select(AuditLog).where(AuditLog.action == "import_households"))
    assert entry.details["households_created"] == 60 and "Đức" not in str(entry.details)


async def test_repeated_import_changes_nothing(session, commune):
    await import_households(session, commune, example_households(), now=NOW)
    await session.commit()
    before = await snapshot(session)
    report = await import_households(session, commune, example_households(), now=LATER)
    await session.commit()
    assert await snapshot(session) == before
    assert report["households_unchanged"] == 60 and report["households_updated"] == 0


@pytest.mark.parametrize("bom", [True, False])
async def test_semicolon_csv_with_or_without_bom(session, commune, tmp_path, bom):
    path = tmp_path / "households.csv"
    path.write_text("Mã hộ;Chủ hộ;Địa chỉ;Thôn;Nhóm;Người phụ trách\n"
                    ";Lò Văn Pản;Xóm Trại;Đồng Tâm;1;vu van tuan\n", encoding="utf-8-sig" if bom else "utf-8")
    table = read_table(path, alias_table(HOUSEHOLD_COLUMNS), ["head_name", "village", "nhom"])
    await import_households(session, commune, table.rows, now=NOW, headers=table.headers)
    created = await household(session, name_key="lo van pan")
    assert await person_name(session, created.assigned_member_id) == "Vũ Văn Tuấn"
    assert created.code is None and created.phone is None


async def test_edited_file_updates_in_place(session, commune):
    await import_households(session, commune, example_households(), now=NOW)
    await session.commit()
    first, second = await household(session, code="DT-001"), await household(session, code="DT-002")
    codeless = await household(session, head_name="Vũ Thị Cúc")
    untouched = await household(session, code="DT-003")
    untouched_at = untouched.updated_at
    report = await import_households(session, commune, rows(
        ("DT-001", "Đinh Văn Đức", "Số 90, Xóm Trại, thôn Đồng Tâm", "0912300999", "Thôn Đồng Tâm", "Nhóm 1",
         "Phạm Văn Long"),
        ("DT-002", "Kiều Văn An", "Số 110, Xóm Giữa, thôn Đồng Tâm", "", "Thôn Đồng Tâm", "Nhóm 2",
         "Ngô Thị Thu"),
        ("PL-900", "Vũ Thị Cúc", "Số 20, Xóm Đông, thôn Phúc Lâm", "", "Thôn Phúc Lâm", "Nhóm 1", ""),
    ), now=LATER)
    await session.commit()
    assert (report["households_updated"], report["households_created"], report["not_in_file"]) == (3, 0, 57)
    for h in (first, second, codeless, untouched):
        await session.refresh(h)
    assert (first.address, first.phone) == ("Số 90, Xóm Trại, thôn Đồng Tâm", "0912300999")
    assert await person_name(session, second.assigned_member_id) == "Ngô Thị Thu"
    assert await session.scalar(select(OrgUnit.name).where(OrgUnit.id == second.nhom_id)) == "Nhóm 2"
    assert second.phone == "0912300002"  # a blank cell keeps the stored phone
    assert codeless.code == "PL-900"  # the code is added to the household, not a second household
    assert await person_name(session, codeless.assigned_member_id) == "Lương Văn Dũng"
    assert untouched.updated_at == untouched_at and untouched.active
    assert await session.scalar(select(func.count()).select_from(Household)) == 60


ROW2 = ("DT-001", "Đinh Văn Đức", "Số 86, Xóm Trại", "", "Thôn Đồng Tâm", "Nhóm 1", "Phạm Văn Long")


@pytest.mark.parametrize(("bad", "expected"), [
    (("", "Lò Văn Pản", "", "", "Thôn Đông", "Nhóm 1", ""), RowError(3, "Thôn/Tổ dân phố", "unknown_village",
                                                                     "Thôn Đông")),
    (("", "Lò Văn Pản", "", "", "Thôn Đồng Tâm", "Nhóm 5", ""), RowError(3, "Nhóm", "unknown_nhom", "Nhóm 5")),
    (("", "Lò Văn Pản", "", "", "Thôn Đồng Tâm", "Nhóm 1", "Ngô Thị Thu"),  # she serves Nhóm 2
     RowError(3, "Người phụ trách", "unknown_member", "Ngô Thị Thu")),
    (("", "Lò Văn Pản", "", "", "Thôn Đồng Tâm", "Nhóm 1", "0912100032"),
     RowError(3, "Người phụ trách", "unknown_member", "0912100032")),
    (("", "Lò Văn Pản", "", "12 34", "Thôn Đồng Tâm", "Nhóm 1", ""), RowError(3, "Số điện thoại", "bad_phone",
                                                                            "12 34")),
    (("", "", "Xóm Trại", "", "Thôn Đồng Tâm", "Nhóm 1", ""), RowError(3, "Chủ hộ", "required", None)),
    (("DT-001", "Lò Văn Pản", "", "", "Thôn Đồng Tâm", "Nhóm 1", ""), RowError(3, "Mã hộ", "duplicate_code",
                                                                             "DT-001")),
    (("", "Đinh Văn Đức", "Số 86, Xóm Trại", "", "Thôn Đồng Tâm", "Nhóm 2", ""),
     RowError(3, None, "duplicate_row", "2")),
])
async def test_one_bad_row_rejects_the_file(session, commune, bad, expected):
    before = await snapshot(session)
    file_rows = rows(ROW2, bad, ("DT-777", "Lò Thị Mai", "", "", "Thôn Phúc Lâm", "Nhóm 2", "Hà Thị Xuân"))
    with pytest.raises(ImportRejected) as caught:
        await import_households(session, commune, file_rows, now=NOW)
    assert caught.value.errors == [expected]
    assert not session.new and not session.dirty
    await session.rollback()
    assert await snapshot(session) == before


async def test_member_named_twice_in_a_nhom_is_ambiguous(session, commune):
    long_ = await session.scalar(select(Person).where(Person.full_name == "Phạm Văn Long"))
    leader = await session.scalar(select(Membership).where(Membership.person_id == long_.id))
    namesake = Person(full_name="Phạm Văn Long", name_key="pham van long", commune_id=commune.id)
    session.add(namesake)
    await session.flush()
    session.add(Membership(person_id=namesake.id, unit_id=leader.unit_id, role=leader.role, source="cli"))
    await session.commit()
    file_rows = rows(("", "Lò Văn Pản", "", "", "Thôn Đồng Tâm", "Nhóm 1", "Phạm Văn Long"),
                     ("", "Lò Văn Sùng", "", "", "Thôn Đồng Tâm", "Nhóm 1", "0912100021"))
    with pytest.raises(ImportRejected) as caught:
        await import_households(session, commune, file_rows, now=NOW)
    assert caught.value.errors == [RowError(2, "Người phụ trách", "ambiguous_member", "Phạm Văn Long")]
