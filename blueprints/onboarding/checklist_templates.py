"""The checklist templates People Services keep (R9): the list, one template with its
items and history, and the pages that add, change or remove an item, each making a new
version (checklists already generated keep theirs)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.onboarding import bp
from blueprints.onboarding.forms import RemoveItemForm, TemplateItemForm
from portal.extensions import db
from portal.forms import add_errors
from portal.loaders import checklist_template, template_item
from portal.models.onboarding import OwnerType, Phase
from portal.permissions import Permission, requires
from portal.services.errors import RuleError
from portal.services.onboarding import templates


@bp.get("/people-services/checklist-templates")
@requires(Permission.MANAGE_CHECKLIST_TEMPLATES)
def list_templates():
    return render_template("onboarding/templates.html", summaries=templates.templates())


@bp.get("/people-services/checklist-templates/<int:template_id>")
@requires(Permission.MANAGE_CHECKLIST_TEMPLATES)
def view_template(template_id: int):
    template = checklist_template(template_id)
    return render_template("onboarding/template.html", template=template,
                           version=template.current,
                           owner_labels={o.value: o.label for o in OwnerType},
                           phase_labels={p.value: p.label for p in Phase})


def _saved(template, form, save):
    """`save()` makes the new version; a refusal shows next to its fields."""
    try:
        version = save()
    except RuleError as error:
        db.session.rollback()
        add_errors(form, error.errors)
        return None
    flash(f"Saved as version {version.number} of {template.name}. Checklists already "
          "generated keep the version they came from.", "success")
    return redirect(url_for(".view_template", template_id=template.id))


@bp.route("/people-services/checklist-templates/<int:template_id>/items/new",
          methods=["GET", "POST"])
@requires(Permission.MANAGE_CHECKLIST_TEMPLATES)
def add_template_item(template_id: int):
    template = checklist_template(template_id)
    form = TemplateItemForm(version=template.current.number if template.current else "")
    def save():
        return templates.add_item(current_user, template, form.values(),
                                  expected_number=form.expected_version)

    if form.validate_on_submit() and (done := _saved(template, form, save)):
        return done
    return render_template("onboarding/template_item.html", form=form, template=template,
                           item=None)


@bp.route("/people-services/checklist-templates/<int:template_id>/items/<int:position>",
          methods=["GET", "POST"])
@requires(Permission.MANAGE_CHECKLIST_TEMPLATES)
def change_template_item(template_id: int, position: int):
    template, item = template_item(template_id, position)
    values = templates.form_values(item)
    values["records"] = values["records"] or "none"
    values["blocking"] = "yes" if values["blocking"] else "no"
    form = TemplateItemForm(version=template.current.number,
                            **(values if request.method == "GET" else {}))
    def save():
        return templates.change_item(current_user, template, position, form.values(),
                                     expected_number=form.expected_version)

    if form.validate_on_submit() and (done := _saved(template, form, save)):
        return done
    return render_template("onboarding/template_item.html", form=form, template=template,
                           item=item)


@bp.route("/people-services/checklist-templates/<int:template_id>/items/<int:position>/remove",
          methods=["GET", "POST"])
@requires(Permission.MANAGE_CHECKLIST_TEMPLATES)
def remove_template_item(template_id: int, position: int):
    template, item = template_item(template_id, position)
    form = RemoveItemForm(version=template.current.number)
    def save():
        return templates.remove_item(current_user, template, position,
                                     change=form.change.data or "",
                                     expected_number=form.expected_version)

    if form.validate_on_submit() and (done := _saved(template, form, save)):
        return done
    return render_template("onboarding/template_remove.html", form=form, template=template,
                           item=item)
