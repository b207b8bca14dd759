"""Loading a record for a person, one function per aggregate and purpose: 404 when the
record does not exist or its existence is private to them, 403 when they may know it
exists but not do what they asked. Views load through these and compare no owner ids
themselves; whether an action is open *now* is for the services to say, in words."""

from portal.loaders.applications import (
    appeal_to_decide,
    application_for_action,
    application_for_applicant,
    application_to_decide,
    application_to_view,
    candidate_to_select,
    decision_letter_for,
)
from portal.loaders.onboarding import (
    checklist_template,
    checklist_to_view,
    item_to_update,
    template_item,
)
from portal.loaders.opportunities import (
    advert_to_view,
    opportunity_for_partners,
    opportunity_to_decide,
    opportunity_to_manage,
    opportunity_to_select,
    opportunity_to_view,
)
from portal.loaders.people_services import (
    conflict_declaration,
    host_contact,
    host_invitation,
    outbox_message,
)
from portal.loaders.placements import placement_for_action, placement_to_view
from portal.loaders.staff_imports import staff_upload

__all__ = [
    "advert_to_view", "appeal_to_decide", "checklist_template", "checklist_to_view",
    "item_to_update", "template_item", "application_for_action", "application_for_applicant",
    "application_to_decide", "application_to_view", "candidate_to_select",
    "conflict_declaration", "host_contact", "host_invitation",
    "decision_letter_for", "opportunity_for_partners", "opportunity_to_decide",
    "opportunity_to_manage",
    "opportunity_to_select", "opportunity_to_view", "outbox_message",
    "placement_for_action", "placement_to_view", "staff_upload",
]
