"""How People Services' pages name things."""

from portal.models.applications import ApplicationStatus as A

# People Services' words for where an application stands (the model's labels speak to
# the applicant: "With your line manager").
STATUS_NAMES = {
    A.SUBMITTED: "With the line manager",
    A.ENDORSED: "With the head of department",
    A.RELEASED: "Released for selection",
    A.SHORTLISTED: "Shortlisted",
    A.OFFERED: "Offered",
    A.ACCEPTED: "Offer accepted",
    A.DECLINED: "Offer declined",
    A.REFUSED: "Refused",
    A.APPEALED: "Appeal lodged",
    A.UNSUCCESSFUL: "Unsuccessful",
    A.WITHDRAWN: "Withdrawn",
}

# The equality monitoring questions, in the order the report shows them.
EQUALITY_QUESTIONS = {
    "age_band": "Age",
    "sex": "Sex",
    "gender_identity": "Gender identity the same as sex registered at birth",
    "ethnic_group": "Ethnic group",
    "disability": "Disability",
    "sexual_orientation": "Sexual orientation",
    "religion": "Religion or belief",
    "marriage_civil_partnership": "Marriage or civil partnership",
    "pregnancy_maternity": "Pregnancy and maternity",
}
