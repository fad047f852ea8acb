"""Every table, imported together so the metadata is complete for Alembic and the tests."""

from models.surveys.tables import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse  # noqa: F401  (their own feature)
from models.tables.access import AuditLog, Counter, InviteCode
from models.tables.announcements import Announcement, AnnouncementReceipt
from models.tables.attachments import Attachment
from models.tables.campaigns import Campaign, CampaignHousehold, CampaignOption, CampaignOutcome, HouseholdAttribute
from models.tables.concerns import Concern, ConcernEvent, ConcernHousehold, ConcernPhoto, ConcernRule
from models.tables.conversation import ConversationState, ProcessedMessage
from models.tables.dan_van_kheo import GoodPracticeModel
from models.tables.deadlines import ReportDeadline, ReportSubmission
from models.tables.delivery import ChatGroup, OutboxMessage, PlatformCapability
from models.tables.evaluation import EvaluationHandScore, EvaluationResult, EvaluationRubric
from models.tables.households import Household, Visit
from models.tables.meetings import Meeting, MeetingAttendance, MeetingSchedule
from models.tables.org import OrgUnit
from models.tables.people import ChatIdentity, Membership, Person
from models.tables.report_docs import ReportDraft, ReportTemplate
from models.tables.reports import ReportField
from models.tables.web import WebLogin, WebSession

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
