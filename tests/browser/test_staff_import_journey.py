"""The staff import's page in a real browser (issue 14): People Services upload the HR
export with one bad row and see the problem next to the file and by line, nothing
imported; upload the corrected file and see what it changes; apply it and see the
counts. axe-core's WCAG 2.2 AA rules on every page; each page saved as a screenshot
under tests/artifacts/staff-import/."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import User
from portal.models.staff_imports import StaffImportUpload
from tests.browser.conftest import AxeAudit, sign_in_with_mock

pytestmark = pytest.mark.browser

# New people only, in a department of their own: the other journeys' personas stay as
# the demo made them.
CORRECTED = (
    "Name,Email,Department,Line Manager Email,Grade\n"
    "Rhiannon Tidewell,rhiannon.tidewell@example.org,Coastal Services,"
    "priya.shah@example.org,Band 6\n"
    "Callum Shore,callum.shore@example.org,Coastal Services,"
    "rhiannon.tidewell@example.org,Band 5\n"
    "Esme Dune,esme.dune@example.org,Coastal Services,"
    "rhiannon.tidewell@example.org,Band 4\n"
)
# Callum's address mistyped on line 3.
WITH_ONE_BAD_ROW = CORRECTED.replace("callum.shore@example.org", "callum.shore.example.org")
PROBLEM = "Line 3: 'callum.shore.example.org' is not a valid e-mail address"


def people(live_portal, *emails) -> dict[str, User | None]:
    with live_portal.app.app_context():
        found = {email: db.session.scalar(select(User).where(func.lower(User.email) == email))
                 for email in emails}
        waiting = db.session.scalar(select(func.count()).select_from(StaffImportUpload))
        db.session.remove()
    return found, waiting


def test_people_services_import_a_corrected_export(new_context, live_portal, artifacts,
                                                    tmp_path):
    shots = artifacts / "staff-import"
    shots.mkdir(exist_ok=True)
    axe = AxeAudit(shots)
    bad, good = tmp_path / "bad" / "hr-export.csv", tmp_path / "good" / "hr-export.csv"
    for path, content in ((bad, WITH_ONE_BAD_ROW), (good, CORRECTED)):
        path.parent.mkdir()
        path.write_text(content, encoding="utf-8-sig")  # as Excel saves it, with a mark

    sam = new_context(bypass_csp=True).new_page()
    sign_in_with_mock(sam, live_portal, "people-sam")
    sam.goto(live_portal("/people-services"))
    sam.get_by_role("link", name="Import staff from the HR system").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Import staff from the HR system")
    axe(sam, "upload page")

    # The export with one bad row: the problem next to the file, in the summary and in
    # the list by line, and nothing imported.
    sam.get_by_label("Upload the HR system's export").set_input_files(bad)
    sam.get_by_role("button", name="Check the file").click()
    expect(sam).to_have_title("Error: Import staff from the HR system – Secondments – "
                              "Example Council")
    summary = sam.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=PROBLEM)).to_be_visible()
    expect(sam.locator("#export-error")).to_contain_text(PROBLEM)
    expect(sam.get_by_role("heading", name="1 problem in the file")).to_be_visible()
    expect(sam.get_by_role("list", name="1 problem in the file")).to_have_text(PROBLEM)
    axe(sam, "one bad row")
    summary.get_by_role("link", name=PROBLEM).click()
    expect(sam.locator("#export")).to_be_focused()
    found, waiting = people(live_portal, "rhiannon.tidewell@example.org")
    assert found["rhiannon.tidewell@example.org"] is None and waiting == 0

    # The corrected file: what it changes, still nothing imported.
    sam.get_by_label("Upload the HR system's export").set_input_files(good)
    sam.get_by_role("button", name="Check the file").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text(
        "Check the staff import before applying it")
    def row(key):
        return sam.locator(".govuk-summary-list__row").filter(
            has=sam.locator("dt", has_text=re.compile(rf"^\s*{key}\s*$"))).locator("dd")

    expect(row("File")).to_have_text("hr-export.csv")
    expect(row("Read as")).to_have_text("UTF-8, separated by commas")
    expect(row("People in the file")).to_have_text("3")
    expect(row("To add")).to_have_text("3")
    expect(row("People not in the file")).to_have_text("Kept as they are")
    expect(sam.get_by_role("list").filter(has_text="Coastal Services")).to_be_visible()
    axe(sam, "check the import")
    found, waiting = people(live_portal, "rhiannon.tidewell@example.org")
    assert found["rhiannon.tidewell@example.org"] is None and waiting == 1

    # Applied: the counts, the people there with their line managers, the file gone.
    sam.get_by_role("button", name="Apply the import").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Staff import applied")
    expect(row("Added")).to_have_text("3")
    expect(row("Records changed")).to_have_text("0")
    axe(sam, "import applied")
    _found, waiting = people(live_portal)
    assert waiting == 0
    with live_portal.app.app_context():
        callum = db.session.scalar(select(User).where(User.email == "callum.shore@example.org"))
        assert callum.line_manager.email == "rhiannon.tidewell@example.org"
        assert callum.department.name == "Coastal Services"
        db.session.remove()

    # Back to the check page (the browser's history): the upload has gone.
    sam.go_back()
    sam.reload()
    expect(sam.get_by_role("heading", level=1)).to_have_text(
        "This upload is no longer waiting to be applied")
    axe(sam, "upload gone")
    axe.assert_clean()
