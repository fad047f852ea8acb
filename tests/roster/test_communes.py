"""The official 2025 list: lookups ignore diacritics and case; setup is idempotent."""

from sqlalchemy import func, select

from models.enums import UnitKind
from models.tables import AuditLog, OrgUnit
from models.units import admin_divisions
from models.units.communes import setup_commune


def test_the_official_list_has_every_commune():
    assert admin_divisions.count() == 3321


def test_lookup_by_code_and_by_folded_name():
    by_code, _ = admin_divisions.lookup("10459")
    by_name, _ = admin_divisions.lookup("phuc son")
    with_prefix, _ = admin_divisions.lookup("XÃ PHÚC SƠN")
    assert by_code == by_name == with_prefix
    assert (by_code.name, by_code.province_code, by_code.province_name) == ("Xã Phúc Sơn", "01", "Thành phố Hà Nội")


def test_ambiguous_name_lists_every_candidate_and_province_narrows_it():
    found, closest = admin_divisions.lookup("hong son")
    assert found is None
    assert {c.province_name for c in closest} >= {"Thành phố Hà Nội", "Tuyên Quang"}
    found, _ = admin_divisions.lookup("hong son, ha noi")
    assert found is not None and found.code == "10465"


def test_unknown_name_and_code_give_closest_matches():
    found, closest = admin_divisions.lookup("phuc sonn")
    assert found is None and closest[0].code == "10459"
    found, closest = admin_divisions.lookup("10458")
    assert found is None and "10459" in [c.code for c in closest]


async def test_setup_creates_province_and_commune_once(session):
    official = admin_divisions.by_code("10459")
    commune, created = await setup_commune(session, official)
    await session.commit()
    assert created and commune.kind == UnitKind.COMMUNE and commune.code == "10459"
    province = await session.get(OrgUnit, commune.parent_id)
    assert (province.kind, province.code, province.name) == (UnitKind.PROVINCE, "01", "Thành phố Hà Nội")
    again, created_again = await setup_commune(session, official)
    await session.commit()
    assert again.id == commune.id and not created_again
    assert await session.scalar(select(func.count()).select_from(OrgUnit)) == 2
    assert await session.scalar(select(func.count()).select_from(AuditLog)) == 1
    # A second commune of the same province shares the province.
    other, _ = await setup_commune(session, admin_divisions.by_code("10465"))
    assert other.parent_id == province.id
