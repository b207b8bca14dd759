"""Placements: the secondment itself once someone is chosen, or set up directly; its
agreement, kept version by version as issued to legal, and each party's signature.

A placement's terms are edited while it is proposed. Sending the agreement to legal
freezes a version (its markup, text and PDF, with the PDF's SHA-256); any change to the
terms after that makes a new version and voids the signatures of the earlier one (R7).
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal import limits
from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow
from portal.models.opportunities import OpportunityKind, Payer, WorkingPattern

__all__ = ["AgreementSignature", "AgreementStatus", "AgreementVersion", "OpportunityKind",
           "Party", "Payer", "Placement", "PlacementRoute", "PlacementStatus",
           "WorkingPattern"]


class PlacementStatus(StrEnum):
    PROPOSED = "proposed"
    # Over 24 months initially: the Resources Board decides before legal sees it (R3).
    WITH_BOARD = "with_board"
    WITH_LEGAL = "with_legal"
    # Ratified by legal: the parties sign this version.
    SIGNING = "signing"
    # Every party signed (or, informally, People Services approved): it may start.
    READY = "ready"
    ACTIVE = "active"
    # Its end date moved by an agreed extension (R3, 001 §5.6): still running.
    EXTENDED = "extended"
    # The secondee is back in their substantive post and grade (R11).
    RETURNED = "returned"
    # Ended before its end date, with a reason and notice: it runs to the new end date.
    ENDED_EARLY = "ended_early"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _PLACEMENT_LABELS[self]

    @property
    def tag_colour(self) -> str:
        return _PLACEMENT_TAGS[self]

    @property
    def before_start(self) -> bool:
        """Terms still being agreed: nothing has started or ended yet."""
        return self in (PlacementStatus.PROPOSED, PlacementStatus.WITH_BOARD,
                        PlacementStatus.WITH_LEGAL, PlacementStatus.SIGNING)

    @property
    def running(self) -> bool:
        """Started and not ended: it may be extended, ended early or returned from."""
        return self in (PlacementStatus.ACTIVE, PlacementStatus.EXTENDED)


_PLACEMENT_LABELS = {
    PlacementStatus.PROPOSED: "Proposed",
    PlacementStatus.WITH_BOARD: "With the Resources Board",
    PlacementStatus.WITH_LEGAL: "Agreement with legal",
    PlacementStatus.SIGNING: "Ratified: being signed",
    PlacementStatus.READY: "Ready to start",
    PlacementStatus.ACTIVE: "Active",
    PlacementStatus.EXTENDED: "Active, extended",
    PlacementStatus.RETURNED: "Returned",
    PlacementStatus.ENDED_EARLY: "Ended early",
    PlacementStatus.CANCELLED: "Cancelled",
}
_PLACEMENT_TAGS = {
    PlacementStatus.PROPOSED: "grey",
    PlacementStatus.WITH_BOARD: "purple",
    PlacementStatus.WITH_LEGAL: "blue",
    PlacementStatus.SIGNING: "yellow",
    PlacementStatus.READY: "turquoise",
    PlacementStatus.ACTIVE: "green",
    PlacementStatus.EXTENDED: "light-blue",
    PlacementStatus.RETURNED: "grey",
    PlacementStatus.ENDED_EARLY: "orange",
    PlacementStatus.CANCELLED: "red",
}


class PlacementRoute(StrEnum):
    """How the placement came about."""

    OFFER = "offer"                  # an accepted offer on an advertised opportunity
    DIRECT = "direct"                # set up by People Services (incoming, informal)
    NAMED_REQUEST = "named_request"  # a person asked for by name (R1 record carried)

    @property
    def label(self) -> str:
        return {"offer": "From an accepted offer", "direct": "Set up by People Services",
                "named_request": "Named request"}[self.value]


class AgreementStatus(StrEnum):
    WITH_LEGAL = "with_legal"
    RETURNED = "returned"      # sent back by legal with comments
    RATIFIED = "ratified"      # may be signed
    EXECUTED = "executed"      # every party signed; the sealed PDF is kept
    SUPERSEDED = "superseded"  # the terms changed after it was issued

    @property
    def label(self) -> str:
        return {"with_legal": "With legal", "returned": "Returned by legal",
                "ratified": "Ratified", "executed": "Signed by every party",
                "superseded": "Superseded"}[self.value]

    @property
    def staff_label(self) -> str:
        return self.label


class Party(StrEnum):
    """Who signs an agreement (003 §3): the secondee, a signatory for the portal's own
    organisation, and the other organisation's contact (the host's for someone going
    out, the sending organisation's for someone coming in); for a placement inside the
    organisation the host manager signs for the host department."""

    SECONDEE = "secondee"
    OWN = "own"
    PARTNER = "partner"


class Placement(db.Model):
    __tablename__ = "placements"
    __table_args__ = (
        Index("ix_placements_status_start", "status", "start_date"),
        Index("ix_placements_host_organisation", "host_organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default=PlacementStatus.PROPOSED)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    route: Mapped[str] = mapped_column(String(20), default=PlacementRoute.DIRECT)
    title: Mapped[str] = mapped_column(String(200))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"),
                                                       unique=True)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunities.id"),
                                                       index=True)
    # The secondee: a member of staff, or (incoming) a person at the sending organisation
    # who may have no account yet; the account is linked once they have one.
    secondee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    secondee_name: Mapped[str] = mapped_column(String(200))
    secondee_email: Mapped[str] = mapped_column(String(320))
    secondee_employer: Mapped[str] = mapped_column(String(200), default="")
    # Home: who employs the secondee. Host: where they work during the placement.
    home_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    home_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    host_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    host_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    notice_weeks: Mapped[int] = mapped_column(Integer, default=4)
    # How often an informal placement's check-ins come, in weeks (004), chosen at set-up.
    check_in_weeks: Mapped[int] = mapped_column(Integer, default=4)
    working_pattern: Mapped[str] = mapped_column(String(20), default=WorkingPattern.FULL_TIME)
    hours: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(100), default="United Kingdom")
    grade: Mapped[str] = mapped_column(String(50), default="")
    acting_up_allowance: Mapped[str] = mapped_column(String(200), default="")
    # R12: the receiving side pays; between employers the home body may invoice the host.
    salary_paid_by: Mapped[str] = mapped_column(String(20), default=Payer.HOME)
    expenses_paid_by: Mapped[str] = mapped_column(String(20), default=Payer.HOST)
    home_invoices_host: Mapped[bool] = mapped_column(Boolean, default=False)
    # R10: the substantive manager stays overall manager; the host manager runs the
    # day-to-day, a member of staff or a named person at the external host.
    substantive_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"),
                                                               index=True)
    host_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    host_manager_name: Mapped[str] = mapped_column(String(200), default="")
    host_manager_email: Mapped[str] = mapped_column(String(320), default="")
    buddy_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    objectives: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    # Anything else agreed: the offer's own terms are carried here.
    other_terms: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    # R11: the post and grade the secondee returns to.
    return_post: Mapped[str] = mapped_column(String(200), default="")
    return_grade: Mapped[str] = mapped_column(String(50), default="")
    # International placements: agreed before the start and written in the agreement
    # (002 §5.4).
    accommodation: Mapped[str] = mapped_column(String(limits.REASON), default="")
    subsistence: Mapped[str] = mapped_column(String(limits.REASON), default="")
    travel: Mapped[str] = mapped_column(String(limits.REASON), default="")
    insurance: Mapped[str] = mapped_column(String(limits.REASON), default="")
    # R3: over 12 months needs a reason; over 24 the Resources Board's approval.
    duration_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    board_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    board_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    board_approved: Mapped[bool | None] = mapped_column(Boolean)
    board_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    # R1: why a named request was not advertised (carried from its opportunity).
    fairness_record: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    # Who signs for the portal's own organisation.
    signatory_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The external organisation's contact confirms the details or proposes corrections.
    host_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    host_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    host_comment: Mapped[str] = mapped_column(String(limits.REASON), default="")
    # The informal route (004): both managers agree, People Services approve.
    home_manager_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    host_manager_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    # Ended early (002 §8): why, and by whom; the end date moved to the notice's end.
    end_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The day the secondee went back to their substantive post (R11).
    returned_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    secondee = relationship("User", foreign_keys=[secondee_id])
    home_organisation = relationship("Organisation", foreign_keys=[home_organisation_id])
    home_department = relationship("Department", foreign_keys=[home_department_id])
    host_organisation = relationship("Organisation", foreign_keys=[host_organisation_id])
    host_department = relationship("Department", foreign_keys=[host_department_id])
    substantive_manager = relationship("User", foreign_keys=[substantive_manager_id])
    host_manager = relationship("User", foreign_keys=[host_manager_id])
    buddy = relationship("User", foreign_keys=[buddy_id])
    signatory = relationship("User", foreign_keys=[signatory_id])
    host_confirmed_by = relationship("User", foreign_keys=[host_confirmed_by_id])
    board_decided_by = relationship("User", foreign_keys=[board_decided_by_id])
    ended_by = relationship("User", foreign_keys=[ended_by_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    # An accepted offer's placement, from the application's side too (one per offer).
    application = relationship("Application",
                               backref=backref("placement", uselist=False, viewonly=True))
    opportunity = relationship("Opportunity")
    agreements: Mapped[list["AgreementVersion"]] = relationship(
        back_populates="placement", order_by="AgreementVersion.number")

    @property
    def status_enum(self) -> PlacementStatus:
        return PlacementStatus(self.status)

    @property
    def kind_label(self) -> str:
        return OpportunityKind(self.kind).label

    @property
    def external_organisation_id(self) -> int | None:
        """The other organisation, when there is one: the host for an outgoing
        secondee, the sending (home) organisation for an incoming one."""
        if self.host_organisation_id != self.home_organisation_id:
            own_is_home = self.kind != OpportunityKind.INCOMING
            return self.host_organisation_id if own_is_home else self.home_organisation_id
        return None

    @property
    def partner_hosts(self) -> bool:
        """The other organisation hosts the secondee (and so names the host manager);
        for an incoming secondee it is the sending organisation, and the host is here."""
        return self.external_organisation_id is not None and self.kind != OpportunityKind.INCOMING

    @property
    def salary_payer(self) -> str:
        return Payer(self.salary_paid_by).label

    @property
    def expenses_payer(self) -> str:
        return Payer(self.expenses_paid_by).label

    @property
    def informal(self) -> bool:
        return self.kind == OpportunityKind.INFORMAL

    @property
    def international(self) -> bool:
        """Work abroad, or a secondee coming in from an organisation abroad."""
        from portal.models.onboarding import Nation

        return self.kind == OpportunityKind.INTERNATIONAL or (
            (self.country or "").strip().lower() not in ("", "united kingdom", "uk")) or (
            self.kind == OpportunityKind.INCOMING and self.home_organisation is not None
            and self.home_organisation.nation == Nation.ABROAD)

    @property
    def current_agreement(self) -> "AgreementVersion | None":
        live = [a for a in self.agreements if a.status != AgreementStatus.SUPERSEDED]
        return live[-1] if live else None

    def __repr__(self) -> str:
        return f"<Placement {self.id} {self.status}>"


class AgreementVersion(db.Model):
    """One version of a placement's agreement as sent to legal: frozen from then on."""

    __tablename__ = "agreement_versions"
    __table_args__ = (UniqueConstraint("placement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=AgreementStatus.WITH_LEGAL)
    # The markup and text as issued (documents kept as issued) and the PDF made from the
    # same markup: what is shown, printed and signed.
    document_id: Mapped[int] = mapped_column(ForeignKey("issued_documents.id"))
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    legal_comments: Mapped[str] = mapped_column(String(limits.ANSWER), default="")
    # Once every party has signed: the PDF with its signature page, sealed.
    executed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    executed_sha256: Mapped[str | None] = mapped_column(String(64))
    executed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    placement: Mapped[Placement] = relationship(back_populates="agreements")
    document = relationship("IssuedDocument")
    sent_by = relationship("User", foreign_keys=[sent_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    signatures: Mapped[list["AgreementSignature"]] = relationship(
        back_populates="agreement", order_by="AgreementSignature.signed_at")

    @property
    def status_enum(self) -> AgreementStatus:
        return AgreementStatus(self.status)

    @property
    def signatures_void(self) -> bool:
        """A later version voids this one's signatures (R7)."""
        return self.status == AgreementStatus.SUPERSEDED

    @property
    def before_ratification(self) -> bool:
        return self.status in (AgreementStatus.WITH_LEGAL, AgreementStatus.RETURNED)

    def signature_of(self, party: str) -> "AgreementSignature | None":
        return next((s for s in self.signatures if s.party == party), None)

    def __repr__(self) -> str:
        return f"<AgreementVersion {self.placement_id}.{self.number} {self.status}>"


class AgreementSignature(db.Model):
    """A party's signature: who, when, through which identity provider, and the
    SHA-256 of the exact PDF they were shown and signed."""

    __tablename__ = "agreement_signatures"
    __table_args__ = (UniqueConstraint("agreement_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"), index=True)
    party: Mapped[str] = mapped_column(String(20))
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    signer_name: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[AgreementVersion] = relationship(back_populates="signatures")
    signer = relationship("User")
