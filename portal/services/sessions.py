"""Signed-in sessions, kept on the server so that signing out really ends them.

The cookie holds a random key; the `user_sessions` row says whether it is still good.
A session ends when the person signs out, when it has been idle longer than
SESSION_IDLE_MINUTES, when it is older than SESSION_LIFETIME_HOURS, or when the person
is disabled or has every session ended (their `session_version` moves on).
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import User, UserSession
from portal.models.base import utcnow

# Writing last_seen_at on every request would turn every page view into a write.
LAST_SEEN_GRANULARITY = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User, provider: str, id_token: str | None) -> str:
    """Record a new session for `user` and return the key for their cookie.

    The caller commits (with the sign-in's audit event)."""
    key = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            key_hash=_hash(key),
            user_id=user.id,
            provider=provider,
            user_session_version=user.session_version,
            id_token=id_token,
        )
    )
    user.session_key = key
    return key


def user_for_session(key: str | None) -> User | None:
    """The person this cookie's session belongs to, or None when it is no longer good."""
    if not key:
        return None
    # The fixed cost of every signed-in page: the session, the person, their
    # organisation and their assigned roles in one query. Whether they manage anyone or
    # head a department is a second (User.roles), asked with their id as a constant so
    # that PostgreSQL reads the indexes rather than planning for any person.
    row = db.session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.key_hash == _hash(key))
        .options(joinedload(User.organisation), joinedload(User.role_assignments))
    ).unique().first()
    if row is None or row[0].ended_at is not None:
        return None
    record, user = row
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    lifetime = timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
    reason = None
    if now - record.last_seen_at > idle:
        reason = "idle timeout"
    elif now - record.created_at > lifetime:
        reason = "lifetime reached"
    elif user is None or not user.is_enabled:
        reason = "user disabled"
    elif record.user_session_version != user.session_version:
        reason = "all sessions ended"
    if reason:
        _end(record, reason)
        db.session.commit()
        return None
    if now - record.last_seen_at > LAST_SEEN_GRANULARITY:
        record.last_seen_at = now
        db.session.commit()
    user.session_key = key
    return user


def session_record(key: str | None) -> UserSession | None:
    if not key:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.key_hash == _hash(key)))


def end_session(key: str | None, reason: str = "signed out") -> UserSession | None:
    """End the session behind this key; the caller commits."""
    record = session_record(key)
    if record is not None and record.ended_at is None:
        _end(record, reason)
    return record


def end_all_sessions(user: User, reason: str) -> None:
    """End every session of this person (used when disabling them); the caller commits."""
    user.session_version += 1
    _end_open_sessions([user.id], reason)


def end_all_sessions_of(user_ids: list[int], reason: str) -> None:
    """End every session of each of these people at once, in two statements however
    many they are (the staff import disabling its leavers); the caller commits."""
    if not user_ids:
        return
    db.session.execute(
        update(User).where(User.id.in_(user_ids))
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session="fetch"))
    _end_open_sessions(user_ids, reason)


def _end_open_sessions(user_ids: list[int], reason: str) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id.in_(user_ids), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def _end(record: UserSession, reason: str) -> None:
    record.ended_at = utcnow()
    record.end_reason = reason
