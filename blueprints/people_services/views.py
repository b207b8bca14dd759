"""People Services' pages: a hub, every application with filters, the conflicts of
interest register (also open to auditors) and the equality monitoring report.

Declarations and the actions taken on them can only be added to: there is no page to
change or remove one, and the database refuses it too (R8). The equality report shows
counts only, never a person's answers (R13, 001 §4).
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.people_services import bp, forms
from blueprints.people_services.filters import application_filters_from
from blueprints.people_services.presenters import EQUALITY_QUESTIONS, STATUS_NAMES
from portal.extensions import db
from portal.forms import add_errors
from portal.loaders import conflict_declaration, host_contact, host_invitation, outbox_message
from portal.models import (
    Organisation,
)
from portal.models.base import utcnow
from portal.permissions import Permission, requires
from portal.querystring import page_number
from portal.services import applications as service
from portal.services import host_contacts, invitations, outbox
from portal.services.errors import RuleError


def has_endpoint(endpoint: str) -> bool:
    """Pages other features add: linked to once they exist."""
    return endpoint in current_app.view_functions


@bp.get("/people-services")
@requires(Permission.VIEW_ALL_APPLICATIONS)
def index():
    appeals = next((e for e in ("decisions.appeals_to_decide", "decisions.appeals")
                    if has_endpoint(e)), None)
    return render_template("people_services/index.html", appeals_endpoint=appeals)


@bp.get("/people-services/applications")
@requires(Permission.VIEW_ALL_APPLICATIONS)
def list_applications():
    filters, reader = application_filters_from(request.args)
    results = service.all_applications(status=filters.status,
                                       opportunity_id=filters.opportunity_id,
                                       search=filters.search, page=filters.page)
    return render_template(
        "people_services/applications.html", results=results, filters=filters, form=reader,
        statuses=STATUS_NAMES,
        opportunity_title=service.opportunity_title(filters.opportunity_id),
        link_applications=has_endpoint("applications.view_application"))


@bp.get("/people-services/conflicts")
@requires(Permission.VIEW_CONFLICTS)
def list_conflicts():
    return render_template("people_services/conflicts.html",
                           declarations=service.conflict_register())


@bp.route("/people-services/conflicts/<int:declaration_id>/actions", methods=["GET", "POST"])
@requires(Permission.VIEW_CONFLICTS)
def record_conflict_action(declaration_id: int):
    declaration = conflict_declaration(declaration_id)
    form = forms.ConflictActionForm()
    if form.validate_on_submit():
        try:
            service.record_conflict_action(declaration, current_user, form.action.data)
        except RuleError as error:
            form.action.errors = [*form.action.errors, *error.errors.values()]
        else:
            flash("Action recorded on the conflicts register.", "success")
            return redirect(url_for(".list_conflicts", _anchor=f"declaration-{declaration.id}"))
    return render_template("people_services/conflict_action.html", declaration=declaration,
                           form=form)


@bp.get("/people-services/equality")
@requires(Permission.VIEW_EQUALITY_REPORT)
def view_equality_report():
    return render_template("people_services/equality.html", report=service.equality_report(),
                           questions=EQUALITY_QUESTIONS, small_number=service.SMALL_NUMBER)


@bp.route("/people-services/host-contacts", methods=["GET", "POST"])
@requires(Permission.INVITE_HOST_CONTACTS)
def invite_host_contact():
    """Invite a contact at an external host organisation; list the invitations sent."""
    form = forms.HostInvitationForm()
    form.organisation_id.choices = [(0, "Select an organisation")] + [
        (o.id, o.name) for o in invitations.external_organisations()]
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation_id.data or 0)
        try:
            invitations.invite(current_user, organisation, form.name.data, form.email.data)
        except RuleError as error:
            add_errors(form, error.errors)
        else:
            flash(f"Invitation sent to {form.name.data.strip()}.", "success")
            return redirect(url_for(".invite_host_contact"))
    return render_template("people_services/host_contacts.html", form=form,
                           contacts=host_contacts.host_contacts(),
                           invitations=invitations.recent_invitations(), now=utcnow())


@bp.route("/people-services/host-contacts/invitations/<int:invitation_id>/send-again",
          methods=["GET", "POST"])
@requires(Permission.INVITE_HOST_CONTACTS)
def send_invitation_again(invitation_id: int):
    """Confirm, then send an unused invitation again with a new link."""
    invitation = host_invitation(invitation_id)
    form = forms.SendInvitationAgainForm()
    problem = None
    if form.validate_on_submit():
        try:
            host_contacts.send_again(current_user, invitation)
        except RuleError as error:
            problem = error.errors["invitation"]
        else:
            flash(f"Invitation sent again to {invitation.name}. The link in the "
                  "first e-mail no longer works.", "success")
            return redirect(url_for(".invite_host_contact"))
    return render_template("people_services/send_invitation_again.html",
                           invitation=invitation, form=form, problem=problem,
                           can_send=host_contacts.can_send_again(invitation))


@bp.route("/people-services/host-contacts/<int:user_id>/revoke", methods=["GET", "POST"])
@requires(Permission.INVITE_HOST_CONTACTS)
def revoke_host_contact(user_id: int):
    """Confirm, then end a host contact's access and every session they hold."""
    contact = host_contact(user_id)
    form = forms.RevokeHostContactForm()
    problem = None
    if form.validate_on_submit():
        try:
            host_contacts.revoke(current_user, contact)
        except RuleError as error:
            problem = error.errors["contact"]
        else:
            flash(f"{contact.name}'s access has been revoked. They have been signed out "
                  "and told by e-mail.", "success")
            return redirect(url_for(".invite_host_contact"))
    return render_template("people_services/revoke_host_contact.html", contact=contact,
                           form=form, problem=problem,
                           revoked=host_contacts.is_revoked(contact))


@bp.get("/people-services/e-mail")
@requires(Permission.RESEND_EMAIL)
def undelivered_email():
    """E-mail the mail worker could not deliver after every attempt."""
    return render_template("people_services/undelivered_email.html",
                           results=outbox.undelivered(page_number(request.args.get("page"))),
                           waiting=outbox.waiting_count(), form=forms.SendAgainForm())


@bp.post("/people-services/e-mail/<int:message_id>/send-again")
@requires(Permission.RESEND_EMAIL)
def send_email_again(message_id: int):
    message = outbox_message(message_id)
    if not forms.SendAgainForm().validate_on_submit():
        abort(400)
    if outbox.send_again(current_user, message):
        flash(f"“{message.subject}” will be sent again in a moment.", "success")
    else:
        flash(f"“{message.subject}” is not waiting to be sent again: it was sent again "
              "already.", "success")
    return redirect(url_for(".undelivered_email"))
