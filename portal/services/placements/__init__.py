"""Placements (issue 11): the secondment itself, its terms, its agreement with legal
and every party's signature, and the other organisation's contact confirming it.

Modules: `rules` (the terms' rules: R2, R3, R11, R12), `access` (who is who, who sees
it, who signs, what waits on whom), `setup` (creating and editing), `lifecycle` (the
steps other than the agreement's), `agreements` (legal, signing, executing), `papers`
(the agreement's text, PDF and seal), `contacts` (the other organisation's contacts),
`ending` (ended early, returned).
"""

from portal.services.placements import agreements, lifecycle  # noqa: F401  (guards)
from portal.services.placements.access import (
    Waiting,
    is_partner_contact,
    may_view,
    party_label,
    waiting_on,
)
from portal.services.placements.agreements import (
    current_pdf,
    ratify,
    reopen,
    return_to_people_services,
    send_to_legal,
    sign,
    sign_problems,
    signing_parties,
    waiting_for_legal,
)
from portal.services.placements.ending import end_early, record_return
from portal.services.placements.lifecycle import (
    agree_informal,
    applies,
    approve_informal,
    ask_board,
    available_actions,
    blocked_actions,
    cancel,
    check_action,
    confirm_details,
    decide_duration,
    propose_corrections,
    start,
)
from portal.services.placements.setup import (
    TERM_FIELDS,
    accepted_offer,
    create_direct,
    create_from_offer,
    placement_of,
    terms_from_offer,
    terms_of,
    update_terms,
)

__all__ = [
    "TERM_FIELDS", "Waiting", "agree_informal", "approve_informal", "ask_board",
    "available_actions", "blocked_actions", "cancel", "confirm_details", "create_direct",
    "create_from_offer", "current_pdf", "decide_duration", "end_early", "is_partner_contact",
    "may_view", "party_label", "placement_of", "propose_corrections", "ratify", "reopen",
    "return_to_people_services", "send_to_legal", "sign", "sign_problems", "signing_parties",
    "start",
    "terms_from_offer", "update_terms", "waiting_for_legal", "waiting_on", "accepted_offer",
    "applies", "check_action", "record_return", "terms_of",
]

# The onboarding checklist's guard on "start" (R9) and its generation on set-up; the
# reviews scheduled as it starts and following its dates (001 §5.5); the extensions that
# move its end date (R3): their guards and effects on its machine.
import portal.services.extensions  # noqa: E402,F401
import portal.services.onboarding  # noqa: E402,F401
import portal.services.reviews  # noqa: E402,F401
