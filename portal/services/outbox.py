"""People Services' side of the e-mail outbox: what could not be delivered, and sending
it again. Delivery itself is the mail worker's (portal/mail_worker.py)."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models.base import utcnow
from portal.models.outbox import OutboxMessage
from portal.roles import Permission
from portal.services import audit
from portal.services.paging import ResultPage

PER_PAGE = 25


def undelivered(page: int = 1) -> ResultPage:
    """Messages the worker gave up on, the latest first."""
    where = OutboxMessage.failed_at.is_not(None)
    total = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(where))
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    items = db.session.scalars(
        select(OutboxMessage).where(where)
        .order_by(OutboxMessage.failed_at.desc(), OutboxMessage.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return ResultPage(items=list(items), total=total, page=page, per_page=PER_PAGE)


def undelivered_count() -> int:
    """Messages the worker gave up on and nobody has sent again."""
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.failed_at.is_not(None)))


def waiting_count() -> int:
    """Messages queued and not yet delivered (the worker is still trying)."""
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)))


def send_again(officer, message: OutboxMessage) -> bool:
    """Put an undelivered message back in the queue, due now. False when it is not
    undelivered (sent again already, by someone else or a moment ago)."""
    if not officer.can(Permission.RESEND_EMAIL):
        raise PermissionError("send e-mail again")
    # A conditional update: two officers pressing the button at once queue it once.
    queued = db.session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.id == message.id, OutboxMessage.failed_at.is_not(None))
        .values(failed_at=None, attempts=0, next_attempt_at=utcnow(), last_error="")
    ).rowcount
    if not queued:
        db.session.rollback()
        return False
    audit.record("email.sent_again", actor=officer, obj=message,
                 summary=f"{message.subject} to {len(message.recipient_list)} recipient(s)")
    db.session.commit()
    return True
