"""Decision letters kept as issued: rendered once when the decision is taken, stored with
their SHA-256, and shown, printed and e-mailed from that copy ever after."""

import hashlib

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import Decision, IssuedDocument, Opportunity, User
from portal.services import applications, documents
from tests.blueprints.test_decisions import people, submitted_application  # noqa: F401
from tests.helpers import persona
from tests.smtp import smtp_server  # noqa: F401


def refuse(application) -> Decision:
    return applications.decide_endorsement(
        application, persona("manager-priya"), support=False, grounds=["cover"],
        rationale="Nobody can cover the <b>plan</b> review.")


def letter_text(client, decision) -> str:
    page = client.page(f"/decision-letters/{decision.id}")
    return page.soup.find("article").get_text(" ", strip=True)


def test_the_letter_is_issued_with_the_decision_and_shown_from_the_stored_copy(
        client, people):  # noqa: F811
    application = submitted_application()
    decision = refuse(application)
    letter = decision.letter
    assert letter is not None and letter.kind == "decision_letter"
    assert letter.sha256 == hashlib.sha256(
        letter.html.encode() + b"\0" + letter.text.encode()).hexdigest()
    assert "Nobody can cover the &lt;b&gt;plan&lt;/b&gt; review." in letter.html

    client.sign_in("staff-alex")
    page = client.page(f"/decision-letters/{decision.id}")
    assert letter.html in page.response.get_data(as_text=True)  # byte for byte
    assert letter.sha256 in page.text
    assert page.soup.find("b") is None  # the rationale's markup stays text


def test_later_changes_to_names_the_opportunity_or_the_template_leave_it_as_issued(
        app, client, people):  # noqa: F811
    application = submitted_application()
    decision = refuse(application)
    client.sign_in("staff-alex")
    before = letter_text(client, decision)
    assert "Alex Morgan" in before and "Data protection adviser" in before

    alex = db.session.get(User, application.applicant_id)
    alex.name = "Alexandra Morgan-Reid"
    db.session.get(Opportunity, application.opportunity_id).title = "Renamed role"
    db.session.commit()
    app.jinja_loader = ChoiceLoader([DictLoader({
        "decisions/_letter.html": "<article><h1>A new letter design</h1></article>"}),
        app.jinja_loader])
    app.jinja_env.cache.clear()

    assert letter_text(client, decision) == before
    # A decision taken now is written with the new template: the change did take effect.
    newer = refuse(submitted_application())
    assert "A new letter design" in newer.letter.html


def test_the_e_mail_carries_the_letter_as_issued(smtp_server, people):  # noqa: F811
    decision = refuse(submitted_application())
    [message] = [m for m in smtp_server.messages if m.subject.startswith("Decision on")]
    assert decision.letter.text in message.body.replace("\r\n", "\n")


def test_the_database_refuses_to_change_or_remove_an_issued_letter(people):  # noqa: F811
    decision = refuse(submitted_application())
    for statement in ("UPDATE issued_documents SET html = 'forged'",
                      "DELETE FROM issued_documents"):
        with pytest.raises(Exception, match="append-only"):
            with db.engine.begin() as conn:
                conn.execute(text(statement))
    db.session.expire_all()
    assert documents.intact(db.session.get(IssuedDocument, decision.letter_id))


def test_a_copy_that_no_longer_matches_its_fingerprint_is_not_shown(
        client, people, monkeypatch):  # noqa: F811
    decision = refuse(submitted_application())
    altered = IssuedDocument(kind="decision_letter", html=decision.letter.html + "<p>x</p>",
                             text=decision.letter.text, sha256=decision.letter.sha256)
    assert documents.intact(decision.letter) and not documents.intact(altered)

    monkeypatch.setattr(documents, "intact", lambda document: False)
    client.sign_in("staff-alex")
    page = client.page(f"/decision-letters/{decision.id}")
    assert page.h1 == "This letter cannot be shown"
    assert page.soup.find("article") is None


def test_a_decision_taken_before_letters_were_kept_gets_its_letter_once(
        client, people):  # noqa: F811
    decision = refuse(submitted_application())
    # As a decision from before the letters table: no letter yet.
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE decisions SET letter_id = NULL WHERE id = :id"),
                     {"id": decision.id})
    client.sign_in("staff-alex")
    first = letter_text(client, decision)
    second = letter_text(client, decision)
    assert first == second and "Nobody can cover" in first
    db.session.expire_all()
    assert db.session.scalar(select(Decision.letter_id).where(
        Decision.id == decision.id)) is not None
