"""Demo opportunities: about thirty, across every kind and state, so that a new user
sees a living board (some closing soon, a restricted pool, a named request, one
awaiting its business case, some closed, filled and withdrawn)."""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import BusinessCase, Department, Opportunity, Organisation, User
from portal.models.base import utcnow
from portal.models.opportunities import CaseStatus
from portal.services import audit
from portal.services.opportunities import london_today

# (title, kind, department or host, location, country, grade, months, pattern, hours,
#  closes in days, status, audience, summary)
OPPORTUNITIES = [
    ("GIS analyst for the local plan", "internal", "Digital and Data", "Bakewell",
     "United Kingdom", "Band 6", 6, "full_time", "", 3, "published", "all_staff",
     "Map housing land supply and build the evidence base for the new local plan."),
    ("Budget monitoring lead", "internal", "Finance", "Bakewell", "United Kingdom", "Band 7",
     9, "full_time", "", 12, "published", "all_staff",
     "Lead in-year budget monitoring across two directorates while the team restructures."),
    ("Data protection adviser", "internal", "Legal Services", "Remote", "United Kingdom",
     "Band 6", 12, "part_time", "3 days a week", 21, "published", "all_staff",
     "Advise project teams on data protection impact assessments."),
    ("Acting planning team leader", "internal", "Planning and Environment", "Bakewell",
     "United Kingdom", "Band 8", 10, "full_time", "", 1, "published", "all_staff",
     "Lead the development management team, acting up one grade, during a long absence."),
    ("HR systems project officer", "internal", "People Services", "Bakewell",
     "United Kingdom", "Band 5", 8, "full_time", "", 30, "published", "all_staff",
     "Help move absence and training records to the new HR system."),
    ("Web content designer", "shorter_term", "Digital and Data", "Remote", "United Kingdom",
     "Band 5", 2, "part_time", "2 days a week", 9, "published", "all_staff",
     "Rewrite the planning pages of the website in plain English."),
    ("Shadow a committee clerk", "informal", "Legal Services", "Bakewell", "United Kingdom",
     "Band 4", 3, "part_time", "Half a day a week", 18, "published", "all_staff",
     "See how planning committee business is prepared, minuted and followed up."),
    ("Ecology survey assistant", "shorter_term", "Planning and Environment", "Edale",
     "United Kingdom", "Band 4", 2, "full_time", "", 5, "published", "all_staff",
     "Support the summer moorland bird survey."),
    ("Clinical systems analyst at Northshire NHS", "outgoing",
     "Northshire NHS Foundation Trust", "Sheffield", "United Kingdom", "Band 6", 12,
     "full_time", "", 25, "published", "all_staff",
     "Join the trust's digital team to improve how clinical systems share data safely."),
    ("Regulatory policy officer", "outgoing", "Environment Regulator", "Bristol",
     "United Kingdom", "Band 7", 18, "full_time", "", 40, "published", "all_staff",
     "Help draft guidance on water quality enforcement."),
    ("Visitor experience lead", "outgoing", "Lakes National Park Authority", "Kendal",
     "United Kingdom", "Band 6", 6, "part_time", "4 days a week", 14, "published",
     "all_staff", "Redesign the visitor centre offer with the authority's rangers."),
    ("GDPR specialist (restricted)", "internal", "Legal Services", "Bakewell",
     "United Kingdom", "Band 7", 6, "full_time", "", 10, "published", "restricted_pool",
     "A short assignment for qualified data protection practitioners."),
    ("International data transfers adviser", "international",
     "Environment Regulator", "Brussels", "Belgium", "Band 7", 12, "full_time", "", 35,
     "published", "all_staff",
     "Support European cooperation on cross-border data transfers."),
    ("Incoming digital fellow", "incoming", "Digital and Data", "Bakewell",
     "United Kingdom", "Band 7", 12, "full_time", "", 28, "published", "all_staff",
     "Host a digital specialist from the NHS to build our service design capability."),
    ("Incoming ecologist", "incoming", "Planning and Environment", "Edale",
     "United Kingdom", "Band 6", 9, "full_time", "", 16, "published", "all_staff",
     "Bring in an ecologist from a partner body to lead peatland restoration monitoring."),
    ("Procurement adviser", "internal", "Finance", "Bakewell", "United Kingdom", "Band 6",
     6, "full_time", "", 7, "published", "all_staff",
     "Help departments prepare for the new procurement rules."),
    ("Climate action officer", "internal", "Planning and Environment", "Remote",
     "United Kingdom", "Band 5", 12, "part_time", "22.5 hours a week", 45, "published",
     "all_staff", "Coordinate the authority's climate action plan reporting."),
    ("Payroll analyst", "internal", "Finance", "Bakewell", "United Kingdom", "Band 5",
     4, "full_time", "", 2, "published", "all_staff",
     "Reconcile payroll data during the pensions change."),
    ("Learning and development coordinator", "internal", "People Services", "Remote",
     "United Kingdom", "Band 5", 6, "part_time", "3 days a week", 20, "published",
     "all_staff", "Run the mandatory training programme for the year."),
    ("Cyber security analyst", "internal", "Digital and Data", "Bakewell",
     "United Kingdom", "Band 7", 12, "full_time", "", 24, "published", "all_staff",
     "Strengthen the authority's security monitoring."),
    ("Secondment to the national data office", "outgoing", "Environment Regulator",
     "London", "United Kingdom", "Band 8", 30, "full_time", "", 30, "awaiting_approval",
     "all_staff", "A two-and-a-half-year placement leading data standards work."),
    ("Trust analyst requested by name", "outgoing", "Northshire NHS Foundation Trust",
     "Sheffield", "United Kingdom", "Band 6", 6, "full_time", "", 15, "published",
     "named_request", "The trust asked for a named analyst for a six-month project."),
    ("Draft: records manager", "internal", "Legal Services", "Bakewell", "United Kingdom",
     "Band 6", 6, "full_time", "", 30, "draft", "all_staff",
     "Bring the authority's retention schedule up to date."),
    ("Draft: peatland officer abroad", "international", "Lakes National Park Authority",
     "Reykjavik", "Iceland", "Band 6", 6, "full_time", "", 30, "draft", "all_staff",
     "Exchange peatland restoration practice with Icelandic partners."),
    ("Events officer", "internal", "People Services", "Bakewell", "United Kingdom",
     "Band 4", 3, "full_time", "", -5, "published", "all_staff",
     "Organise the staff conference."),
    ("Business analyst", "internal", "Digital and Data", "Remote", "United Kingdom",
     "Band 6", 6, "full_time", "", -20, "filled", "all_staff",
     "Map the planning application process before its redesign."),
    ("Heritage officer", "internal", "Planning and Environment", "Bakewell",
     "United Kingdom", "Band 6", 6, "full_time", "", -2, "closed", "all_staff",
     "Cover listed building consents during a busy season."),
    ("Grants officer", "internal", "Finance", "Bakewell", "United Kingdom", "Band 5", 6,
     "full_time", "", 10, "withdrawn", "all_staff",
     "Administer the farming in protected landscapes grants."),
    ("Communications officer", "internal", "Digital and Data", "Bakewell",
     "United Kingdom", "Band 5", 6, "part_time", "3 days a week", 11, "published",
     "all_staff", "Tell the story of the authority's conservation work."),
    ("Access and rights of way officer", "shorter_term", "Planning and Environment",
     "Edale", "United Kingdom", "Band 5", 2, "full_time", "", 6, "published", "all_staff",
     "Clear the backlog of rights of way enquiries."),
]


