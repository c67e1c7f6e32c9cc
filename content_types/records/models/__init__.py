"""Record models, one module per family; import them from here."""

from .assistance import NeedPage, NeedStatus, OfferPage, SupportKind, Urgency
from .base import Licence, RecordAttachment, RecordPage, RecordType, RelatedRecord
from .decisions import DecisionPage, DecisionParagraph, ParagraphStatus, ParagraphType
from .documents import DocumentRecordPage, DocumentType, GoodPracticePage
from .experts import ExpertProfilePage
from .index import RecordIndexPage, record_types
from .organisations import OrganisationPage, OrganisationType
from .projects import ProjectPage, ProjectStatus
from .reports import NationalReportPage, ProgressLevel, ReportTargetSection
from .sequences import IdentifierSequence

__all__ = [
    "DecisionPage",
    "DecisionParagraph",
    "DocumentRecordPage",
    "DocumentType",
    "ExpertProfilePage",
    "GoodPracticePage",
    "IdentifierSequence",
    "Licence",
    "NationalReportPage",
    "NeedPage",
    "NeedStatus",
    "OfferPage",
    "OrganisationPage",
    "OrganisationType",
    "ParagraphStatus",
    "ParagraphType",
    "ProgressLevel",
    "ProjectPage",
    "ProjectStatus",
    "RecordAttachment",
    "RecordIndexPage",
    "RecordPage",
    "RecordType",
    "RelatedRecord",
    "ReportTargetSection",
    "SupportKind",
    "Urgency",
    "record_types",
]
