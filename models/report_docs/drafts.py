"""A unit's report drafted as a Word document, each version as it went out, and the one submitted.

A version is the report's content and the template it was laid out with: the same draft asked
for twice is one version; a figure filled in or a template changed makes the next. Marking the
deadline submitted (`models/deadlines/calendar.py`) ties the submission to the latest version.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import use_locale
from core.text import fold
from models.enums import UnitKind
from models.report_docs import templates
from models.report_docs.versions import latest_draft
from models.reports.build import build_report
from models.tables import OrgUnit, ReportDraft
from models.units.tree import lineage
from reports.official import OfficialReport, ReportKind
from reports.word import render

DOCUMENT_LOCALE = "vi"  # a Party document is written in Vietnamese, whatever language the reader chats in
FILE_PREFIX = {ReportKind.HALF_YEAR: "bao-cao-6-thang", ReportKind.ANNUAL: "bao-cao-nam",
               ReportKind.REVIEW_3Y: "so-ket-3-nam", ReportKind.REVIEW_5Y: "tong-ket-5-nam"}


@dataclass(frozen=True)
class Draft:
    report: OfficialReport
    data: bytes
    filename: str
    version: int


async def commune_of(session: AsyncSession, unit: OrgUnit) -> OrgUnit:
    return next((u for u in await lineage(session, unit) if u.kind == UnitKind.COMMUNE), unit)


def filename(report: OfficialReport, unit: OrgUnit) -> str:
    return f"{FILE_PREFIX[report.kind]}-{report.year}-{fold(unit.name).replace(' ', '-')}.docx"


async def make(session: AsyncSession, unit: OrgUnit, kind: ReportKind, year: int, *, today: dt.date,
               now: dt.datetime, record: bool = True) -> Draft:
    """The draft as the data stands today, rendered with the commune's template (in a thread: it is CPU work)."""
    template = await templates.stored(session, (await commune_of(session, unit)).id)
    with use_locale(DOCUMENT_LOCALE):
        report = await build_report(session, unit=unit, kind=kind, year=year, today=today)
        data = await asyncio.to_thread(render, report, template.data if template else None)
    version = 0
    if record:
        digest = hashlib.sha256(repr(report).encode() + (template.sha256 if template else "default").encode())
        version = await _record(session, unit.id, kind, year, digest.hexdigest(), now)
    return Draft(report, data, filename(report, unit), version)


async def _record(session: AsyncSession, unit_id: int, kind: ReportKind, year: int, sha256: str,
                  now: dt.datetime) -> int:
    latest = await latest_draft(session, unit_id, kind, year)
    if latest is not None and latest.sha256 == sha256:
        return latest.version
    version = (latest.version if latest else 0) + 1
    session.add(ReportDraft(unit_id=unit_id, kind=kind.value, year=year, version=version, sha256=sha256,
                            created_at=now))
    await session.flush()
    return version
