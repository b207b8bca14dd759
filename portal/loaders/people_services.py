"""Records only People Services open: a declared conflict of interest, an e-mail."""

from flask import abort
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models.applications import Application, ConflictAction, ConflictDeclaration
from portal.models.outbox import OutboxMessage


def conflict_declaration(declaration_id: int) -> ConflictDeclaration:
    declaration = db.session.get(
        ConflictDeclaration, declaration_id,
        options=[joinedload(ConflictDeclaration.application)
                 .joinedload(Application.opportunity),
                 joinedload(ConflictDeclaration.declared_by),
                 joinedload(ConflictDeclaration.actions)
                 .joinedload(ConflictAction.recorded_by)])
    if declaration is None:
        abort(404)
    return declaration


def outbox_message(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message
