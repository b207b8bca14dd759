"""Applications for opportunities, the decisions taken on them, appeals, conflict of
interest declarations, and equality monitoring answers (kept apart)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import limits
from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

# The decision a state waits for from the applicant's side: (what it is, what the
# decider is asked to do).
_DECISIONS_ASKED = {
    "submitted": ("Endorsement as line manager", "endorse"),
    "endorsed": ("Release as head of department", "decide on the release of"),
}


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"          # waiting for the line manager
    ENDORSED = "endorsed"            # waiting for the head of department
    RELEASED = "released"            # release approved: waiting for selection
    SHORTLISTED = "shortlisted"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REFUSED = "refused"
    APPEALED = "appealed"
    UNSUCCESSFUL = "unsuccessful"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self][0]

    @property
    def staff_label(self) -> str:
        """The status in words for the people acting on it, not the applicant."""
        return self.label.replace("your ", "the ")

    @property
    def decision_asked(self) -> str:
        """The decision this state waits for from the applicant's side ("" for none)."""
        return _DECISIONS_ASKED.get(self.value, ("", ""))[0]

    @property
    def decision_verb(self) -> str:
        """What the decider is asked to do, for "Please … Ann's application"."""
        return _DECISIONS_ASKED.get(self.value, ("", ""))[1]

    @property
    def next_step(self) -> str:
        return _STATUS_LABELS[self][1]

    @property
    def becomes_placement(self) -> bool:
        """An accepted offer is what People Services set up as a placement (issue 11)."""
        return self == ApplicationStatus.ACCEPTED

    @property
    def colour(self) -> str:
        return _STATUS_LABELS[self][2]


_STATUS_LABELS = {
    ApplicationStatus.DRAFT: ("Not yet submitted",
                              "Finish your application and submit it before the closing date.",
                              "grey"),
    ApplicationStatus.SUBMITTED: ("With your line manager",
                                  "Your line manager will support it or explain why not.",
                                  "blue"),
    ApplicationStatus.ENDORSED: ("With your head of department",
                                 "Your head of department will decide whether to release you.",
                                 "blue"),
    ApplicationStatus.RELEASED: ("Release approved",
                                 "The hiring side will shortlist from the endorsed applications.",
                                 "turquoise"),
    ApplicationStatus.SHORTLISTED: ("Shortlisted",
                                    "You will be assessed; the contact will be in touch.",
                                    "turquoise"),
    ApplicationStatus.OFFERED: ("Offered", "Accept or decline the offer.", "green"),
    ApplicationStatus.ACCEPTED: ("Offer accepted",
                                 "People Services will arrange the placement with you.",
                                 "green"),
    ApplicationStatus.DECLINED: ("Offer declined", "Nothing more happens.", "grey"),
    ApplicationStatus.REFUSED: ("Refused",
                                "Read the decision letter. You may appeal, or raise a "
                                "grievance.", "red"),
    ApplicationStatus.APPEALED: ("Appeal lodged",
                                 "People Services will decide your appeal and write to you.",
                                 "yellow"),
    ApplicationStatus.UNSUCCESSFUL: ("Unsuccessful", "Nothing more happens.", "grey"),
    ApplicationStatus.WITHDRAWN: ("Withdrawn", "Nothing more happens.", "grey"),
}


class DecisionStage(StrEnum):
    LINE_MANAGER = "line_manager"
    HEAD_OF_DEPARTMENT = "head_of_department"
    APPEAL = "appeal"
    SELECTION = "selection"

    @property
    def label(self) -> str:
        return {"line_manager": "Line manager's endorsement",
                "head_of_department": "Head of department's release",
                "appeal": "Appeal", "selection": "Selection"}[self.value]


