"""A commune's own Word template for its reports (checked before it is stored), or None for the default."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import audit
from models.outbox.attachments import safe_filename
from models.tables import OrgUnit, ReportTemplate
from reports.word import check_template

MAX_BYTES = 5 * 1024 * 1024  # a letterhead with a logo fits well within this


async def stored(session: AsyncSession, commune_id: int) -> ReportTemplate | None:
    return await session.scalar(select(ReportTemplate).where(ReportTemplate.commune_id == commune_id))


async def use(session: AsyncSession, commune: OrgUnit, data: bytes, *, filename: str, now: dt.datetime,
              actor_label: str = "cli") -> ReportTemplate:
    """Stores the commune's template after `check_template` (which raises `TemplateRefused` with the reason)."""
    await asyncio.to_thread(check_template, data)
    row = await stored(session, commune.id)
    if row is None:
        row = ReportTemplate(commune_id=commune.id)
        session.add(row)
    row.filename, row.data, row.uploaded_at = safe_filename(filename), data, now
    row.sha256 = hashlib.sha256(data).hexdigest()
    await session.flush()
    audit.record(session, "report_template.use", "org_unit", commune.id, actor_label=actor_label,
                 details={"filename": row.filename, "sha256": row.sha256, "size": len(data)})
    return row
