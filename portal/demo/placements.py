"""Demo placements in every state, made through the services the pages use, so that
their agreements, hashes and signatures are genuine and each persona has something
waiting when they sign in:

- Sam (People Services): corrections Maria proposed, an agreement legal returned, a
  placement over 24 months to send to the Resources Board, one ready to start;
- Ruth (legal): an agreement to ratify; George (Resources Board): a duration to decide;
- Alex: his agreement to sign; David (the organisation's signatory): the same one;
- Priya: an informal arrangement to agree, and her people's placements;
- Maria (Northshire NHS Foundation Trust): a placement's details to confirm (she has
  signed another's agreement, and proposed corrections to a third); Omar (Lakes
  National Park Authority): details to confirm for his own organisation, which has a
  placement with legal and one ready to start; neither sees the other's;
- an international placement (Owen's peatland exchange in Iceland, with Lakes) and an
  incoming secondee from Northshire not yet linked to an account, whose checklists,
  like every placement's, are at their stages (`portal.demo.onboarding`).

Needs the personas (`portal.demo`) and the demo applications (for the staff who go on
placements and the accepted offer one of them comes from).
"""

from datetime import timedelta

from sqlalchemy import select

from portal.demo import persona
from portal.demo.applications import _people
from portal.demo.onboarding import ABROAD, INCOMING, seed_demo_checklists
from portal.extensions import db
from portal.models import Application, Opportunity, Organisation, RoleAssignment, User
from portal.models.applications import ApplicationStatus
from portal.models.placements import Placement
from portal.services import placements as service
from portal.services.identity import roles_from_claims
from portal.services.onboarding import items as onboarding_items
from portal.services.onboarding.owners import is_owner
from portal.services.opportunities import london_today

NORTHSHIRE = "Northshire NHS Foundation Trust"
LAKES = "Lakes National Park Authority"


def _terms(title: str, start_in_days: int, days: int = 181, **overrides) -> dict:
    start = london_today() + timedelta(days=start_in_days)
    return dict(
        title=title, start_date=start, end_date=start + timedelta(days=days),
        notice_weeks=4, working_pattern="full_time",
        hours="37 hours a week, Monday to Friday", location="Bakewell",
        country="United Kingdom", grade="Band 6", salary_paid_by="home",
        expenses_paid_by="host", home_invoices_host=True,
        objectives="Bring back what works in a partner organisation.",
        return_post="Their substantive post", return_grade="Band 6") | overrides