# The only grounds on which a manager may refuse (002 §6.5).
REFUSAL_GROUNDS = {
    "skills": "Does not have the prerequisite knowledge and skills",
    "impact": "Significant impact on the quality or performance of the department",
    "cover": "The department cannot recruit, replace or reorganise the work",
    "procedure": "In a formal stage of a people policy or procedure",
}


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        # One application per person per opportunity, however often the button is pressed.
        UniqueConstraint("opportunity_id", "applicant_id"),
        Index("ix_applications_status", "status"),
        # People Services' list, newest first; a decider's list, longest waiting first,
        # read as two ranges (as line manager, as head) merged in order.
        Index("ix_applications_submitted", "submitted_at", "id"),
        Index("ix_applications_line_manager_waiting", "line_manager_id", "status",
              "submitted_at", "id"),
        Index("ix_applications_head_waiting", "head_of_department_id", "status",
              "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.DRAFT)

    motivation: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    evidence: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    learning_objectives: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    cover_plan: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    discussed_with_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    has_conflict: Mapped[bool | None] = mapped_column(Boolean)
    # The draft's wording; on submission it becomes an append-only declaration.
    conflict_details: Mapped[str] = mapped_column(String(limits.ANSWER), default="")

    # Who decides, fixed when the application is submitted (R5, 002 §2.3).
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    head_of_department_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"),
                                                              index=True)
    refused_at_stage: Mapped[str | None] = mapped_column(String(30))
    assessment_outcome: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    offer_terms: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    # The last day (UK time) the applicant is asked to answer the offer by, fixed when
    # the offer is made (OFFER_REPLY_DAYS after it).
    offer_reply_by: Mapped[date | None] = mapped_column(Date)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    opportunity = relationship("Opportunity")
    applicant = relationship("User", foreign_keys=[applicant_id])
    line_manager = relationship("User", foreign_keys=[line_manager_id])
    head_of_department = relationship("User", foreign_keys=[head_of_department_id])
    decisions: Mapped[list["Decision"]] = relationship(
        back_populates="application", order_by="Decision.decided_at")

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_enum(self) -> ApplicationStatus:
        return ApplicationStatus(self.status)

    def __repr__(self) -> str:
        return f"<Application {self.reference or self.id} {self.status}>"


class Decision(db.Model):
    """A decision in writing (R5, 001 §5.2): who, when, what, on which grounds, why."""

    __tablename__ = "decisions"
    __table_args__ = (
        # The decisions a manager or head has taken, newest first, a page at a time.
        Index("ix_decisions_decided_by", "decided_by_id", "decided_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    stage: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(30))
    grounds: Mapped[str] = mapped_column(String(200), default="")  # comma-separated keys
    rationale: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The letter as issued with the decision (R5: confirmed in writing).
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))

    application: Mapped[Application] = relationship(back_populates="decisions")
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    letter = relationship("IssuedDocument")

    @property
    def ground_keys(self) -> list[str]:
        return [g for g in self.grounds.split(",") if g]

    @property
    def ground_labels(self) -> list[str]:
        return [REFUSAL_GROUNDS[g] for g in self.ground_keys if g in REFUSAL_GROUNDS]

    @property
    def stage_enum(self) -> DecisionStage:
        return DecisionStage(self.stage)


class Appeal(db.Model):
    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    refusal_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), unique=True)
    grounds: Mapped[str] = mapped_column(String(limits.ANSWER))
    lodged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome_decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))

    application = relationship("Application")
    refusal = relationship("Decision", foreign_keys=[refusal_id])
    outcome = relationship("Decision", foreign_keys=[outcome_decision_id])


class ConflictDeclaration(db.Model):
    """A declared conflict of interest or prior connection (R8, 002 §6.7). Append-only:
    the database refuses UPDATE and DELETE."""

    __tablename__ = "conflict_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(String(limits.ANSWER))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application = relationship("Application")
    declared_by = relationship("User")
    actions: Mapped[list["ConflictAction"]] = relationship(
        back_populates="declaration", order_by="ConflictAction.recorded_at")


class ConflictAction(db.Model):
    """An action taken on a declaration (append-only)."""

    __tablename__ = "conflict_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("conflict_declarations.id"),
                                                index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(limits.REASON))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    declaration: Mapped[ConflictDeclaration] = relationship(back_populates="actions")
    recorded_by = relationship("User")


# The monitoring questions, in the order they are asked and reported (the Equality Act
# 2010's protected characteristics a UK public body monitors).
EQUALITY_FIELDS = ("age_band", "sex", "gender_identity", "ethnic_group", "disability",
                   "sexual_orientation", "religion", "marriage_civil_partnership",
                   "pregnancy_maternity")


class EqualityResponse(db.Model):
    """Optional equality monitoring answers (special category data, 001 §4).

    Kept in a table of their own, one row per application, changed in place when the
    applicant changes their answers. Read only by the aggregate report and by the
    applicant themselves, to change them: no page that shows an application, and no one
    who decides on it, ever reads this table."""

    __tablename__ = "equality_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    age_band: Mapped[str | None] = mapped_column(String(30))
    sex: Mapped[str | None] = mapped_column(String(30))
    gender_identity: Mapped[str | None] = mapped_column(String(30))
    ethnic_group: Mapped[str | None] = mapped_column(String(60))
    disability: Mapped[str | None] = mapped_column(String(30))
    sexual_orientation: Mapped[str | None] = mapped_column(String(30))
    religion: Mapped[str | None] = mapped_column(String(60))
    marriage_civil_partnership: Mapped[str | None] = mapped_column(String(80))
    pregnancy_maternity: Mapped[str | None] = mapped_column(String(30))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
