"""Files the bot made or fetched itself (a digest's chart, its spreadsheet, a photo passed from one
app to the other), kept for a while so the outbox can send them and Zalo can fetch them by link."""

import datetime as dt

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class Attachment(Base):
    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The only name a link carries: random, at least 128 bits, so links cannot be guessed or walked.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(default=0)
    # Where a fetched copy came from ("telegram:<file id>"): the same photo is fetched once.
    source: Mapped[str | None] = mapped_column(String(300), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