def _organisation(name: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _with_their_groups_roles(user: User, subject: str) -> None:
    """The roles the persona's groups give at sign-in (People Services, legal), for a
    demo that acts for them before they first sign in; the sign-in replaces them."""
    if any(a.source == RoleAssignment.SOURCE_CLAIM for a in user.role_assignments):
        return
    for role in sorted(roles_from_claims(persona(subject).claims())):
        user.role_assignments.append(RoleAssignment(role=role,
                                                    source=RoleAssignment.SOURCE_CLAIM))
    db.session.flush()
    user.__dict__.pop("_roles", None)


class _Demo:
    def __init__(self):
        self.people = _people()
        for key, email in (("ruth", "ruth.campbell@example.org"),
                           ("george", "george.evans@example.org"),
                           ("maria", "maria.lopez@northshire-nhs.example"),
                           ("omar", "omar.haddad@lakes-npa.example")):
            self.people[key] = _user(email)
        self.sam, self.david = self.people["sam"], self.people["david"]
        _with_their_groups_roles(self.sam, "people-sam")
        _with_their_groups_roles(self.people["ruth"], "legal-ruth")
        db.session.commit()

    def propose(self, secondee: str, partner: str | None, title: str, start_in_days: int,
                kind: str = "outgoing", **terms) -> Placement:
        values = _terms(title, start_in_days, **terms) | {
            "kind": kind, "secondee_email": self.people[secondee].email,
            "signatory_email": self.david.email}
        if partner:
            values["partner_organisation_id"] = _organisation(partner).id
        if self.people[secondee].line_manager is not None:
            values.setdefault("substantive_manager_email",
                              self.people[secondee].line_manager.email)
        return service.create_direct(self.sam, values)

    def confirm(self, placement: Placement, contact: str) -> None:
        service.confirm_details(self.people[contact], placement,
                                host_manager_name="Hugh Bennett",
                                host_manager_email="hugh.bennett@partner.example",
                                expected_version=placement.version)

    def to_legal(self, placement: Placement):
        return service.send_to_legal(self.sam, placement, expected_version=placement.version)

    def ratify(self, placement: Placement) -> None:
        service.ratify(self.people["ruth"], placement, expected_version=placement.version)

    def sign(self, placement: Placement, *who: str) -> None:
        for key in who:
            person = self.people[key]
            service.sign(person, placement,
                         shown_sha256=placement.current_agreement.pdf_sha256,
                         issuer=person.issuer or "demo", expected_version=placement.version)


def seed_demo_placements() -> int:
    """Create the demo placements once (none are made if any placement exists, bar the
    two the checklists need, each made once by its title), then bring their onboarding
    checklists to their stages; returns how many placements were made."""
    made = 0
    if not db.session.scalar(select(Placement.id).limit(1)):
        made = _seed_placements()
    made += _seed_for_checklists()
    seed_demo_checklists()
    return made


def _seed_placements() -> int:
    demo = _Demo()
    # Omar: details to confirm for his own organisation.
    demo.propose("owen", LAKES, "Visitor data analyst", 45)

    # Maria: details to confirm; then corrections she proposed, for Sam to consider.
    demo.propose("tom", NORTHSHIRE, "Estates planning adviser", 60)
    corrected = demo.propose("nadia", NORTHSHIRE, "Health and planning liaison", 75)
    service.propose_corrections(demo.people["maria"], corrected,
                                "Our host manager will be Dr Amy Shaw, and the start "
                                "should be a fortnight later.",
                                expected_version=corrected.version)

    # Ruth: an agreement to ratify (Lakes, Omar confirmed); one she returned to Sam.
    with_legal = demo.propose("grace", LAKES, "Peatland restoration planner", 40)
    demo.confirm(with_legal, "omar")
    demo.to_legal(with_legal)
    returned = demo.propose("tom", None, "Budget analyst (internal)", 50, kind="internal",
                            host_manager_staff_email="george.evans@example.org")
    demo.to_legal(returned)
    service.return_to_people_services(demo.people["ruth"], returned,
                                      "Clause 6: name who approves overtime.",
                                      expected_version=returned.version)

    # Ratified and part-signed (Maria signed for Northshire): Alex and David, the
    # organisation's signatory, still to sign.
    signing = demo.propose("alex", NORTHSHIRE, "Planning and health partnership officer",
                           30)
    demo.confirm(signing, "maria")
    demo.to_legal(signing)
    demo.ratify(signing)
    demo.sign(signing, "maria")

    # Executed and ready to start (Lakes), from today: Sam starts it.
    ready = demo.propose("nadia", LAKES, "Ranger service improvement lead", 0)
    demo.confirm(ready, "omar")
    demo.to_legal(ready)
    demo.ratify(ready)
    demo.sign(ready, "nadia", "david", "omar")
    _complete_blocking(ready, demo, demo.people["omar"])

    # Active, started today: an informal secondment (004), agreed by both managers and
    # approved by Sam, so no agreement to render.
    active = demo.propose("grace", None, "Finance systems shadowing", 0, kind="informal",
                          days=90, working_pattern="part_time", hours="One day a week",
                          host_manager_staff_email="george.evans@example.org")
    for manager in ("priya", "george"):
        service.agree_informal(demo.people[manager], active,
                               expected_version=active.version)
    service.approve_informal(demo.sam, active, expected_version=active.version)
    _complete_blocking(active, demo, demo.people["priya"])
    service.start(demo.sam, active, expected_version=active.version)

    # George: over 24 months, with the Resources Board; Sam: another to send to it.
    long_reason = "The restoration programme runs for three seasons."
    board = demo.propose("owen", NORTHSHIRE, "Long-term estates secondment", 90,
                         days=800, duration_reason=long_reason)
    service.ask_board(demo.sam, board, expected_version=board.version)
    demo.propose("tom", LAKES, "Three-season peatland programme", 100, days=900,
                 duration_reason=long_reason)

    # Priya: an informal arrangement to agree (Tom shadowing the Finance team).
    demo.propose("tom", None, "Shadowing the budget monitoring team", 14, kind="informal",
                 days=60, working_pattern="part_time", hours="Half a day a week",
                 host_manager_staff_email="george.evans@example.org")

    # Sam: an informal arrangement both managers agreed, to approve in principle.
    agreed = demo.propose("owen", None, "Shadowing the planning enforcement team", 21,
                          kind="informal", days=30, working_pattern="part_time",
                          hours="One afternoon a week",
                          host_manager_staff_email="david.okafor@example.org")
    for manager in (agreed.substantive_manager, agreed.host_manager):
        service.agree_informal(manager, agreed, expected_version=agreed.version)

    # From Grace's accepted offer, proposed, the offer's terms carried over.
    accepted = db.session.scalar(
        select(Application).join(Opportunity).where(
            Opportunity.title == "Payroll analyst",
            Application.status == ApplicationStatus.ACCEPTED))
    if accepted is not None:
        values = service.terms_from_offer(accepted)
        start = max(values["start_date"] or london_today(), london_today() + timedelta(days=21))
        values |= {"start_date": start, "end_date": start + timedelta(days=120),
                   "return_post": "Payroll officer", "signatory_email": demo.david.email}
        service.create_from_offer(demo.sam, accepted, values)
    return db.session.query(Placement).count()


def _seed_for_checklists() -> int:
    """The international placement and the incoming one (R9's two other checklists),
    made after the rest and each only once, so a demo seeded before them gains them."""
    made = set(db.session.scalars(select(Placement.title).where(
        Placement.title.in_((ABROAD, INCOMING)))))
    if {ABROAD, INCOMING} <= made:
        return 0
    demo = _Demo()
    if ABROAD not in made:
        # Starts in a month (after Alex's, so Priya's home page still lists his first):
        # the visa (done) and the arrangements due 25 working days before the start are
        # due already; Omar confirmed the details.
        abroad = demo.propose(
            "owen", LAKES, ABROAD, 31, kind="international", location="Reykjavik",
            country="Iceland", salary_paid_by="home", expenses_paid_by="home",
            home_invoices_host=False,
            objectives="Exchange peatland restoration practice with Icelandic partners.",
            accommodation="A furnished flat near the partners' Reykjavik office, paid by "
                          "the home organisation.",
            subsistence="Daily subsistence at the rate for Iceland.",
            travel="Return flights at the start and the end, and one visit home.",
            insurance="Health cover and travel insurance for the whole placement.")
        demo.confirm(abroad, "omar")
    if INCOMING not in made:
        service.create_direct(demo.sam, _terms(
            INCOMING, 35, location="Bakewell", return_post="Their post at the trust",
            objectives="Bring health impact assessment into our planning decisions.") | {
            "kind": "incoming", "partner_organisation_id": _organisation(NORTHSHIRE).id,
            "secondee_name": "Dr Ama Boateng",
            "secondee_email": "ama.boateng@northshire-nhs.example",
            "not_contractor": True,
            "host_manager_staff_email": demo.people["priya"].email,
            "signatory_email": demo.david.email})
    return len({ABROAD, INCOMING} - made)


def _complete_blocking(placement, demo, *owners) -> None:
    """R9: the blocking onboarding items done, each by its owner among `owners` or
    else by People Services, so that the placement may start."""
    for item in onboarding_items.open_blocking(placement):
        person = next((p for p in owners if is_owner(p, item)), demo.sam)
        on = london_today() + timedelta(days=365 if item.records == "expiry" else 0)
        onboarding_items.update(person, item, "complete", expected_version=item.version,
                                recorded_date=on, recorded_reference="DEMO-1")
