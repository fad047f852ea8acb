"""Proposing a model, approving or returning it, each with a notice through the outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, use_locale
from models import access, audit
from models.access import Held
from models.access.campaigns import REVIEWS_MODELS
from models.enums import Channel, ModelField, ModelStatus
from models.labels import MODEL_FIELD_LABELS
from models.outbox.enqueue import enqueue_for_people, payload
from models.tables import GoodPracticeModel, Membership, OrgUnit

NAME_MAX, DESCRIPTION_MAX, NOTE_MAX = 160, 2000, 500


@dataclass(frozen=True)
class Proposal:
    team: OrgUnit
    name: str
    field: ModelField
    description: str
    photo_ref: str | None = None
    photo_channel: Channel | None = None


async def teams_for(session: AsyncSession, held: Sequence[Held]) -> list[OrgUnit]:
    """The teams the person proposes for (their roles already carry the units: no query)."""
    return access.proposing_teams(held)


def reviewed_communes(held: Sequence[Held]) -> list[OrgUnit]:
    return access.reviewing_communes(held)


def _commune_of(team: OrgUnit) -> int:
    """A team's commune, from its path (commune / village / team)."""
    return int(team.path.strip("/").split("/")[-3])


async def reviewers(session: AsyncSession, commune_id: int) -> list[int]:
    return list(await session.scalars(
        select(Membership.person_id).where(Membership.unit_id == commune_id, Membership.ended_at.is_(None),
                                           access.role_in(Membership.role, REVIEWS_MODELS))))


def notice_text(model: GoodPracticeModel, village: str) -> str:
    return "\n".join((_("🌟 Đề xuất mô hình “Dân vận khéo” mới cần duyệt:"), f"“{model.name}” — {village}",
                      _("Lĩnh vực: {field}").format(field=MODEL_FIELD_LABELS[model.field]), model.description))


async def propose(session: AsyncSession, proposal: Proposal, *, person_id: int, now: dt.datetime,
                  tz: ZoneInfo) -> GoodPracticeModel:
    """The model stored as proposed; the commune's khối dân vận head is told, with the button to review."""
    team = proposal.team
    model = GoodPracticeModel(commune_id=_commune_of(team), village_id=team.parent_id, team_id=team.id,
                              name=proposal.name[:NAME_MAX], field=proposal.field,
                              description=proposal.description[:DESCRIPTION_MAX], photo_ref=proposal.photo_ref,
                              photo_channel=proposal.photo_channel, status=ModelStatus.PROPOSED,
                              proposed_by=person_id, proposed_at=now)
    session.add(model)
    await session.flush()
    village = await session.get(OrgUnit, team.parent_id)

    def body(locale: str | None) -> dict:
        with use_locale(locale):
            return payload(notice_text(model, village.name if village else ""),
                           [(f"dvk:{model.id}", _("Duyệt / trả lại"))], photo=model.photo_ref,
                           photo_channel=model.photo_channel)

    await enqueue_for_people(session, await reviewers(session, model.commune_id), key=f"dvk:proposed:{model.id}",
                             kind="dvk_proposed", body=body, now=now, tz=tz)
    audit.record(session, "propose_model", "dvk_model", model.id, actor_id=person_id,
                 actor_label=f"person:{person_id}", details={"team": team.id})
    return model


async def for_review(session: AsyncSession, held: Sequence[Held], model_id: int) -> GoodPracticeModel | None:
    """A model waiting in one of the communes the person reviews."""
    communes = [c.id for c in reviewed_communes(held)]
    model = await session.get(GoodPracticeModel, model_id)
    if model is None or model.commune_id not in communes or model.status != ModelStatus.PROPOSED:
        return None
    return model


async def waiting(session: AsyncSession, held: Sequence[Held]) -> list[GoodPracticeModel]:
    communes = [c.id for c in reviewed_communes(held)]
    if not communes:
        return []
    return list(await session.scalars(select(GoodPracticeModel).where(
        GoodPracticeModel.commune_id.in_(communes), GoodPracticeModel.status == ModelStatus.PROPOSED)
        .order_by(GoodPracticeModel.proposed_at, GoodPracticeModel.id)))


async def review(session: AsyncSession, model: GoodPracticeModel, *, approve: bool, note: str | None,
                 person_id: int, now: dt.datetime, tz: ZoneInfo) -> None:
    """Approved or returned with a note; the team leader who proposed it is told which, and why."""
    model.status = ModelStatus.APPROVED if approve else ModelStatus.RETURNED
    model.reviewed_by, model.reviewed_at, model.review_note = person_id, now, (note or None)

    def body(locale: str | None) -> dict:
        with use_locale(locale):
            text = (_("✅ Mô hình “{name}” đã được duyệt là mô hình “Dân vận khéo”.") if approve
                    else _("↩ Mô hình “{name}” được trả lại để bổ sung.")).format(name=model.name)
            if note:
                text += "\n" + _("Ghi chú: {note}").format(note=note)
            return payload(text)

    await enqueue_for_people(session, [model.proposed_by], key=f"dvk:reviewed:{model.id}:{now.isoformat()}",
                             kind="dvk_reviewed", body=body, now=now, tz=tz)
    audit.record(session, "review_model", "dvk_model", model.id, actor_id=person_id,
                 actor_label=f"person:{person_id}", details={"approved": approve})
