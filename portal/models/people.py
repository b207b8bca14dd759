"""People and where they sit: organisations, departments, users and their roles."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    exists,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow
from portal.roles import Permission, Role, permissions_for


class Organisation(db.Model):
    """The portal's own body, or an external host or sending organisation."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    is_own: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whose bank holidays its working days skip (govuk-bank-holidays' division).
    nation: Mapped[str] = mapped_column(String(30), default="england-and-wales")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    departments: Mapped[list["Department"]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class Department(db.Model):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The head approves release of their staff (002 §2.3). The foreign key is added
    # after both tables exist, as users also refer to departments.
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True), index=True
    )

    organisation: Mapped[Organisation] = relationship(back_populates="departments")
    head: Mapped["User | None"] = relationship(foreign_keys=[head_id])

    def __repr__(self) -> str:
        return f"<Department {self.name!r}>"


class User(UserMixin, db.Model):
    """A person who signs in, or who was imported from the HR export and has not yet.

    Identified by (issuer, subject) from their identity provider, never by e-mail. An
    imported person has no subject until their first sign-in links it.
    """

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("issuer", "subject"),
        Index("ix_users_email_lower", func.lower("email")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str | None] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str | None] = mapped_column(String(50))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped to end every session of this person at once (disabling, role removal).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    line_manager: Mapped["User | None"] = relationship(
        remote_side=[id], foreign_keys=[line_manager_id]
    )
    role_assignments: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="user", cascade="all, delete-orphan",
        foreign_keys="RoleAssignment.user_id",
    )

    # Set when a session record loads this user: Flask-Login keeps the session key,
    # not the user id, so a cookie is only as good as its server-side record.
    session_key = None  # type: str | None

    def get_id(self) -> str | None:
        return self.session_key

    # UserMixin compares get_id(), which is the session key and None for anyone not
    # signed in; records are the same person only when they are the same row object.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    @property
    def roles(self) -> frozenset[Role]:
        """Roles held now: assigned (from the provider's groups or the back office)
        and derived from where the person sits (line manager, head of department)."""
        cached = self.__dict__.get("_roles")
        if cached is None:
            cached = frozenset(Role(a.role) for a in self.role_assignments) | self._derived_roles()
            self.__dict__["_roles"] = cached
        return cached

    def _derived_roles(self) -> frozenset[Role]:
        # Line manager and head of department are internal roles: whatever the staff
        # data says, nobody outside the portal's own organisation derives them (a host
        # contact made someone's manager must still see only their own organisation).
        if not self.organisation.is_own:
            return frozenset()
        # One query for both, each an index probe for this person's id.
        has_reports, heads = db.session.execute(select(
            exists().where(User.line_manager_id == self.id),
            exists().where(Department.head_id == self.id))).one()
        return frozenset({Role.LINE_MANAGER} if has_reports else set()) | frozenset(
            {Role.HEAD_OF_DEPARTMENT} if heads else set())

    def can(self, permission: Permission) -> bool:
        return permission in permissions_for(self.roles)

    @property
    def role_names(self) -> list[str]:
        return sorted(role.label for role in self.roles)

    def __repr__(self) -> str:
        return f"<User {self.email!r}>"


@event.listens_for(User, "expire")
@event.listens_for(User, "refresh")
def _forget_roles(user, *args):
    # Roles are worked out once per loaded user; a commit or refresh may change them.
    # The instance may already be gone when a commit expires its state.
    if user is not None:
        user.__dict__.pop("_roles", None)


class RoleAssignment(db.Model):
    """A role held by a person, from the provider's group claim or the back office."""

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("user_id", "role", "source"),)

    SOURCE_CLAIM = "claim"
    SOURCE_BACK_OFFICE = "back_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_assignments", foreign_keys=[user_id])
