"""The navigation fits one row: People Services' work is grouped under one entry, whose
pages carry a section navigation of their own."""

import pytest


def main_navigation(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".govuk-service-navigation__list a")]


def section_navigation(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".portal-section-nav a")]


def test_people_services_see_their_work_under_one_entry(client, demo_data):
    client.sign_in("people-sam")

    home = client.page("/home")

    assert main_navigation(home) == ["Home", "Opportunities", "Your applications",
                                     "People Services"]
    assert section_navigation(home) == []
    overview = client.page("/people-services")
    assert section_navigation(overview) == [
        "Applications", "Placements", "Onboarding", "Appeals", "Named requests",
        "Your opportunities", "Conflicts", "Equality", "Host contacts", "E-mail", "Back office"]
    current = overview.soup.select_one(".govuk-service-navigation__item--active")
    assert current.get_text(strip=True) == "People Services"


@pytest.mark.parametrize(("path", "here"), [
    ("/people-services/host-contacts", "Host contacts"),
    ("/appeals", "Appeals"),
    ("/opportunities/named-requests", "Named requests"),
    ("/opportunities/yours", "Your opportunities"),
])
def test_a_people_services_page_shows_where_it_is(client, demo_data, path, here):
    client.sign_in("people-sam")
    page = client.page(path)
    assert page.soup.select_one(".portal-section-nav [aria-current=page]").get_text(
        strip=True) == here
    assert page.soup.select_one(".govuk-service-navigation__item--active").get_text(
        strip=True) == "People Services"


def test_the_back_office_has_its_own_section_navigation(client, demo_data):
    client.sign_in("people-sam")
    page = client.page("/back-office/audit/")
    assert section_navigation(page) == ["Overview", "Audit trail"]
    assert page.soup.select_one(".govuk-service-navigation__item--active").get_text(
        strip=True) == "People Services"


def test_others_keep_their_entries_beside_each_other(client, demo_data):
    client.sign_in("admin-jo")
    page = client.page("/home")
    assert "Back office" in main_navigation(page) and "People Services" not in (
        main_navigation(page))
    client.sign_out()
    client.sign_in("manager-priya")
    page = client.page("/opportunities/yours")
    assert "Your opportunities" in main_navigation(page)
    assert section_navigation(page) == []
