"""A placement's own page: its terms, its status, what is waiting on whom, and the
actions open to the person looking; and the pages that confirm each of those actions
(send to legal, the Resources Board, the informal route, start, cancel)."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from blueprints.placements import bp, forms
from portal.errors import where_to_look
from portal.extensions import db
from portal.forms import add_errors
from portal.loaders import placement_for_action, placement_to_view
from portal.permissions import Permission, requires
from portal.services import placements
from portal.services.errors import RuleError
from portal.services.onboarding import checklists

# The action pages of this blueprint: action -> (endpoint, button text). The page shows
# a link for each action the workflow allows the person looking (`available_actions`).
ACTION_PAGES = {
    "edit": ("placements.edit_placement", "Change the terms"),
    "ask_board": ("placements.ask_board", "Ask the Resources Board"),
    "approve_duration": ("placements.decide_duration", "Decide on the length"),
    "send_to_legal": ("placements.send_to_legal", "Send the agreement to legal"),
    # Proposing corrections is the same page's other answer.
    "confirm_details": ("placements.confirm_placement",
                        "Confirm the details or propose corrections"),
    "agree_informal": ("placements.agree_informal", "Agree the arrangement"),
    "approve_informal": ("placements.approve_informal", "Approve the arrangement"),
    "start": ("placements.start_placement", "Start the placement"),
    "cancel": ("placements.cancel_placement", "Cancel the placement"),
}
# How the page names an action it explains but cannot offer yet.
ACTION_NAMES = {action: text for action, (_, text) in ACTION_PAGES.items()}


@bp.get("/placements/<int:placement_id>")
@requires(Permission.VIEW_HOME)
def view_placement(placement_id: int):
    placement = placement_to_view(current_user, placement_id)
    actions = placements.available_actions(current_user, placement)
    return render_template("placements/placement.html", placement=placement,
                           waiting=placements.waiting_on(placement), actions=actions,
                           links=[(url_for(ACTION_PAGES[a][0], placement_id=placement.id),
                                   ACTION_PAGES[a][1]) for a in actions if a in ACTION_PAGES],
                           # Explained only where the page offers the step once possible.
                           blocked={action: problems for action, problems in
                                    placements.blocked_actions(current_user, placement).items()
                                    if action in ACTION_PAGES},
                           action_names=ACTION_NAMES,
                           signing=placements.signing_parties(current_user, placement),
                           checklist=checklists.checklist_for(current_user, placement))


def _confirm(action: str, placement_id: int, do, template: str, done: str):
    """A confirmation page for one action: refused in words when it cannot be taken
    now; on Continue, the service takes it and the placement page says it is done."""
    placement = placement_for_action(current_user, placement_id, action)
    placements.check_action(current_user, placement, action)
    form = forms.ConfirmForm(version=placement.version)
    if form.validate_on_submit():
        do(current_user, placement, expected_version=form.expected_version)
        flash(done, "success")
        return redirect(url_for(".view_placement", placement_id=placement.id))
    return render_template(f"placements/{template}", form=form, p=placement)


@bp.route("/placements/<int:placement_id>/send-to-legal", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def send_to_legal(placement_id: int):
    return _confirm("send_to_legal", placement_id, placements.send_to_legal,
                    "send_to_legal.html", "The agreement has been sent to legal to ratify.")


@bp.route("/placements/<int:placement_id>/board", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def ask_board(placement_id: int):
    return _confirm("ask_board", placement_id, placements.ask_board, "board.html",
                    "The Resources Board has been asked to approve the placement's length.")


@bp.route("/placements/<int:placement_id>/informal/agree", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def agree_informal(placement_id: int):
    return _confirm("agree_informal", placement_id, placements.agree_informal,
                    "informal_agree.html", "You have agreed the arrangement.")


@bp.route("/placements/<int:placement_id>/informal/approve", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def approve_informal(placement_id: int):
    return _confirm("approve_informal", placement_id, placements.approve_informal,
                    "informal_approve.html", "Arrangement approved in principle. The written "
                    "arrangements have been e-mailed to everyone it concerns.")


@bp.route("/placements/<int:placement_id>/start", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def start_placement(placement_id: int):
    return _confirm("start", placement_id, placements.start, "start.html",
                    "The placement has started.")


@bp.route("/placements/<int:placement_id>/board/decision", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def decide_duration(placement_id: int):
    placement = placement_for_action(current_user, placement_id, "approve_duration")
    placements.check_action(current_user, placement, "approve_duration")
    form = forms.BoardDecisionForm(version=placement.version)
    if form.validate_on_submit():
        try:
            placements.decide_duration(current_user, placement,
                                       approve=form.decision.data == "approve",
                                       reason=form.reason.data,
                                       expected_version=form.expected_version)
        except RuleError as error:
            db.session.rollback()
            add_errors(form, error.errors)
        else:
            flash("The Board's decision is recorded. People Services have been told.",
                  "success")
            return redirect(url_for(".view_placement", placement_id=placement.id))
    return render_template("placements/board_decision.html", form=form, p=placement)


@bp.route("/placements/<int:placement_id>/cancel", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def cancel_placement(placement_id: int):
    placement = placement_for_action(current_user, placement_id, "cancel")
    placements.check_action(current_user, placement, "cancel")
    form = forms.CancelForm(version=placement.version)
    if form.validate_on_submit():
        try:
            placements.cancel(current_user, placement, form.reason.data,
                              expected_version=form.expected_version)
        except RuleError as error:
            db.session.rollback()
            add_errors(form, error.errors)
        else:
            flash("The placement is cancelled. Everyone it concerns has been told.",
                  "success")
            return redirect(url_for(".view_placement", placement_id=placement.id))
    return render_template("placements/cancel.html", form=form, p=placement)


@where_to_look("placements")
def placement_now(view_args: dict) -> tuple[str, str]:
    if "placement_id" not in view_args:
        return "page", url_for("main.home")
    return "placement", url_for(".view_placement", placement_id=view_args["placement_id"])
