"""Closed vocabularies of the domain, stored as short English codes; labels live in the catalogs."""

import enum

from sqlalchemy import Enum as SAEnum


class StrEnum(str, enum.Enum):
    def __str__(self) -> str:
        return self.value


class UnitKind(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    VILLAGE = "village"
    TEAM = "team"
    NHOM = "nhom"


class Role(StrEnum):
    MEMBER = "member"
    GROUP_LEADER = "group_leader"
    TEAM_LEADER = "team_leader"
    TEAM_DEPUTY = "team_deputy"
    CHI_BO_SECRETARY = "chi_bo_secretary"
    KHOI_DAN_VAN_HEAD = "khoi_dan_van_head"
    COMMUNE_SECRETARY = "commune_secretary"
    ADMIN = "admin"


# The unit kind each role is held at; an invite or roster row for a role names a unit of this kind.
ROLE_UNIT_KIND: dict[Role, UnitKind] = {
    Role.MEMBER: UnitKind.NHOM,
    Role.GROUP_LEADER: UnitKind.NHOM,
    Role.TEAM_LEADER: UnitKind.TEAM,
    Role.TEAM_DEPUTY: UnitKind.TEAM,
    Role.CHI_BO_SECRETARY: UnitKind.VILLAGE,
    Role.KHOI_DAN_VAN_HEAD: UnitKind.COMMUNE,
    Role.COMMUNE_SECRETARY: UnitKind.COMMUNE,
    Role.ADMIN: UnitKind.COMMUNE,
}

# Spellings accepted in roster files (folded: no diacritics, lower case), Vietnamese and English.
ROLE_ALIASES: dict[str, Role] = {
    "thanh vien": Role.MEMBER, "to vien": Role.MEMBER, "member": Role.MEMBER,
    "nhom truong": Role.GROUP_LEADER, "truong nhom": Role.GROUP_LEADER, "group leader": Role.GROUP_LEADER,
    "to truong": Role.TEAM_LEADER, "team leader": Role.TEAM_LEADER,
    "to pho": Role.TEAM_DEPUTY, "team deputy": Role.TEAM_DEPUTY,
    "bi thu chi bo": Role.CHI_BO_SECRETARY, "chi bo secretary": Role.CHI_BO_SECRETARY,
    "truong khoi dan van": Role.KHOI_DAN_VAN_HEAD, "khoi dan van head": Role.KHOI_DAN_VAN_HEAD,
    "bi thu dang uy": Role.COMMUNE_SECRETARY, "commune secretary": Role.COMMUNE_SECRETARY,
    "quan tri": Role.ADMIN, "admin": Role.ADMIN,
}


class Channel(StrEnum):
    TELEGRAM = "telegram"
    ZALO = "zalo"
    TERMINAL = "terminal"


class VisitPurpose(StrEnum):
    PROPAGANDA = "propaganda"
    ENCOURAGE = "encourage"
    MOBILISE = "mobilise"
    LEARN_SITUATION = "learn_situation"
    MEDIATE = "mediate"
    OTHER = "other"


class ConcernCategory(StrEnum):
    LAND = "land"
    ADMIN_PROCEDURE = "admin_procedure"
    COMPLAINT = "complaint"
    SOCIAL_POLICY = "social_policy"
    ENVIRONMENT = "environment"
    SECURITY = "security"
    INFRASTRUCTURE = "infrastructure"
    DISPUTE = "dispute"
    PROGRAMME = "programme"
    OTHER = "other"


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class ConcernStatus(StrEnum):
    NEW = "new"
    FORWARDED = "forwarded"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"


class ConcernLevel(StrEnum):
    """Who holds a concern: the team, the village's chi bộ, or the commune (khối dân vận)."""

    TEAM = "team"
    CHI_BO = "chi_bo"
    COMMUNE = "commune"


class CloseReason(StrEnum):
    RESOLVED = "resolved"
    NOT_COMPETENT = "not_competent"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class AttendanceAnswer(StrEnum):
    ATTEND = "attend"
    ABSENT = "absent"


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class GroupPurpose(StrEnum):
    CHI_BO = "chi_bo"
    TEAM = "team"
    NHOM = "nhom"
    KHOI_DAN_VAN = "khoi_dan_van"


class OutcomeKind(StrEnum):
    """How a campaign's outcome counts: agreed and excluded are final; the rest are still worked on."""

    AGREED = "agreed"
    WORKING = "working"
    REFUSED = "refused"
    EXCLUDED = "excluded"  # "Không thuộc diện": out of the count


class ModelField(StrEnum):
    """The field of a "Dân vận khéo" model."""

    ECONOMY = "economy"
    CULTURE_SOCIETY = "culture_society"
    SECURITY = "security"
    ENVIRONMENT = "environment"
    PARTY_BUILDING = "party_building"
    OTHER = "other"


class ModelStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    RETURNED = "returned"


def db_enum(enum_cls: type[enum.Enum], length: int = 32) -> SAEnum:
    """A VARCHAR on every engine (no native ENUM types to migrate), storing the enum's value."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        name=enum_cls.__name__.lower(),
    )


def role_from_text(text: str) -> Role | None:
    """A role from its code ("team_leader") or a Vietnamese/English label, ignoring diacritics."""
    from core.text import fold

    key = fold(text).replace("_", " ")
    for role in Role:
        if key == role.value.replace("_", " "):
            return role
    return ROLE_ALIASES.get(key)
