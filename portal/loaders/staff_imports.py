"""An HR export uploaded for its dry run, waiting to be applied: People Services' only."""

from portal.extensions import db
from portal.models.staff_imports import StaffImportUpload
from portal.services.staff_uploads import UploadGone, is_waiting


def staff_upload(upload_id: int) -> StaffImportUpload:
    """An upload still waiting: one applied, replaced or a day old is not found (404,
    with a page that says why it may have gone: blueprints/people_services)."""
    upload = db.session.get(StaffImportUpload, upload_id)
    if upload is None or not is_waiting(upload):
        raise UploadGone()
    return upload
