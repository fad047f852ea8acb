"""Translated labels of the domain's vocabularies, short enough for a phone button."""

from core.i18n import LazyString, __
from models.enums import (
    CloseReason,
    ConcernCategory,
    ConcernStatus,
    GroupPurpose,
    ModelField,
    OutcomeKind,
    Role,
    UnitKind,
    Urgency,
    VisitPurpose,
)

ROLE_LABELS: dict[Role, LazyString] = {
    Role.MEMBER: __("Thành viên"),
    Role.GROUP_LEADER: __("Nhóm trưởng"),
    Role.TEAM_LEADER: __("Tổ trưởng"),
    Role.TEAM_DEPUTY: __("Tổ phó"),
    Role.CHI_BO_SECRETARY: __("Bí thư chi bộ"),
    Role.KHOI_DAN_VAN_HEAD: __("Trưởng khối dân vận"),
    Role.COMMUNE_SECRETARY: __("Bí thư Đảng ủy"),
    Role.ADMIN: __("Quản trị"),
}

UNIT_KIND_LABELS: dict[UnitKind, LazyString] = {
    UnitKind.PROVINCE: __("Tỉnh"),
    UnitKind.DISTRICT: __("Huyện"),
    UnitKind.COMMUNE: __("Xã/Phường/Đặc khu"),
    UnitKind.VILLAGE: __("Thôn/Tổ dân phố"),
    UnitKind.TEAM: __("Tổ Dân vận cộng đồng"),
    UnitKind.NHOM: __("Nhóm"),
}

PURPOSE_LABELS: dict[VisitPurpose, LazyString] = {
    VisitPurpose.PROPAGANDA: __("Tuyên truyền chủ trương, chính sách"),
    VisitPurpose.ENCOURAGE: __("Thăm hỏi, động viên"),
    VisitPurpose.MOBILISE: __("Vận động tham gia phong trào"),
    VisitPurpose.LEARN_SITUATION: __("Nắm tình hình, tâm tư, nguyện vọng"),
    VisitPurpose.MEDIATE: __("Hòa giải mâu thuẫn"),
    VisitPurpose.OTHER: __("Khác"),
}

CATEGORY_LABELS: dict[ConcernCategory, LazyString] = {
    ConcernCategory.LAND: __("Đất đai"),
    ConcernCategory.ADMIN_PROCEDURE: __("Thủ tục hành chính"),
    ConcernCategory.COMPLAINT: __("Khiếu nại, tố cáo"),
    ConcernCategory.SOCIAL_POLICY: __("Chính sách xã hội, an sinh"),
    ConcernCategory.ENVIRONMENT: __("Môi trường, vệ sinh"),
    ConcernCategory.SECURITY: __("An ninh, trật tự"),
    ConcernCategory.INFRASTRUCTURE: __("Hạ tầng (đường, điện, nước)"),
    ConcernCategory.DISPUTE: __("Mâu thuẫn, tranh chấp trong nhân dân"),
    ConcernCategory.PROGRAMME: __("Hiệu quả chương trình, dự án"),
    ConcernCategory.OTHER: __("Khác"),
}

URGENCY_LABELS: dict[Urgency, LazyString] = {
    Urgency.NORMAL: __("Bình thường"),
    Urgency.URGENT: __("Khẩn"),
}

STATUS_LABELS: dict[ConcernStatus, LazyString] = {
    ConcernStatus.NEW: __("Mới tiếp nhận"),
    ConcernStatus.FORWARDED: __("Đã chuyển"),
    ConcernStatus.IN_PROGRESS: __("Đang giải quyết"),
    ConcernStatus.ANSWERED: __("Đã trả lời"),
    ConcernStatus.CLOSED: __("Đã đóng"),
}

CLOSE_REASON_LABELS: dict[CloseReason, LazyString] = {
    CloseReason.RESOLVED: __("Đã giải quyết"),
    CloseReason.NOT_COMPETENT: __("Không thuộc thẩm quyền"),
    CloseReason.DUPLICATE: __("Trùng lặp"),
    CloseReason.WITHDRAWN: __("Người dân rút lại"),
}

GROUP_PURPOSE_LABELS: dict[GroupPurpose, LazyString] = {
    GroupPurpose.CHI_BO: __("Nhóm chi bộ"),
    GroupPurpose.TEAM: __("Nhóm Tổ Dân vận"),
    GroupPurpose.NHOM: __("Nhóm thành viên"),
    GroupPurpose.KHOI_DAN_VAN: __("Nhóm Khối dân vận xã"),
}

OUTCOME_DEFAULTS: tuple[tuple[LazyString, OutcomeKind], ...] = (
    (__("Đã đồng ý, thực hiện"), OutcomeKind.AGREED),
    (__("Đang vận động"), OutcomeKind.WORKING),
    (__("Chưa đồng ý"), OutcomeKind.REFUSED),
    (__("Không thuộc diện"), OutcomeKind.EXCLUDED),
)

MODEL_FIELD_LABELS: dict[ModelField, LazyString] = {
    ModelField.ECONOMY: __("Phát triển kinh tế"),
    ModelField.CULTURE_SOCIETY: __("Văn hóa, xã hội"),
    ModelField.SECURITY: __("Quốc phòng, an ninh"),
    ModelField.ENVIRONMENT: __("Môi trường, nông thôn mới"),
    ModelField.PARTY_BUILDING: __("Xây dựng Đảng, chính quyền"),
    ModelField.OTHER: __("Khác"),
}
