"""Selection: anonymised shortlisting, fixing the shortlist, the assessment outcome and
the offer, filling the opportunity, and who may do any of it."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from portal.extensions import db
from portal.models import Application, Opportunity, User
from portal.models.applications import ApplicationStatus as A
from portal.permissions import Role
from portal.services import applications as service
from portal.services.opportunities import london_today
from tests.factories import make_department, make_opportunity, make_user
from tests.helpers import count_queries, persona

ANSWERS = dict(motivation="I have mapped coastlines for ten years.",
               evidence="Led the 2024 shoreline survey.",
               learning_objectives="Run a survey team of my own.",
               cover_plan="Wilberforce Nkemelu covers my casework.",
               discussed_with_manager=True, has_conflict=False)



@pytest.fixture
def team(demo_data):
    return make_team()


def make_team() -> SimpleNamespace:
    """A department whose head releases and whose line manager endorses its applicants."""
    head = make_user("Hattie Headland", roles=[Role.STAFF, Role.HEAD_OF_DEPARTMENT])
    department = make_department("Coastal Erosion Unit", head=head)
    manager = make_user("Milo Marchbank", roles=[Role.STAFF, Role.LINE_MANAGER],
                        department=department, line_manager=head)
    return SimpleNamespace(head=head, department=department, manager=manager)


def applicant(team, name: str, grade: str = "Band 9 Principal") -> User:
    email = name.lower().replace(" ", ".").replace("-", "") + "@example.org"
    person = make_user(name, email=email, department=team.department,
                       line_manager=team.manager)
    person.grade = grade
    db.session.commit()
    return person


def submitted(person, opportunity, **answers) -> Application:
    application = service.start_application(person, opportunity)
    service.save_draft(application, person, ANSWERS | answers)
    service.submit(application, person)
    return application


def released(team, person, opportunity, **answers) -> Application:
    """Applied, supported by the line manager and released by the head of department."""
    application = submitted(person, opportunity, **answers)
    service.decide_endorsement(application, team.manager, support=True)
    service.decide_release(application, team.head, approve=True)
    return application


def fresh(model, record_id):
    db.session.expire_all()
    return db.session.get(model, record_id)


def post_from(client, page_url, form_action=None, **fields):
    """Press a form's button as a browser would: the form's hidden fields (CSRF token,
    version) and the given ones. `form_action` picks the form; without it, the page's
    own."""
    page = client.page(page_url)
    if form_action:
        form = page.soup.find("form", action=form_action)
    else:
        form = page.soup.find("form", attrs={"method": "post", "action": False})
    assert form is not None, f"no form for {form_action or page_url} on {page_url}"
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    data.update(fields)
    return client.post(form_action or page_url, data=data)


@pytest.fixture
def selection(team):
    """An anonymised opportunity with two released applications."""
    sam = persona("people-sam")
    opportunity = make_opportunity(sam, publish=True, title="Coastal survey lead")
    zeb = applicant(team, "Zebedee Quartermain")
    ottoline = applicant(team, "Ottoline Pemberton-Vex")
    first = released(team, zeb, opportunity, motivation="I map coastlines for fun.")
    second = released(team, ottoline, opportunity, motivation="Tidal models are my passion.")
    return SimpleNamespace(o=opportunity, first=first.id, second=second.id, zeb=zeb,
                           ottoline=ottoline, url=f"/opportunities/{opportunity.id}/applications")


def shortlist(client, s, application_id, decision="shortlist"):
    return post_from(client, s.url, f"{s.url}/{application_id}/shortlist", decision=decision)


def fix(client, s):
    return post_from(client, s.url, f"{s.url}/fix-shortlist")


class Outbox:
    """The e-mails queued so far, read from the outbox: (recipients, subject, body)."""

    def __iter__(self):
        from sqlalchemy import select

        from portal.models import OutboxMessage

        db.session.expire_all()
        return iter([(set(m.recipient_list), m.subject, m.body) for m in db.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id))])


@pytest.fixture
def mail():
    return Outbox()


# --- anonymised shortlisting ------------------------------------------------------------

def test_anonymised_shortlisting_hides_names_until_the_shortlist_is_fixed(client, selection):
    s = selection
    client.sign_in("people-sam")
    page = client.page(s.url)
    html = page.response.get_data(as_text=True)
    assert page.h1 == "Applications"
    assert [a.get_text(strip=True) for a in page.select("table a")] == [
        "Candidate 1", "Candidate 2"]
    assert "I map coastlines for fun." in page.text
    assert "Tidal models are my passion." in page.text
    assert "Led the 2024 shoreline survey." in page.text
    personal = ["Zebedee", "Quartermain", "Ottoline", "Pemberton", "zebedee.quartermain",
                "Coastal Erosion Unit", "Band 9 Principal", "SEC-"]
    for secret in personal:
        assert secret not in html, secret

    assert shortlist(client, s, s.first).status_code == 302
    after = client.page(s.url)
    assert "Candidate 1 shortlisted." in after.text
    assert "Zebedee" not in after.response.get_data(as_text=True)
    assert shortlist(client, s, s.second).status_code == 302
    assert fix(client, s).status_code == 302

    fixed = client.page(s.url)
    assert "The shortlist is fixed" in fixed.text
    for shown in ("Zebedee Quartermain", "Ottoline Pemberton-Vex",
                  "zebedee.quartermain@example.org", "Coastal Erosion Unit",
                  "Band 9 Principal", fresh(Application, s.first).reference):
        assert shown in fixed.text, shown
    assert not fixed.soup.find("button", attrs={"value": "shortlist"})


def test_fixing_is_refused_while_a_candidate_waits_for_a_decision(client, selection, mail):
    s = selection
    client.sign_in("people-sam")
    assert shortlist(client, s, s.first).status_code == 302

    refused = fix(client, s)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "1 released application still needs a decision" in html
    assert "<title>Error: " in html
    assert fresh(Opportunity, s.o.id).shortlist_fixed_at is None

    assert shortlist(client, s, s.second, "reject").status_code == 302
    assert fresh(Application, s.second).status == A.UNSUCCESSFUL
    assert any(to == {"ottoline.pembertonvex@example.org"} and "unsuccessful" in subject
               for to, subject, _ in mail)
    assert fix(client, s).status_code == 302
    assert fresh(Opportunity, s.o.id).shortlist_fixed_at is not None

    # The shortlist cannot change once fixed, even by a hand-made post.
    data = {"csrf_token": client.csrf_token(s.url), "decision": "reject",
            "version": str(fresh(Application, s.first).version)}
    answer = client.post(f"{s.url}/{s.first}/shortlist", data=data)
    assert answer.status_code == 422
    assert "The shortlist is fixed" in answer.get_data(as_text=True)
    assert fresh(Application, s.first).status == A.SHORTLISTED


def test_offer_only_after_fixing_then_filling_tells_everyone_else(client, selection, team,
                                                                  mail):
    s = selection
    late = submitted(applicant(team, "Ludo Latecomer"), s.o)  # still with the manager
    client.sign_in("people-sam")
    for application_id in (s.first, s.second):
        assert shortlist(client, s, application_id).status_code == 302

    offer_url = f"{s.url}/{s.first}/offer"
    early = post_from(client, offer_url, terms="Six months from March")
    assert early.status_code == 422
    assert "Fix the shortlist before making an offer" in early.get_data(as_text=True)
    assert fresh(Application, s.first).status == A.SHORTLISTED
    assert fresh(Application, s.first).offer_terms == ""

    assert fix(client, s).status_code == 302
    page = client.page(s.url)
    assert page.soup.find("a", href=f"{s.url}/{s.first}/assessment")
    assert page.soup.find("a", href=offer_url)

    assessment_url = f"{s.url}/{s.first}/assessment"
    empty = post_from(client, assessment_url, outcome="  ")
    assert "Enter the outcome of the assessment" in empty.get_data(as_text=True)
    assert "<title>Error: " in empty.get_data(as_text=True)
    assert post_from(client, assessment_url, outcome="Strong interview.").status_code == 302
    assert fresh(Application, s.first).assessment_outcome == "Strong interview."

    no_terms = post_from(client, offer_url, terms="")
    assert "Enter the terms of the offer" in no_terms.get_data(as_text=True)
    offered = post_from(client, offer_url, terms="Six months from March, three days a week.")
    assert offered.status_code == 302
    assert offered.location.endswith(f"{s.url}#candidate-1")
    assert fresh(Application, s.first).status == A.OFFERED
    offer_mail = [body for to, subject, body in mail
                  if to == {"zebedee.quartermain@example.org"} and subject.startswith("Offer")]
    assert "Six months from March, three days a week." in offer_mail[0]
    assert "Offer made to Zebedee Quartermain" in client.page(s.url).text

    service.answer_offer(fresh(Application, s.first), s.zeb, accept=True)
    page = client.page(s.url)
    assert "An offer has been accepted" in page.text
    manage_url = f"/opportunities/{s.o.id}/manage"
    assert post_from(client, manage_url, f"/opportunities/{s.o.id}/filled").status_code == 302

    assert fresh(Opportunity, s.o.id).status == "filled"
    assert fresh(Application, s.first).status == A.ACCEPTED
    assert fresh(Application, s.second).status == A.UNSUCCESSFUL
    assert fresh(Application, late.id).status == A.UNSUCCESSFUL
    told = {email for to, subject, _ in mail if "unsuccessful" in subject for email in to}
    assert told == {"ottoline.pembertonvex@example.org", "ludo.latecomer@example.org"}
    assert "Unsuccessful" in client.page(s.url).text


def test_without_anonymising_names_show_at_once_but_offers_still_wait(client, team):
    sam = persona("people-sam")
    o = make_opportunity(sam, publish=True, anonymise_shortlisting=False)
    application = released(team, applicant(team, "Nell Namedopen"), o)
    url = f"/opportunities/{o.id}/applications"
    client.sign_in("people-sam")
    assert "Nell Namedopen" in client.page(url).text
    assert post_from(client, url, f"{url}/{application.id}/shortlist",
                     decision="shortlist").status_code == 302
    early = post_from(client, f"{url}/{application.id}/offer", terms="Twelve months")
    assert early.status_code == 422
    assert fresh(Application, application.id).status == A.SHORTLISTED


def test_selectors_never_see_equality_answers_conflicts_or_the_cover_plan(client, team):
    sam = persona("people-sam")
    o = make_opportunity(sam, publish=True)
    person = applicant(team, "Cora Conflicted")
    application = released(team, person, o, has_conflict=True,
                           conflict_details="My cousin Quillon runs the survey team.")
    service.record_equality_answers(application, person,
                                    {"sex": "Sex-answer-xq", "religion": "Religion-answer-xq",
                                     "ethnic_group": "Ethnic-answer-xq"})
    url = f"/opportunities/{o.id}/applications"
    client.sign_in("people-sam")
    pages = [url, f"{url}/{application.id}/assessment", f"{url}/{application.id}/offer"]

    def assert_nothing_private_on_the_pages():
        for page in pages:
            html = client.get(page).get_data(as_text=True)
            for secret in ("Quillon", "answer-xq", "Wilberforce"):
                assert secret not in html, (page, secret)

    assert_nothing_private_on_the_pages()
    post_from(client, url, f"{url}/{application.id}/shortlist", decision="shortlist")
    assert post_from(client, url, f"{url}/fix-shortlist").status_code == 302
    assert "Cora Conflicted" in client.page(url).text
    assert_nothing_private_on_the_pages()


# --- who may see and do what -------------------------------------------------------------

def test_a_manager_off_the_hiring_side_cannot_act_by_hand_made_posts(client, selection):
    s = selection
    client.sign_in("manager-priya")
    token = client.csrf_token("/")
    version = str(fresh(Application, s.first).version)
    posts = [(f"{s.url}/{s.first}/shortlist", {"decision": "shortlist", "version": version}),
             (f"{s.url}/fix-shortlist", {"version": str(s.o.version)}),
             (f"{s.url}/{s.first}/assessment", {"outcome": "x", "version": version}),
             (f"{s.url}/{s.first}/offer", {"terms": "x", "version": version})]
    for url, data in posts:
        assert client.post(url, data=data | {"csrf_token": token}).status_code == 403, url
    assert fresh(Application, s.first).status == A.RELEASED
    assert fresh(Opportunity, s.o.id).shortlist_fixed_at is None


def test_the_contact_of_a_closed_opportunity_still_selects(client, team):
    sam, priya = persona("people-sam"), persona("manager-priya")
    o = make_opportunity(sam, publish=True)
    released(team, applicant(team, "Cass Closedcall"), o)
    o.contact_id = priya.id
    o.closing_date = london_today() - timedelta(days=1)
    db.session.commit()
    client.sign_in("manager-priya")
    page = client.page(f"/opportunities/{o.id}/applications")
    assert "Candidate 1" in page.text
    # The contact does not look after the opportunity: no link to its management page.
    assert not page.soup.find("a", href=f"/opportunities/{o.id}/manage")


def test_a_colleague_named_as_the_contact_selects_and_others_do_not(client, team):
    """Being the contact is what puts a member of staff, manager or not, on the hiring
    side of that opportunity, and of no other."""
    sam, alex = persona("people-sam"), persona("staff-alex")  # Alex manages nobody
    o = make_opportunity(sam, publish=True)
    first = released(team, applicant(team, "Cass Candidate"), o)
    o.contact_id = alex.id
    other = make_opportunity(sam, publish=True, title="Someone else's role")
    db.session.commit()
    client.sign_in("staff-alex")

    page = client.page(f"/opportunities/{o.id}/applications")
    assert "Candidate 1" in page.text
    form = page.soup.find("form", action=f"/opportunities/{o.id}/applications/{first.id}"
                                         "/shortlist")
    answer = client.post(form["action"], data={
        "csrf_token": form.find("input", {"name": "csrf_token"})["value"],
        "version": form.find("input", {"name": "version"})["value"],
        "decision": "shortlist"})
    assert answer.status_code == 302
    assert fresh(Application, first.id).status == A.SHORTLISTED

    assert client.get(f"/opportunities/{other.id}/applications").status_code == 403


def test_unknown_or_private_opportunities_and_strays_are_not_found(client, make_client,
                                                                 selection):
    sam = persona("people-sam")
    named = make_opportunity(sam, publish=True, audience="named_request",
                             publicity_assessment="Low risk")
    draft = make_opportunity(sam)
    client.sign_in("manager-priya")
    for o_id in (999999, named.id, draft.id):
        assert client.get(f"/opportunities/{o_id}/applications").status_code == 404

    other = make_opportunity(sam, publish=True)
    officer = make_client()
    officer.sign_in("people-sam")
    stray = f"/opportunities/{other.id}/applications/{selection.first}"
    assert officer.get(f"{stray}/assessment").status_code == 404
    assert officer.get(f"{stray}/offer").status_code == 404
    assert officer.get(f"{selection.url}/999999/offer").status_code == 404


def test_an_application_not_yet_released_is_not_a_candidate(client, selection, team):
    waiting = submitted(applicant(team, "Wren Waiting"), selection.o)
    client.sign_in("people-sam")
    assert "Wren" not in client.get(selection.url).get_data(as_text=True)
    assert client.get(f"{selection.url}/{waiting.id}/assessment").status_code == 404
    token = client.csrf_token(selection.url)
    answer = client.post(f"{selection.url}/{waiting.id}/shortlist",
                         data={"csrf_token": token, "decision": "shortlist", "version": "2"})
    assert answer.status_code == 404
    assert fresh(Application, waiting.id).status == A.SUBMITTED


def test_someone_else_decided_meanwhile(client, make_client, selection):
    s = selection
    client.sign_in("people-sam")
    page = client.page(s.url)
    form = page.soup.find("form", action=f"{s.url}/{s.first}/shortlist")
    data = {i["name"]: i["value"] for i in form.find_all("input")} | {"decision": "reject"}
    other = make_client()
    other.sign_in("people-sam")
    assert shortlist(other, s, s.first).status_code == 302

    answer = client.post(f"{s.url}/{s.first}/shortlist", data=data)
    assert answer.status_code == 409
    assert "changed while you were looking at it" in answer.get_data(as_text=True)
    assert fresh(Application, s.first).status == A.SHORTLISTED


def test_get_never_changes_and_posts_need_csrf(client, selection):
    s = selection
    client.sign_in("people-sam")
    assert client.get(f"{s.url}/{s.first}/shortlist").status_code == 405
    assert client.get(f"{s.url}/fix-shortlist").status_code == 405
    answer = client.post(f"{s.url}/{s.first}/shortlist", data={"decision": "shortlist"})
    assert answer.status_code == 400
    assert fresh(Application, s.first).status == A.RELEASED


def test_answers_are_escaped(client, team):
    nasty = '"><svg onload=alert(1)> {{7*7}} <script>x</script>'
    sam = persona("people-sam")
    o = make_opportunity(sam, publish=True, anonymise_shortlisting=False)
    person = applicant(team, "Xavier Scriptwright")
    person.name = nasty
    db.session.commit()
    application = released(team, person, o, motivation=nasty, evidence=nasty,
                           learning_objectives=nasty)
    url = f"/opportunities/{o.id}/applications"
    client.sign_in("people-sam")
    for page in (url, f"{url}/{application.id}/assessment", f"{url}/{application.id}/offer"):
        html = client.get(page).get_data(as_text=True)
        assert "<svg onload" not in html and "<script>x" not in html, page
        assert "&lt;script&gt;x" in html


def test_the_manage_page_links_to_the_applications(client, selection):
    client.sign_in("people-sam")
    manage = client.page(f"/opportunities/{selection.o.id}/manage")
    link = manage.soup.find("a", href=selection.url)
    assert link is not None and link.get_text(strip=True) == "Applications"
    draft = make_opportunity(persona("people-sam"))
    manage = client.page(f"/opportunities/{draft.id}/manage")
    assert not manage.soup.find("a", href=f"/opportunities/{draft.id}/applications")


def test_the_candidates_list_reads_the_same_number_of_queries_for_two_or_twelve(
        client, selection, team):
    client.sign_in("people-sam")
    with count_queries() as few:
        client.page(selection.url)
    for n in range(10):
        released(team, applicant(team, f"Extra Candidate {n}"), selection.o)

    with count_queries() as many:
        page = client.page(selection.url)

    assert len(page.select(".govuk-summary-card")) == 12
    assert len(many) == len(few)
