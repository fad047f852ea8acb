"""Creating a commune (and its province) from the official list."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.enums import UnitKind
from models.tables import OrgUnit
from models.units.admin_divisions import OfficialCommune
from models.units.tree import add_unit


async def setup_commune(session: AsyncSession, official: OfficialCommune, *, actor_label: str = "cli") -> tuple[OrgUnit, bool]:
    """The commune's unit, created with its province on first use; running it again is a no-op."""
    province = await session.scalar(
        select(OrgUnit).where(OrgUnit.kind == UnitKind.PROVINCE, OrgUnit.code == official.province_code)
    )
    if province is None:
        province = await add_unit(session, UnitKind.PROVINCE, official.province_name,
                                  code=official.province_code, division_type=official.province_division_type)
    commune = await session.scalar(
        select(OrgUnit).where(OrgUnit.kind == UnitKind.COMMUNE, OrgUnit.code == official.code)
    )
    if commune is not None:
        return commune, False
    commune = await add_unit(session, UnitKind.COMMUNE, official.name, province, code=official.code,
                             division_type=official.division_type)
    audit.record(session, "setup_commune", "org_unit", commune.id, actor_label=actor_label,
                 details={"code": official.code, "name": official.name})
    return commune, True
