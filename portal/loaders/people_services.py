"""Records only People Services open: a declared conflict of interest, an e-mail."""

from flask import abort
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models.applications import Application, ConflictAction, ConflictDeclaration
from portal.models.invitations import HostInvitation
from portal.models.outbox import OutboxMessage
from portal.models.people import User
from portal.services.host_contacts import host_contact as _host_contact


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


def host_invitation(invitation_id: int) -> HostInvitation:
    invitation = db.session.get(HostInvitation, invitation_id,
                                options=[joinedload(HostInvitation.organisation)])
    if invitation is None:
        abort(404)
    return invitation


def host_contact(user_id: int) -> User:
    """A contact of an external organisation; anyone else is not found here."""
    contact = _host_contact(user_id)
    if contact is None:
        abort(404)
    return contact
