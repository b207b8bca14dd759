"""Demo applications in every state, with decisions and one appeal, made through the
same service the pages use, so that each persona has something waiting when they sign
in: Priya an endorsement, David a release, Sam an appeal and a shortlist, Alex an offer
to answer and a refusal to read."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Application, Department, Opportunity, User
from portal.services import applications as service
from portal.services.identity import own_organisation

# Staff who apply in the demo but do not sign in (as if imported from the HR export).
APPLICANTS = [
    ("Tom Reid", "tom.reid@example.org", "Band 5"),
    ("Nadia Hussain", "nadia.hussain@example.org", "Band 6"),
    ("Owen Price", "owen.price@example.org", "Band 6"),
    ("Grace Liu", "grace.liu@example.org", "Band 7"),
]

ANSWERS = dict(
    motivation="I want to broaden my experience and bring back what I learn to my team.",
    evidence="Three years in a similar role; led two projects from start to finish.",
    learning_objectives="Lead a cross-organisation project; build stakeholder skills.",
    cover_plan="A colleague has agreed to cover my casework, with support from my manager.",
    discussed_with_manager=True,
    has_conflict=False,
)


def _people() -> dict[str, User]:
    emails = {
        "alex": "alex.morgan@example.org", "priya": "priya.shah@example.org",
        "david": "david.okafor@example.org", "sam": "sam.whitfield@example.org",
    }
    people = {key: db.session.scalar(select(User).where(User.email == email))
              for key, email in emails.items()}
    planning = db.session.scalar(select(Department).where(
        Department.name == "Planning and Environment"))
    for name, email, grade in APPLICANTS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(name=name, email=email, grade=grade, organisation=own_organisation(),
                        department=planning, line_manager=people["priya"])
            db.session.add(user)
        people[name.split()[0].lower()] = user
    db.session.commit()
    return people


def _opportunity(title: str) -> Opportunity:
    return db.session.scalar(select(Opportunity).where(Opportunity.title == title))


def _submit(person: User, opportunity: Opportunity, **answers) -> Application:
    application = service.start_application(person, opportunity)
    service.save_draft(application, person, ANSWERS | answers)
    service.submit(application, person)
    return application


def seed_demo_applications() -> int:
    """Create the demo applications once (none are made if any application exists)."""
    if db.session.scalar(select(Application.id).limit(1)):
        return 0
    p = _people()
    priya, david, sam = p["priya"], p["david"], p["sam"]
    gis = _opportunity("GIS analyst for the local plan")
    budget = _opportunity("Budget monitoring lead")
    dpo = _opportunity("Data protection adviser")
    climate = _opportunity("Climate action officer")
    procurement = _opportunity("Procurement adviser")
    cyber = _opportunity("Cyber security analyst")
    comms = _opportunity("Communications officer")

    # Priya has one to endorse; David one to release.
    _submit(p["tom"], gis)
    endorsed = _submit(p["nadia"], gis)
    service.decide_endorsement(endorsed, priya, support=True,
                               comments="Nadia is ready for this and her work is covered.")

    # Sam: an appeal to decide (Priya refused Owen), and released applications to
    # shortlist for the budget role.
    refused = _submit(p["owen"], budget, has_conflict=True,
                      conflict_details="I worked with the finance team lead at my last job.")
    service.decide_endorsement(refused, priya, support=False, grounds=["impact"],
                               rationale="We are two officers down until March.")
    service.lodge_appeal(refused, p["owen"],
                         "A temporary officer starts in January and can take my cases.")
    for person in (p["grace"], p["tom"]):
        application = _submit(person, budget)
        service.decide_endorsement(application, priya, support=True,
                                   comments="Supported.")
        service.decide_release(application, david, approve=True,
                               comments="Release approved.")

    # Alex: an offer to answer, a refusal to read, a draft to finish, one withdrawn.
    offered = _submit(p["alex"], dpo)
    service.decide_endorsement(offered, priya, support=True, comments="Good fit.")
    service.decide_release(offered, david, approve=True, comments="We can cover.")
    service.shortlist(offered, sam, include=True)
    service.fix_shortlist(dpo, sam)
    service.record_assessment(offered, sam, "Strong interview; top of the shortlist.")
    service.make_offer(offered, sam, "Three days a week for 12 months from February, "
                                     "salary paid by your home department.")
    turned_down = _submit(p["alex"], climate)
    service.decide_endorsement(turned_down, priya, support=True, comments="Supported.")
    service.decide_release(turned_down, david, approve=False, grounds=["cover"],
                           rationale="Two planners are on leave in spring; we cannot "
                                     "reorganise the work.")
    service.start_application(p["alex"], procurement)
    gone = _submit(p["alex"], cyber)
    service.withdraw(gone, p["alex"], reason="I have taken on a new project.")

    # Tom applied for the communications role.
    _submit(p["tom"], comms)

    # A finished round for the payroll role: Grace accepted, Nadia declined an earlier
    # offer, Owen was not shortlisted; and one shortlisted for the L&D role.
    payroll = _opportunity("Payroll analyst")
    learning = _opportunity("Learning and development coordinator")
    round_ = {}
    for person in (p["nadia"], p["grace"], p["owen"]):
        application = _submit(person, payroll)
        service.decide_endorsement(application, priya, support=True, comments="Supported.")
        service.decide_release(application, david, approve=True, comments="Approved.")
        round_[person.email] = application
    service.shortlist(round_["owen.price@example.org"], sam, include=False)
    for email in ("nadia.hussain@example.org", "grace.liu@example.org"):
        service.shortlist(round_[email], sam, include=True)
    service.fix_shortlist(payroll, sam)
    service.make_offer(round_["nadia.hussain@example.org"], sam, "Four months, full time.")
    service.answer_offer(round_["nadia.hussain@example.org"], p["nadia"], accept=False)
    service.make_offer(round_["grace.liu@example.org"], sam, "Four months, full time.")
    service.answer_offer(round_["grace.liu@example.org"], p["grace"], accept=True)
    shortlisted = _submit(p["owen"], learning)
    service.decide_endorsement(shortlisted, priya, support=True, comments="Supported.")
    service.decide_release(shortlisted, david, approve=True, comments="Approved.")
    service.shortlist(shortlisted, sam, include=True)
    return db.session.query(Application).count()