def seed_demo_opportunities() -> int:
    """Create the demo opportunities that do not exist yet (matched by title)."""
    existing = set(db.session.scalars(select(Opportunity.title)))
    officer = db.session.scalar(select(User).where(User.email == "sam.whitfield@example.org"))
    manager = db.session.scalar(select(User).where(User.email == "priya.shah@example.org"))
    board = db.session.scalar(select(User).where(User.email == "george.evans@example.org"))
    departments = {d.name: d for d in db.session.scalars(select(Department))}
    organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
    today = london_today()
    now = utcnow()
    created = 0
    for n, (title, kind, where, location, country, grade, months, pattern, hours, closes,
            status, audience, summary) in enumerate(OPPORTUNITIES):
        if title in existing:
            continue
        creator = manager if where == "Planning and Environment" else officer
        closing = today + timedelta(days=closes)
        o = Opportunity(
            title=title, kind=kind, status=status, audience=audience, summary=summary,
            description=summary + "\nYou will work alongside an experienced team and agree "
                                  "learning objectives with your host manager at the start.",
            offering_department_id=departments[where].id if where in departments else None,
            host_organisation_id=organisations[where].id if where in organisations else None,
            location=location, country=country, grade=grade, acting_up="Acting" in title,
            working_pattern=pattern, hours_detail=hours, duration_months=months,
            duration_reason="The programme of work runs for this long." if months > 12 else "",
            start_date=max(closing, today) + timedelta(days=45),
            salary_paid_by="host" if kind in ("outgoing", "international") else "home",
            expenses_paid_by="host",
            skills_sought="Good written communication, and experience relevant to the role.",
            eligibility="Permanent staff who have passed probation.",
            restriction_justification="Needs a recognised data protection qualification."
            if audience == "restricted_pool" else "",
            pool_grades="Band 6, Band 7" if audience == "restricted_pool" else "",
            publicity_assessment="Low risk: a routine exchange with a public body."
            if audience == "named_request" else "",
            incoming_not_contractor=kind == "incoming",
            incoming_not_permanent_cover=kind == "incoming",
            closing_date=closing, created_by_id=creator.id, contact_id=creator.id,
            published_at=now - timedelta(days=30 - n)
            if status in ("published", "closed", "filled") else None,
        )
        db.session.add(o)
        if status != "draft" and (kind in ("outgoing", "incoming", "international")
                                  or months > 24):
            decided = status != "awaiting_approval"
            db.session.add(BusinessCase(
                opportunity=o, skills="Skills the secondee will gain and bring back.",
                priorities="knowledge_transfer,professional_development",
                costs="Salary paid by the host; travel within existing budgets.",
                cover="Work redistributed within the team.",
                status=CaseStatus.APPROVED if decided else CaseStatus.SUBMITTED,
                submitted_by_id=creator.id, submitted_at=now - timedelta(days=40),
                decided_by_id=board.id if decided else None,
                decided_at=now - timedelta(days=35) if decided else None,
                decision_reason="Clear benefit to the authority." if decided else ""))
        created += 1
    if created:
        audit.record("demo_data.opportunities", summary=f"{created} demo opportunities")
    db.session.commit()
    return created
