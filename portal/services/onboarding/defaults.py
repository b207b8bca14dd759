"""The checklists the policies ask for (R9; 002 §5.2-5.5, §7.4; 001 §8.5), shipped as
data: installed as each template's first version, which People Services then edit.

An item: (title, guidance, owner, working days from the start (negative: before),
phase, blocks the start, what completing it records, what the record is called).
"""

from portal.models.onboarding import OwnerType as O
from portal.models.onboarding import Phase
from portal.models.onboarding import RecordKind as R
from portal.models.onboarding import TemplateKind as K

B, W, M = Phase.BEFORE_START, Phase.FIRST_WEEK, Phase.FIRST_MONTH

_INCOMING = [
    ("Onboarding and identity checks",
     "Identity, references and any vetting the post needs (002 §7.4).",
     O.PEOPLE_SERVICES, -20, B, True, R.DATE, "Date the checks were completed"),
    ("New-starter paperwork",
     "Personal details, emergency contacts, bank details where the portal's body pays, "
     "and the signed confidentiality undertaking.",
     O.PEOPLE_SERVICES, -10, B, True, R.NONE, ""),
    ("Equipment ready",
     "A laptop, a phone where the role needs one, and a pass, ready for the first day.",
     O.IT, -5, B, True, R.REFERENCE, "Equipment asset tag"),
    ("Access to systems",
     "An account, e-mail and the systems the work programme needs, from day one.",
     O.IT, -3, B, True, R.NONE, ""),
    ("Induction booked",
     "The organisation's induction and a local one with the team (001 §8.5).",
     O.HOST_MANAGER, -5, B, False, R.DATE, "Date of the induction"),
    ("Start meeting: work programme and objectives agreed",
     "Hold the start meeting and agree the work programme and objectives (001 §5.5).",
     O.HOST_MANAGER, 5, W, False, R.DATE, "Date of the meeting"),
    ("Mandatory training done",
     "Information governance, security, equality and health and safety training.",
     O.SECONDEE, 20, M, False, R.DATE, "Date completed"),
]

_OUTGOING = [
    ("Host organisation's details confirmed",
     "The host's contact confirms the dates, place and host manager.",
     O.HOST_CONTACT, -20, B, True, R.NONE, ""),
    ("Pay and expenses arranged",
     "Payroll told of the secondment; the invoicing arrangement in place (R12).",
     O.PEOPLE_SERVICES, -10, B, True, R.NONE, ""),
    ("Handover of current work",
     "The substantive manager and the secondee agree who covers the secondee's work.",
     O.SUBSTANTIVE_MANAGER, -5, B, False, R.NONE, ""),
    ("Host induction booked",
     "The host organisation's induction for the first week.",
     O.HOST_CONTACT, -5, B, False, R.DATE, "Date of the induction"),
    ("Keeping in touch agreed",
     "How and how often the secondee and the substantive manager keep in touch.",
     O.SUBSTANTIVE_MANAGER, 5, W, False, R.NONE, ""),
]

_INTERNAL = [
    ("Handover of current work",
     "The substantive manager and the secondee agree who covers the secondee's work.",
     O.SUBSTANTIVE_MANAGER, -5, B, False, R.NONE, ""),
    ("Access to the host team's systems",
     "Any systems or shared areas the host department's work needs.",
     O.IT, -2, B, True, R.NONE, ""),
    ("Local induction",
     "An introduction to the host team and its work.",
     O.HOST_MANAGER, 3, W, False, R.DATE, "Date of the induction"),
    ("Start meeting: work programme and objectives agreed",
     "Hold the start meeting and agree the work programme and objectives (001 §5.5).",
     O.HOST_MANAGER, 5, W, False, R.DATE, "Date of the meeting"),
]

_INFORMAL = [
    ("Arrangement confirmed with both managers",
     "The days, hours and what the secondee will do (004).",
     O.SUBSTANTIVE_MANAGER, -5, B, True, R.NONE, ""),
    ("Introduction to the host team",
     "Who the secondee shadows or works with, and where.",
     O.HOST_MANAGER, 2, W, False, R.NONE, ""),
]

_INTERNATIONAL = [
    ("Visa and right to work",
     "The visa the host country needs, and the legal right to work checked (002 §5.3).",
     O.PEOPLE_SERVICES, -40, B, True, R.EXPIRY, "Visa or right to work expiry date"),
    ("Health cover and insurance",
     "Health cover abroad and the insurance the placement needs (002 §5.3).",
     O.PEOPLE_SERVICES, -30, B, True, R.REFERENCE, "Policy reference"),
    ("Pay, relocation payments and pension",
     "Pay abroad, any relocation payment and the pension arrangements (002 §5.3).",
     O.PEOPLE_SERVICES, -25, B, True, R.NONE, ""),
    ("Accommodation and subsistence agreed",
     "Agreed before the start and written into the secondment agreement (002 §5.4).",
     O.PEOPLE_SERVICES, -25, B, True, R.NONE, ""),
    ("Travel booked",
     "Travel out and back, booked with the host and the secondee (002 §5.2).",
     O.PEOPLE_SERVICES, -15, B, True, R.REFERENCE, "Booking reference"),
    ("Political and security briefing",
     "A briefing on the country's political and security situation (002 §5.2).",
     O.PEOPLE_SERVICES, -10, B, False, R.DATE, "Date of the briefing"),
    ("Language training",
     "Where the placement needs it (002 §5.2).",
     O.SECONDEE, -10, B, False, R.NONE, ""),
    ("Liaison with the host and the embassy",
     "People Services, the host organisation and the country's embassy agree the "
     "arrangements (002 §5.2).",
     O.HOST_CONTACT, -20, B, False, R.NONE, ""),
]

_INTERNATIONAL_INCOMING = [
    ("English-language proficiency noted",
     "Desirable for every incoming international secondment (002 §5.5): record what "
     "was seen.",
     O.HOST_MANAGER, -20, B, False, R.NONE, ""),
]

DEFAULTS = {
    K.INCOMING: ("Incoming secondees", _INCOMING),
    K.OUTGOING: ("Outgoing secondees", _OUTGOING),
    K.INTERNAL: ("Internal secondments", _INTERNAL),
    K.INFORMAL: ("Informal secondments and job shadowing", _INFORMAL),
    K.INTERNATIONAL: ("International placements", _INTERNATIONAL),
    K.INTERNATIONAL_INCOMING: ("Incoming international secondees", _INTERNATIONAL_INCOMING),
}
