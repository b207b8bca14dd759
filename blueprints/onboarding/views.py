"""A placement's onboarding checklist, one item's status, and each person's tasks across
every placement (R9)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.onboarding import bp
from blueprints.onboarding.forms import ItemForm
from portal.extensions import db
from portal.forms import add_errors
from portal.loaders import checklist_to_view, item_to_update
from portal.models.onboarding import RecordKind
from portal.permissions import Permission, requires
from portal.querystring import page_number
from portal.services.errors import RuleError
from portal.services.onboarding import checklists, items, listing


@bp.get("/placements/<int:placement_id>/checklist")
@requires(Permission.VIEW_HOME)
def view_checklist(placement_id: int):
    placement = checklist_to_view(current_user, placement_id)
    return render_template("onboarding/checklist.html", p=placement,
                           checklist=checklists.checklist_for(current_user, placement))


@bp.route("/placements/<int:placement_id>/checklist/<int:item_id>", methods=["GET", "POST"])
@requires(Permission.VIEW_HOME)
def update_item(placement_id: int, item_id: int):
    item = item_to_update(current_user, placement_id, item_id)
    form = ItemForm(version=item.version)
    steps = items.available(current_user, item)
    form.action.choices = [(step, items.ACTION_LABELS[step]) for step in steps]
    if request.method == "GET" and item.is_open:
        form.recorded_date.data = item.recorded_date
        form.recorded_reference.data = item.recorded_reference
    if form.validate_on_submit():
        try:
            items.update(current_user, item, form.action.data,
                         expected_version=form.expected_version,
                         recorded_date=form.recorded_date.data,
                         recorded_reference=form.recorded_reference.data or "",
                         reason=form.reason.data or "")
        except RuleError as error:
            db.session.rollback()
            add_errors(form, error.errors)
        else:
            flash(f"{item.title}: {item.status_enum.label.lower()}.", "success")
            return redirect(_back(item))
    return render_template("onboarding/item.html", form=form, item=item, p=item.placement,
                           owner=checklists.owner_label(item), RecordKind=RecordKind,
                           back=_back(item))


def _back(item) -> str:
    """Back to the checklist for those who see it, or else to their tasks."""
    if checklists.may_view_checklist(current_user, item.placement):
        return url_for(".view_checklist", placement_id=item.placement_id,
                       _anchor=f"item-{item.id}")
    return url_for(".your_tasks")


@bp.get("/onboarding/your-tasks")
@requires(Permission.VIEW_HOME)
def your_tasks():
    done = request.args.get("show") == "all"
    return render_template("onboarding/tasks.html", show_all=done,
                           results=listing.tasks_for(current_user,
                                                     page=page_number(request.args.get("page")),
                                                     include_closed=done))
