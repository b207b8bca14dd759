"""What people do with a placement's agreement: legal ratify it or send it back with
comments, each party signs the ratified version, People Services reopen the terms.

Each page loads the placement for its action (404 to those who may not see it, 403 to
those who may but are not the action's actor), says in words why the action cannot be
taken now, and leaves the rules to portal.services.placements."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.placements import agreement_forms as forms
from blueprints.placements import bp
from portal.extensions import db
from portal.forms import add_errors
from portal.loaders import placement_for_action, placement_to_view
from portal.permissions import Permission, requires
from portal.services import placements
from portal.services.errors import RuleError, StaleRecord
from portal.services.placements import papers
from portal.services.placements.access import parties_of
from portal.workflow import PLACEMENT, TransitionRefused, refusal


def _back(placement):
    return redirect(url_for(".view_agreement", placement_id=placement.id))


def _problems(placement, action: str) -> list[str]:
    return refusal(PLACEMENT, placement, action, current_user)


def _page(template: str, placement, form, problems, **context):
    status = 409 if problems and request.method == "POST" else 200
    return render_template(template, placement=placement,
                           agreement=placement.current_agreement, form=form,
                           problems=problems, **context), status


@bp.route("/placements/<int:placement_id>/agreement/ratify", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def ratify_agreement(placement_id: int):
    placement = placement_for_action(current_user, placement_id, "ratify")
    form = forms.RatifyForm(version=placement.version)
    problems = _problems(placement, "ratify")
    if not problems and form.validate_on_submit():
        placements.ratify(current_user, placement, expected_version=form.expected_version)
        flash("Agreement ratified. The parties have been asked by e-mail to sign it.",
              "success")
        return _back(placement)
    return _page("placements/legal_ratify.html", placement, form, problems)


@bp.route("/placements/<int:placement_id>/agreement/return", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def return_agreement(placement_id: int):
    placement = placement_for_action(current_user, placement_id, "return")
    form = forms.ReturnForm(version=placement.version)
    problems = _problems(placement, "return")
    if not problems and form.validate_on_submit():
        try:
            placements.return_to_people_services(current_user, placement,
                                                 form.comments.data,
                                                 expected_version=form.expected_version)
        except RuleError as error:
            db.session.rollback()
            add_errors(form, error.errors)
        else:
            flash("Agreement sent back to People Services with your comments.", "success")
            return _back(placement)
    return _page("placements/legal_return.html", placement, form, problems)


@bp.route("/placements/<int:placement_id>/sign", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def sign_agreement(placement_id: int):
    placement = placement_to_view(current_user, placement_id)
    if placement.current_agreement is not None or not parties_of(current_user, placement):
        # A party of a version being reopened is still told why, below, not refused.
        placement = placement_for_action(current_user, placement_id, "sign")
    agreement = placement.current_agreement
    form = forms.SignForm(agreement.number if agreement else 0, version=placement.version,
                          sha256=agreement.pdf_sha256 if agreement else "")
    shown = request.form.get("sha256") if request.method == "POST" else None
    if shown is not None and (agreement is None or shown != agreement.pdf_sha256):
        # The version the page showed is no longer the one to sign.
        raise StaleRecord()
    parties = placements.signing_parties(current_user, placement)
    problems = placements.sign_problems(current_user, placement)
    if not problems and form.validate_on_submit():
        try:
            signed = placements.sign(current_user, placement, shown_sha256=form.sha256.data,
                                     issuer=current_user.issuer or "",
                                     expected_version=form.expected_version)
        except (RuleError, TransitionRefused) as refused:
            db.session.rollback()
            problems = list(getattr(refused, "problems", None) or refused.errors.values())
        else:
            flash("You have signed the agreement. Every party has signed it: the executed "
                  "agreement is ready to download." if signed.executed_pdf is not None else
                  "You have signed the agreement. The other parties are asked to sign it.",
                  "success")
            return _back(placement)
    return _page("placements/sign.html", placement, form, problems, parties=[
        placements.party_label(placement, party) for party in parties],
        provider=papers.sign_in_service(current_user.issuer))


@bp.route("/placements/<int:placement_id>/agreement/reopen", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def reopen_agreement(placement_id: int):
    placement = placement_for_action(current_user, placement_id, "amend")
    form = forms.ReopenForm(version=placement.version)
    problems = _problems(placement, "amend")
    if not problems and form.validate_on_submit():
        placements.reopen(current_user, placement, expected_version=form.expected_version)
        flash("Terms reopened. The agreement's version is superseded and its signatures "
              "are void; everyone who signs has been told by e-mail.", "success")
        return redirect(url_for(".view_placement", placement_id=placement.id))
    return _page("placements/agreement_reopen.html", placement, form, problems)
