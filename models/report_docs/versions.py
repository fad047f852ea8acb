"""Which version of a unit's draft was sent, and which one a submission was: no document made here,
so the deadlines' calendar can ask without pulling in the report's builder."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import ReportDraft


async def latest_draft(session: AsyncSession, unit_id: int, kind: str, year: int) -> ReportDraft | None:
    return await session.scalar(select(ReportDraft).where(
        ReportDraft.unit_id == unit_id, ReportDraft.kind == kind, ReportDraft.year == year)
        .order_by(ReportDraft.version.desc()).limit(1))


async def link_submission(session: AsyncSession, unit_id: int, kind: str, year: int, submission_id: int) -> int | None:
    """The version submitted: the latest one sent before the mark (None when no draft was sent)."""
    latest = await latest_draft(session, unit_id, kind, year)
    if latest is None:
        return None
    latest.submission_id = submission_id
    await session.flush()
    return latest.version


async def submitted_version(session: AsyncSession, submission_id: int) -> int | None:
    return await session.scalar(select(func.max(ReportDraft.version)).where(ReportDraft.submission_id == submission_id))


async def unlink_submission(session: AsyncSession, submission_id: int) -> None:
    await session.execute(update(ReportDraft).where(ReportDraft.submission_id == submission_id)
                          .values(submission_id=None).execution_options(synchronize_session=False))
