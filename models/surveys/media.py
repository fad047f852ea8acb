"""A survey's results as files: the chart of its first choice question and the XLSX of every count, stored for the outbox."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from core.text import fold
from models.outbox import attachments
from models.surveys.results import Results
from models.surveys.texts import results_chart, results_tables
from reports.spreadsheet import workbook

PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet(results: Results) -> bytes:
    return workbook(results_tables(results))


def first_chart(results: Results) -> bytes | None:
    index = next((i for i, q in enumerate(results.questions) if q.is_choice), None)
    return results_chart(results, index) if index is not None else None


async def store(session: AsyncSession, results: Results, now: dt.datetime) -> tuple[int | None, int]:
    """(chart id or None, spreadsheet id); drawn and packed in a thread so the bot keeps answering."""
    png, xlsx = await asyncio.gather(asyncio.to_thread(first_chart, results), asyncio.to_thread(spreadsheet, results))
    name = fold(results.form.survey.title).replace(" ", "-")[:60] or "khao-sat"
    photo = await attachments.store(session, png, filename=f"{name}.png", mime=PNG, now=now) if png else None
    sheet = await attachments.store(session, xlsx, filename=f"{name}.xlsx", mime=XLSX, now=now)
    return (photo.id if photo else None), sheet.id
