"""Every table, imported together so the metadata is complete for Alembic and the tests."""

from models.surveys.tables import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse  # noqa: F401  (their own feature)
from models.tables.fieldwork.campaigns import (
    Campaign,
    CampaignHousehold,
    CampaignOption,
    CampaignOutcome,
    HouseholdAttribute,
)
from models.tables.fieldwork.concerns import Concern, ConcernEvent, ConcernHousehold, ConcernPhoto, ConcernRule
from models.tables.fieldwork.dan_van_kheo import GoodPracticeModel
from models.tables.fieldwork.households import Household, Visit
from models.tables.fieldwork.meetings import Meeting, MeetingAttendance, MeetingSchedule
from models.tables.messages.announcements import Announcement, AnnouncementReceipt
from models.tables.messages.attachments import Attachment
from models.tables.messages.conversation import ConversationState, ProcessedMessage
from models.tables.messages.delivery import ChatGroup, OutboxMessage, PlatformCapability
from models.tables.messages.web import WebLogin, WebSession
from models.tables.org.access import AuditLog, Counter, InviteCode
from models.tables.org.people import ChatIdentity, Membership, Person
from models.tables.org.units import OrgUnit
from models.tables.reporting.deadlines import ReportDeadline, ReportSubmission
from models.tables.reporting.evaluation import EvaluationHandScore, EvaluationResult, EvaluationRubric
from models.tables.reporting.report_docs import ReportDraft, ReportTemplate
from models.tables.reporting.reports import ReportField

__all__ = [
    "Announcement", "AnnouncementReceipt", "Attachment", "AuditLog", "Campaign", "CampaignHousehold",
    "CampaignOption", "CampaignOutcome", "ChatGroup", "ChatIdentity", "Concern",
    "ConcernEvent", "ConcernHousehold", "ConcernPhoto", "ConcernRule", "ConversationState", "Counter",
    "EvaluationHandScore", "EvaluationResult", "EvaluationRubric", "GoodPracticeModel", "Household",
    "HouseholdAttribute", "InviteCode",
    "Meeting", "MeetingAttendance", "MeetingSchedule", "Membership", "ReportDeadline", "ReportSubmission", "OrgUnit", "OutboxMessage", "Person",
    "PlatformCapability", "ProcessedMessage", "ReportDraft", "ReportField", "ReportTemplate", "Visit", "WebLogin",
    "WebSession",
]
