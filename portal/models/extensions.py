"""Extensions of a running placement (R3, 001 §5.6-5.7, 002 §1.3): a new end date with
its reason and funding, proposed by the secondee or either manager, agreed by the
substantive manager and by the host; beyond 12 months in total both confirm they
considered the return; beyond 24 months in total the Resources Board decides. Once
agreed (and approved where it must be), the placement's end date moves.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal import limits
from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

__all__ = ["Extension", "ExtensionStatus"]


class ExtensionStatus(StrEnum):
    PROPOSED = "proposed"        # waiting for the substantive manager and the host
    WITH_BOARD = "with_board"    # agreed by both, over 24 months in total (R3)
    AGREED = "agreed"            # the placement's end date has moved
    REFUSED = "refused"          # by a manager, the host or the Resources Board
    WITHDRAWN = "withdrawn"      # by its proposer, or the placement ended early

    @property
    def label(self) -> str:
        return {"proposed": "Waiting for agreement", "with_board": "With the Resources Board",
                "agreed": "Agreed", "refused": "Refused",
                "withdrawn": "Withdrawn"}[self.value]

    @property
    def staff_label(self) -> str:
        return self.label

    @property
    def tag_colour(self) -> str:
        return {"proposed": "yellow", "with_board": "purple", "agreed": "green",
                "refused": "red", "withdrawn": "grey"}[self.value]

    @property
    def is_open(self) -> bool:
        """Still to be decided: a placement has at most one such extension."""
        return self in (ExtensionStatus.PROPOSED, ExtensionStatus.WITH_BOARD)


OPEN_STATUSES = (ExtensionStatus.PROPOSED, ExtensionStatus.WITH_BOARD)


class Extension(db.Model):
    __tablename__ = "extensions"
    __table_args__ = (Index("ix_extensions_placement_status", "placement_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    status: Mapped[str] = mapped_column(String(20), default=ExtensionStatus.PROPOSED)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The end date it extends (the placement's when proposed) and the one it asks for.
    previous_end_date: Mapped[date] = mapped_column(Date)
    new_end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(limits.REASON))
    # Who pays for the longer placement: an extension is often limited by it (001 §5.6).
    funding: Mapped[str] = mapped_column(String(limits.REASON))
    substantive_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    substantive_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The host manager, or the external host organisation's contact.
    host_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    host_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # 001 §5.7: beyond 12 months in total each side confirms, when agreeing, that they
    # considered whether the secondee can still return well to their post.
    substantive_considered_return: Mapped[bool] = mapped_column(Boolean, default=False)
    host_considered_return: Mapped[bool] = mapped_column(Boolean, default=False)
    # Refused by a manager or the host, or withdrawn: who, when and why.
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    # R3: beyond 24 months in total, the Resources Board's decision.
    board_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    board_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    board_approved: Mapped[bool | None] = mapped_column(Boolean)
    board_reason: Mapped[str] = mapped_column(String(limits.REASON), default="")
    # When the placement's end date moved to the new one.
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    placement = relationship("Placement", backref=backref(
        "extensions", order_by="Extension.id"))
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    substantive_agreed_by = relationship("User", foreign_keys=[substantive_agreed_by_id])
    host_agreed_by = relationship("User", foreign_keys=[host_agreed_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    board_decided_by = relationship("User", foreign_keys=[board_decided_by_id])

    @property
    def status_enum(self) -> ExtensionStatus:
        return ExtensionStatus(self.status)

    @property
    def is_open(self) -> bool:
        return ExtensionStatus(self.status).is_open

    @property
    def considered_return(self) -> bool:
        """Both sides confirmed they considered the return (001 §5.7)."""
        return self.substantive_considered_return and self.host_considered_return

    @property
    def agreed_by_both(self) -> bool:
        return self.substantive_agreed_at is not None and self.host_agreed_at is not None

    def __repr__(self) -> str:
        return f"<Extension {self.placement_id} to {self.new_end_date} {self.status}>"
