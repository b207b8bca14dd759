"""The staff import's page (the portal knows who works where and who manages whom from
the HR system's export): People Services upload the export, see its dry run (the
problems by line, or what it would change), then apply it from a check page. The same
import and rules as `flask import-staff`; the file is kept between the two steps only
(portal/services/staff_uploads.py)."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from blueprints.people_services import bp, forms
from portal.forms import add_errors
from portal.loaders import staff_upload
from portal.permissions import Permission, requires
from portal.services import staff_uploads
from portal.services.staff_uploads import UploadGone

# Room for the form's other fields and the multipart framing around the file.
_FORM_OVERHEAD = 1024 * 1024


@bp.url_value_preprocessor
def _limit_the_upload(endpoint, values):
    """The upload's size limit, set before anything reads the request's body (the CSRF
    check does, before any view): these run first. Beyond it the request is refused
    unread, with the page's own message (`_too_large`)."""
    if endpoint == "people_services.upload_staff_export":
        request.max_content_length = staff_uploads.MAX_UPLOAD_BYTES + _FORM_OVERHEAD


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    form = forms.StaffExportForm(formdata=None)
    add_errors(form, {"export": staff_uploads.too_large()})
    return _upload_page(form), 413


@bp.errorhandler(UploadGone)
def _upload_gone(error):
    return render_template("people_services/staff_import_gone.html"), 404


@bp.route("/people-services/staff-import", methods=["GET", "POST"])
@requires(Permission.IMPORT_STAFF)
def upload_staff_export():
    """Upload the export and see its dry run: its problems here, or its summary on the
    page that applies it."""
    form = forms.StaffExportForm()
    plan = None
    if form.validate_on_submit():
        export = form.export.data
        problem = staff_uploads.file_problem(export.filename or "", export.stream)
        if problem:
            add_errors(form, {"export": problem})
        else:
            plan, upload = staff_uploads.plan_upload(
                current_user, export.filename, export.stream,
                None if form.encoding.data == "detect" else form.encoding.data,
                form.leavers.data)
            if upload is not None:
                return redirect(url_for(".check_staff_import", upload_id=upload.id))
            add_errors(form, {"export": _problems_in_a_line(plan)})
    return _upload_page(form, plan)


@bp.route("/people-services/staff-import/<int:upload_id>", methods=["GET", "POST"])
@requires(Permission.IMPORT_STAFF)
def check_staff_import(upload_id: int):
    """What the uploaded file changes, then applying it."""
    upload = staff_upload(upload_id)
    form = forms.ApplyStaffImportForm(sha256=upload.sha256)
    problems = None
    # The CSRF token is checked for every post before any view; the form's one field
    # is the fingerprint, which either is the file's or is not.
    if form.is_submitted():
        # Only what the page sent counts: the form's default is the upload's own.
        if (form.sha256.raw_data or [""])[0] != upload.sha256:
            return render_template("errors/409.html", thing="staff import", look_url=url_for(
                ".check_staff_import", upload_id=upload.id)), 409
        result, waiting = staff_uploads.apply_upload(current_user, upload)
        if result.applied:
            # Nothing of the run is kept to show later (the file goes with it): the
            # page is the answer to the post, and posting it again finds no upload.
            return render_template("people_services/staff_import_applied.html",
                                   upload=upload, summary=staff_uploads.summary_of(result))
        if waiting is None:
            again = forms.StaffExportForm(formdata=None)
            add_errors(again, {"export": _problems_in_a_line(result, changed=True)})
            return _upload_page(again, result)
        upload, problems = waiting, result.errors
    return render_template("people_services/staff_import_check.html", upload=upload,
                           summary=upload.summary, form=form, problems=problems)


def _upload_page(form, plan=None):
    return render_template("people_services/staff_import.html", form=form, plan=plan,
                           max_megabytes=staff_uploads.MAX_UPLOAD_BYTES // (1024 * 1024))


def _problems_in_a_line(plan, changed: bool = False) -> str:
    """The file field's message: its one problem, or how many are listed below."""
    if changed:
        return ("Nothing was imported: the portal's records changed since the file was "
                "checked. Correct the problems listed below and upload the file again")
    if plan.problems == 1:
        return plan.errors[0]
    return (f"The file has {plan.problems:,} problems, listed below: correct them and "
            "upload the file again")
