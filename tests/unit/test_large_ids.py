"""Ids past what an id column holds (INTEGER: 32 bits on PostgreSQL, which refuses a
larger number in a query) name no record: every route that takes one answers 404 and
every filter that takes one says it cannot use it, never a server error."""

from portal.querystring import LARGEST_ID, positive_id

PATHS = ["/placements/{}", "/placements/{}/checklist", "/placements/1/checklist/{}",
         "/opportunities/{}", "/people-services/checklist-templates/{}"]


def test_ids_no_column_holds_are_not_found_in_paths_and_refused_in_filters(demo_data,
                                                                           client):
    client.sign_in("people-sam")
    for number in (2**31, 2**32 + 1, 2**63 - 1, 2**64):
        for path in PATHS:
            assert client.get(path.format(number)).status_code == 404, (path, number)
    assert LARGEST_ID == 2**31 - 1
    assert positive_id(str(2**31 - 1)) == 2**31 - 1
    assert positive_id(str(2**31)) is None
    page = client.get(f"/placements?department={2**31}")
    assert page.status_code == 200
    assert "Select a department from the list" in page.get_data(as_text=True)
