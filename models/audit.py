"""The audit trail: every change to people, households and access is written here."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import AuditLog


def record(
    session: AsyncSession,
    action: str,
    entity_type: str,
    entity_id: int | None = None,
    *,
    actor_id: int | None = None,
    actor_label: str = "system",
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Adds the entry to the caller's transaction, so it commits or rolls back with the change."""
    entry = AuditLog(action=action, entity_type=entity_type, entity_id=entity_id, actor_id=actor_id,
                     actor_label=actor_label, details=details or {})
    session.add(entry)
    return entry
