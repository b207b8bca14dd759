"""Secondment opportunities and the business cases the Resources Board decides."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Computed, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import limits
from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class OpportunityKind(StrEnum):
    INTERNAL = "internal"
    OUTGOING = "outgoing"
    INCOMING = "incoming"
    INTERNATIONAL = "international"
    SHORTER_TERM = "shorter_term"
    INFORMAL = "informal"

    @property
    def label(self) -> str:
        return {
            "internal": "Internal (another department)",
            "outgoing": "Outgoing to an external host",
            "incoming": "Incoming from an external organisation",
            "international": "International",
            "shorter_term": "Shorter-term (under 3 months)",
            "informal": "Informal part-time secondment or job shadowing",
        }[self.value]

    @property
    def short_label(self) -> str:
        return {
            "internal": "Internal",
            "outgoing": "Outgoing",
            "incoming": "Incoming",
            "international": "International",
            "shorter_term": "Shorter-term",
            "informal": "Job shadowing",
        }[self.value]


class Audience(StrEnum):
    ALL_STAFF = "all_staff"
    RESTRICTED_POOL = "restricted_pool"
    NAMED_REQUEST = "named_request"

    @property
    def label(self) -> str:
        return {
            "all_staff": "All staff (fair and open competition)",
            "restricted_pool": "A restricted pool with specific skills",
            "named_request": "Not advertised: requested by name",
        }[self.value]

    @property
    def advertised(self) -> bool:
        """R1: everything but a named request goes on the board once published."""
        return self != Audience.NAMED_REQUEST


class OpportunityStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    PUBLISHED = "published"
    CLOSED = "closed"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "awaiting_approval": "Awaiting approval",
            "published": "Open",
            "closed": "Closed",
            "filled": "Filled",
            "withdrawn": "Withdrawn",
        }[self.value]

    @property
    def with_the_board(self) -> bool:
        """Its business case is with the Resources Board."""
        return self == OpportunityStatus.AWAITING_APPROVAL

    @property
    def advertised(self) -> bool:
        """It has an advert people can read (open, or closed to applications)."""
        return self in (OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED)

    @property
    def has_candidates(self) -> bool:
        """It has taken applications, so its hiring side has a list of candidates."""
        return self in (OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED,
                        OpportunityStatus.FILLED)


class WorkingPattern(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"

    @property
    def label(self) -> str:
        return {"full_time": "Full time", "part_time": "Part time"}[self.value]


class Payer(StrEnum):
    HOME = "home"
    HOST = "host"
    HOME_RECHARGED = "home_recharged"
    SHARED = "shared"

    @property
    def label(self) -> str:
        return {
            "home": "Home organisation",
            "host": "Host (receiving side)",
            "home_recharged": "Home organisation, invoiced to the host",
            "shared": "Shared between home and host",
        }[self.value]


class CaseStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"submitted": "Awaiting the Resources Board", "approved": "Approved",
                "rejected": "Rejected"}[self.value]

    @property
    def approved(self) -> bool:
        return self == CaseStatus.APPROVED


# The strategic priorities a business case may serve (002 §7.2).
STRATEGIC_PRIORITIES = {
    "strategic_outputs": "Specific outputs supporting the organisation's strategic priorities",
    "priority_topics": "Advances priority objectives on particular topics",
    "investigation_cooperation": "Enhances cooperation in an investigation or regular "
                                 "collaboration",
    "jurisdiction_engagement": "Enhances engagement with a jurisdiction or international "
                               "organisation",
    "mou_commitments": "Furthers commitments in memorandums of understanding",
    "professional_development": "Benefits a member of staff's professional development",
    "knowledge_transfer": "Knowledge transfer to or from the secondee",
}


# Advertised on the staff board, whatever the closing date: never a named request (R1),
# never an incoming secondment, which goes to the partners' page instead (R2).
ADVERTISED = text("status = 'published' AND audience <> 'named_request' "
                  "AND kind <> 'incoming'")
# What the board's keyword search reads: title, summary, skills and location as one
# lower-case text, kept by the database in a stored column (`search_text`). Stored, it
# is worked out once per change rather than for every row of every search, and
# PostgreSQL keeps statistics on it, so it can tell a common word (walk the closing-date
# index and stop at a page) from a rare one (the trigram index, migration 0011).
SEARCH_TEXT = ("lower(coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || "
               "coalesce(skills_sought, '') || ' ' || coalesce(location, ''))")


class Opportunity(db.Model):
    __tablename__ = "opportunities"
    __table_args__ = (
        Index("ix_opportunities_board", "status", "audience", "closing_date"),
        Index("ix_opportunities_published_at", "published_at"),
        # The board reads only advertised opportunities, soonest closing or newest
        # first: partial indexes of just those rows, in each order, so a page and its
        # count read a slice of an index however many drafts, closed, named requests
        # and incoming secondments there are, and a page far down the list counts its
        # way there in the index alone (migration 0014). On PostgreSQL a trigram
        # index (migrations 0011, 0014) serves the keyword search over `search_text`.
        Index("ix_opportunities_advertised_closing", "closing_date", "id",
              postgresql_where=ADVERTISED, sqlite_where=ADVERTISED),
        Index("ix_opportunities_advertised_newest", "published_at", "id",
              postgresql_where=ADVERTISED, sqlite_where=ADVERTISED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(30), default=OpportunityStatus.DRAFT)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(String(limits.DESCRIPTION), default="")

    offering_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id"), index=True)
    host_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(100), default="United Kingdom", index=True)

    grade: Mapped[str] = mapped_column(String(50), default="", index=True)
    acting_up: Mapped[bool] = mapped_column(Boolean, default=False)
    working_pattern: Mapped[str] = mapped_column(String(20), default=WorkingPattern.FULL_TIME,
                                                 index=True)
    hours_detail: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    duration_months: Mapped[int | None] = mapped_column(Integer, index=True)
    duration_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")

    salary_paid_by: Mapped[str | None] = mapped_column(String(20))
    expenses_paid_by: Mapped[str | None] = mapped_column(String(20))
    extra_cost: Mapped[bool] = mapped_column(Boolean, default=False)

    skills_sought: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    # Never read by a page, so never loaded with the opportunity.
    search_text: Mapped[str] = mapped_column(
        Text, Computed(SEARCH_TEXT, persisted=True), deferred=True)
    eligibility: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    audience: Mapped[str] = mapped_column(String(30), default=Audience.ALL_STAFF)
    restriction_justification: Mapped[str] = mapped_column(String(limits.REASON), default="")
    # Grades that make up a restricted pool, comma-separated ("Band 6, Band 7").
    pool_grades: Mapped[str] = mapped_column(String(200), default="")
    publicity_assessment: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    # R1: a named request records the member of staff requested.
    requested_person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # R2: incoming secondees are not contractors, consultants or students, and the post
    # is not cover for a permanent role.
    incoming_not_contractor: Mapped[bool] = mapped_column(Boolean, default=False)
    incoming_not_permanent_cover: Mapped[bool] = mapped_column(Boolean, default=False)

    closing_date: Mapped[date | None] = mapped_column(Date)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_after_publication_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Fair selection: names and personal details hidden until the shortlist is fixed.
    anonymise_shortlisting: Mapped[bool] = mapped_column(Boolean, default=True)
    shortlist_fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    offering_department = relationship("Department", foreign_keys=[offering_department_id])
    host_organisation = relationship("Organisation", foreign_keys=[host_organisation_id])
    contact = relationship("User", foreign_keys=[contact_id])
    requested_person = relationship("User", foreign_keys=[requested_person_id])

    @property
    def requested_person_email(self) -> str:
        """What the audience page asks for: the requested person's e-mail address."""
        return self.requested_person.email if self.requested_person else ""

    @property
    def contact_email(self) -> str:
        """What the closing-date page asks for: the contact's e-mail address."""
        return self.contact.email if self.contact else ""
    created_by = relationship("User", foreign_keys=[created_by_id])
    business_case: Mapped["BusinessCase | None"] = relationship(
        back_populates="opportunity", uselist=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def kind_enum(self) -> OpportunityKind:
        return OpportunityKind(self.kind)

    @property
    def status_enum(self) -> OpportunityStatus:
        return OpportunityStatus(self.status)

    @property
    def audience_enum(self) -> Audience:
        return Audience(self.audience)

    @property
    def pool_grade_list(self) -> list[str]:
        return [g.strip() for g in self.pool_grades.split(",") if g.strip()]

    @property
    def working_pattern_label(self) -> str:
        label = WorkingPattern(self.working_pattern).label
        return f"{label} ({self.hours_detail})" if self.hours_detail else label

    @property
    def where(self) -> str:
        """Who offers it: the host organisation or the offering department."""
        if self.host_organisation is not None:
            return self.host_organisation.name
        if self.offering_department is not None:
            return self.offering_department.name
        return ""

    def __repr__(self) -> str:
        return f"<Opportunity {self.id} {self.title!r} {self.status}>"


# The board's keyword search reads this column (see SEARCH_TEXT above).
BOARD_SEARCH_TEXT = Opportunity.search_text


class BusinessCase(db.Model):
    """The case put to the Resources Board (R6, and R3 beyond 24 months)."""

    __tablename__ = "business_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"), unique=True)
    skills: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    priorities: Mapped[str] = mapped_column(String(500), default="")  # comma-separated keys
    costs: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    cover: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.SUBMITTED, index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    opportunity: Mapped[Opportunity] = relationship(back_populates="business_case")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def priority_keys(self) -> list[str]:
        return [p for p in self.priorities.split(",") if p]

    @property
    def priority_labels(self) -> list[str]:
        return [STRATEGIC_PRIORITIES[p] for p in self.priority_keys if p in STRATEGIC_PRIORITIES]

    @property
    def status_enum(self) -> CaseStatus:
        return CaseStatus(self.status)
