"""Who gets what on every route of the portal: one persona × route matrix.

MATRIX gives, for every endpoint and method of the URL map (bar the few in EXCLUDED,
each with its reason), the exact status each of the demo personas and an anonymous
visitor gets. It proves that:

- every refusal is the one decided: 403 where the person may know the record exists
  but not do this, 404 where its very existence is private to them, and for an
  anonymous visitor the redirect to sign in that brings them back (`in`);
- whoever is allowed gets through, not merely "is not refused": each route is asked
  about a record in the state the route needs (a draft to edit, an application waiting
  for its line manager, an appeal to decide...), and each POST carries a valid CSRF
  token, so the answer is the page itself, its form shown again with errors, or the
  portal's "changed meanwhile" (409);
- nothing is left undecided: a route added to the URL map without a row fails
  `test_the_matrix_has_a_row_for_every_route`, and so does a row whose route is gone.

The records are the demo data in every state (`seed_every_state`), built once for the
module: each persona's test asks every route and reports all the answers that differ
at once, as {route: (expected, got)}.
"""

import io
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.routing import BuildError

from portal.extensions import db
from portal.models import (
    Application,
    AuditEvent,
    ConflictDeclaration,
    Decision,
    Department,
    HostInvitation,
    Opportunity,
    Organisation,
    OutboxMessage,
    RoleAssignment,
    User,
)
from portal.models.onboarding import ChecklistItem, ChecklistTemplate
from portal.models.placements import Placement
from portal.permissions import Role
from portal.services import invitations, staff_uploads
from tests.conftest import make_config, running_app
from tests.factories import make_user
from tests.helpers import Page, persona, seed_every_state, title_problem

# The matrix's columns: the anonymous visitor, then the demo personas.
COLUMNS = {
    "anon": None,
    "sam": "people-sam",        # People Services
    "alex": "staff-alex",       # staff; reports to Priya
    "priya": "manager-priya",   # Alex's line manager; reports to David
    "david": "head-david",      # head of Planning and Environment
    "george": "board-george",   # Resources Board; made the contact of the budget role
    "jo": "admin-jo",           # administrator
    "ruth": "legal-ruth",       # Legal
    "maria": "host-maria",      # contact at an external host organisation
    "omar": "host-omar",        # contact at another (Lakes National Park Authority)
}
# Omar's column is not written out: he gets what Maria gets, a host organisation's
# contact, except on the records of one of their two organisations, listed here by
# route (the records of Maria's are not found for him, his are for him alone).
OMAR = {
    "GET placements.view_placement [signing]": "404",
    "GET placements.agreement_pdf [signing]": "404",
    "GET placements.view_placement [lakes]": "200",
    "GET placements.agreement_pdf [lakes]": "200",
    "GET placements.edit_placement [proposed]": "404",
    "GET placements.confirm_placement [proposed]": "404",
    "GET placements.send_to_legal [proposed]": "404",
    "GET placements.cancel_placement [proposed]": "404",
    "GET placements.ask_board [long]": "403",
    "GET placements.decide_duration [board]": "404",
    "GET placements.start_placement [lakes]": "403",
    "GET placements.view_agreement [signing]": "404",
    "GET placements.ratify_agreement [legal]": "403",
    "GET placements.return_agreement [legal]": "403",
    "GET placements.sign_agreement [signing]": "404",
    "GET placements.reopen_agreement [signing]": "404",
    "POST placements.edit_placement [proposed]": "404",
    "POST placements.confirm_placement [proposed]": "404",
    "POST placements.send_to_legal [proposed]": "404",
    "POST placements.cancel_placement [proposed]": "404",
    "POST placements.ask_board [long]": "403",
    "POST placements.decide_duration [board]": "404",
    "POST placements.start_placement [lakes]": "403",
    "POST placements.ratify_agreement [legal]": "403",
    "POST placements.return_agreement [legal]": "403",
    "POST placements.sign_agreement [signing]": "404",
    "POST placements.reopen_agreement [signing]": "404",
    "GET onboarding.view_checklist [signing]": "404",
    "GET onboarding.update_item [item]": "404",
    "POST onboarding.update_item [item]": "404",
}
WRITTEN_OUT = [column for column in COLUMNS if column != "omar"]

# Routes left out, each with the reason.
EXCLUDED = {
    "static": "the portal's own CSS, JavaScript and fonts: public files, no records",
    "admin.static": "Flask-Admin's CSS and JavaScript under /back-office/static: public "
                    "files, no records",
}

# The records MATRIX asks about, from the demo data (`portal.demo`), by title.
OPPORTUNITIES = {
    "open": "Access and rights of way officer",            # published, open; Priya's
    "draft": "Draft: records manager",                     # a draft of Sam's
    "named": "Trust analyst requested by name",            # a named request: never on the board
    "abroad": "Draft: peatland officer abroad",            # Sam's draft; needs a business case
    "awaiting": "Secondment to the national data office",  # its case awaits the Board
    "budget": "Budget monitoring lead",                    # Sam's; George is made its contact
    "incoming": "Incoming digital fellow",                 # Sam's; open, for other organisations
}
# By applicant and opportunity.
APPLICATIONS = {
    "drafted": ("Alex Morgan", "Procurement adviser"),               # a draft
    "offered": ("Alex Morgan", "Data protection adviser"),           # an offer to answer
    "pending": ("Alex Morgan", "Communications officer"),            # waits for Priya
    "refused": ("Alex Morgan", "Climate action officer"),            # release refused by David
    "endorse": ("Tom Reid", "GIS analyst for the local plan"),       # waits for Priya
    "release": ("Nadia Hussain", "GIS analyst for the local plan"),  # waits for David
    "appealed": ("Owen Price", "Budget monitoring lead"),            # refused by Priya, appealed
}
# And: `candidate`, Grace's released application for the budget role; `letter`, the
# letter of David's refusal of Alex's release; `conflict`, the conflict of interest Owen
# declared; `email`, an e-mail the mail worker gave up on; `invite`, an invitation not
# yet used, and `invitation` another (Lou's) by id; `contact`, a host organisation's
# contact (Cal); `staff`, Alex, who is no contact; in the back office `person` (Alex),
# `event` (an audit event), `org` (Northshire NHS Foundation Trust), `dept` (Planning
# and Environment) and `role` (Maria's).

# The answer each column gets: the exact status code, or `in` for a 302 to
# /sign-in?next=<this page>.
MATRIX = """
                                                      anon      alex      david     jo        maria
endpoint                               meth record         sam       priya     george    ruth
main.start                             GET  -         200  200  200  200  200  200  200  200  200
main.home                              GET  -         in   200  200  200  200  200  200  200  200
main.accessibility_statement           GET  -         200  200  200  200  200  200  200  200  200
main.livez                             GET  -         200  200  200  200  200  200  200  200  200
main.readyz                            GET  -         200  200  200  200  200  200  200  200  200
# Signed in, sign-in goes straight on to the page asked for; a callback without a
# sign-in in progress is refused to everyone.
auth.sign_in                           GET  -         200  302  302  302  302  302  302  302  302
auth.callback                          GET  -         400  400  400  400  400  400  400  400  400
auth.signed_out                        GET  -         200  200  200  200  200  200  200  200  200
# Asked last: it ends the session (to the provider's logout page, or signed-out).
auth.sign_out                          POST -         302  302  302  302  302  302  302  302  302
host.accept_invitation                 GET  invite    200  200  200  200  200  200  200  200  200

# The board and its feeds are for everyone inside the organisation, never host contacts.
vacancies.board                        GET  -         in   200  200  200  200  200  200  200  403
vacancies.atom_feed                    GET  -         in   200  200  200  200  200  200  200  403
vacancies.json_feed                    GET  -         in   200  200  200  200  200  200  200  403
vacancies.closing_dates_calendar       GET  -         in   200  200  200  200  200  200  200  403
# An advert that is not on the board is not found by those who do not look after it;
# the Resources Board sees one whose business case waits for it.
vacancies.advert                       GET  open      in   200  200  200  200  200  200  200  403
vacancies.advert                       GET  draft     in   200  404  404  404  404  404  404  403
vacancies.advert                       GET  named     in   200  404  404  404  404  404  404  403
vacancies.advert                       GET  awaiting  in   200  404  404  404  200  404  404  403
# An incoming secondment is for other organisations: staff are sent to its public advert.
vacancies.advert                       GET  incoming  in   200  302  302  302  302  302  302  403
# Open incoming secondments are public, for the website and partner organisations;
# nothing else is found there.
vacancies.partner_opportunities        GET  -         200  200  200  200  200  200  200  200  200
vacancies.partner_advert               GET  incoming  200  200  200  200  200  200  200  200  200
vacancies.partner_advert               GET  open      404  404  404  404  404  404  404  404  404
vacancies.partner_advert               GET  named     404  404  404  404  404  404  404  404  404
vacancies.partner_atom_feed            GET  -         200  200  200  200  200  200  200  200  200
vacancies.partner_json_feed            GET  -         200  200  200  200  200  200  200  200  200
# Managers and People Services create; a manager never sees another's draft (404).
vacancies.new_opportunity              GET  -         in   200  403  200  200  403  403  403  403
vacancies.new_opportunity              POST -         in   200  403  200  200  403  403  403  403
vacancies.edit_opportunity             GET  draft     in   200  403  404  404  403  403  403  403
vacancies.edit_opportunity             POST draft     in   200  403  404  404  403  403  403  403
vacancies.check_opportunity            GET  draft     in   200  403  404  404  403  403  403  403
vacancies.publish_opportunity          POST draft     in   409  403  404  404  403  403  403  403
vacancies.submit_business_case         GET  abroad    in   200  403  404  404  403  403  403  403
vacancies.submit_business_case         POST abroad    in   200  403  404  404  403  403  403  403
# Its creator (Priya) and People Services look after a published opportunity; David
# sees the advert but does not look after it (403).
vacancies.manage_opportunity           GET  open      in   200  403  200  403  403  403  403  403
vacancies.end_opportunity              GET  open      in   200  403  200  403  403  403  403  403
vacancies.end_opportunity              POST open      in   200  403  200  403  403  403  403  403
vacancies.extend_closing_date          GET  open      in   200  403  200  403  403  403  403  403
vacancies.extend_closing_date          POST open      in   200  403  200  403  403  403  403  403
vacancies.mark_filled                  POST open      in   409  403  409  403  403  403  403  403
vacancies.your_opportunities           GET  -         in   200  403  200  200  403  403  403  403
vacancies.named_requests               GET  -         in   200  403  403  403  403  403  403  403
# The Resources Board alone decides business cases.
vacancies.business_cases               GET  -         in   403  403  403  403  200  403  403  403
vacancies.decide_business_case         GET  awaiting  in   403  403  403  403  200  403  403  403
vacancies.decide_business_case         POST awaiting  in   403  403  403  403  200  403  403  403

# Applying: nobody applies for an opportunity they look after (Priya: 422), and a
# named request is not found by those who may not know of it.
applications.start_application         POST open      in   302  302  422  302  302  302  302  403
applications.start_application         POST named     in   422  404  404  404  404  404  404  403
applications.my_applications           GET  -         in   200  200  200  200  200  200  200  403
# A draft is its applicant's alone; once sent, the deciders and People Services see it
# (403 when they ask to act as the applicant), and nobody else knows of it (404).
applications.edit_application          GET  drafted   in   404  200  404  404  404  404  404  403
applications.edit_application          POST drafted   in   404  409  404  404  404  404  404  403
applications.check_application         GET  drafted   in   404  200  404  404  404  404  404  403
applications.delete_application        GET  drafted   in   404  200  404  404  404  404  404  403
applications.delete_application        POST drafted   in   404  409  404  404  404  404  404  403
applications.submit_application        POST drafted   in   404  409  404  404  404  404  404  403
applications.view_application          GET  offered   in   200  200  200  200  404  404  404  403
applications.equality_questions        GET  offered   in   403  200  403  403  404  404  404  403
applications.equality_questions        POST offered   in   403  302  403  403  404  404  404  403
applications.application_submitted     GET  offered   in   403  200  403  403  404  404  404  403
# An offer is declined, not withdrawn: Alex is sent back to it with the reason (302).
applications.withdraw_application      GET  offered   in   403  302  403  403  404  404  404  403
applications.withdraw_application      POST offered   in   403  302  403  403  404  404  404  403
applications.withdraw_application      GET  pending   in   403  200  403  403  404  404  404  403
applications.withdraw_application      POST pending   in   403  409  403  403  404  404  404  403
applications.answer_offer              GET  offered   in   403  200  403  403  404  404  404  403
applications.answer_offer              POST offered   in   403  200  403  403  404  404  404  403
applications.appeal_application        GET  refused   in   403  200  403  403  404  404  404  403
applications.appeal_application        POST refused   in   403  200  403  403  404  404  404  403

# Deciding: the decider due decides; the other is sent back to their list (302).
decisions.to_decide                    GET  -         in   403  403  200  200  403  403  403  403
decisions.decisions_taken              GET  -         in   403  403  200  200  403  403  403  403
decisions.decide_application           GET  endorse   in   403  403  200  302  403  403  403  403
decisions.decide_application           POST endorse   in   403  403  200  302  403  403  403  403
decisions.decide_application           GET  release   in   403  403  302  200  403  403  403  403
decisions.decide_application           POST release   in   403  403  302  200  403  403  403  403
# A letter is for the people it concerns; even that it exists is private (404).
decisions.decision_letter              GET  letter    in   200  200  200  200  404  404  404  403
decisions.appeals_to_decide            GET  -         in   200  403  403  403  403  403  403  403
decisions.decide_appeal                GET  appealed  in   200  403  403  403  403  403  403  403
decisions.decide_appeal                POST appealed  in   200  403  403  403  403  403  403  403

# Selecting: the hiring side only (the creator, the contact, People Services); the
# candidate's own managers are not on it.
selection.list_candidates              GET  budget    in   200  403  403  403  200  403  403  403
selection.shortlist_candidate          POST candidate in   409  403  403  403  409  403  403  403
selection.fix_shortlist                POST budget    in   409  403  403  403  409  403  403  403
selection.record_assessment            GET  candidate in   200  403  403  403  200  403  403  403
selection.record_assessment            POST candidate in   200  403  403  403  200  403  403  403
selection.make_offer                   GET  candidate in   200  403  403  403  200  403  403  403
selection.make_offer                   POST candidate in   200  403  403  403  200  403  403  403
# An offer is withdrawn only once unanswered past its date: a candidate not yet offered
# gets the page with the reason (and the post is refused with it, 422).
selection.withdraw_offer               GET  candidate in   200  403  403  403  200  403  403  403
selection.withdraw_offer               POST candidate in   422  403  403  403  422  403  403  403

# People Services' own pages; auditors (administrators) read and add to the register.
people_services.index                  GET  -         in   200  403  403  403  403  403  403  403
people_services.list_applications      GET  -         in   200  403  403  403  403  403  403  403
people_services.list_conflicts         GET  -         in   200  403  403  403  403  200  403  403
people_services.record_conflict_action GET  conflict  in   200  403  403  403  403  200  403  403
people_services.record_conflict_action POST conflict  in   200  403  403  403  403  200  403  403
people_services.view_equality_report   GET  -         in   200  403  403  403  403  403  403  403
people_services.invite_host_contact    GET  -         in   200  403  403  403  403  403  403  403
people_services.invite_host_contact    POST -         in   200  403  403  403  403  403  403  403
people_services.send_invitation_again  GET  invitation in  200  403  403  403  403  403  403  403
people_services.send_invitation_again  POST invitation in  302  403  403  403  403  403  403  403
# Only a host organisation's contact can be revoked: a member of staff is not found.
people_services.revoke_host_contact    GET  contact   in   200  403  403  403  403  403  403  403
people_services.revoke_host_contact    POST contact   in   302  403  403  403  403  403  403  403
people_services.revoke_host_contact    GET  staff     in   404  403  403  403  403  403  403  403
people_services.undelivered_email      GET  -         in   200  403  403  403  403  403  403  403
people_services.send_email_again       POST email     in   302  403  403  403  403  403  403  403
# The staff import's page: a post without a file is shown again with its errors; an
# apply that does not carry the fingerprint of the file shown is "changed meanwhile".
people_services.upload_staff_export    GET  -         in   200  403  403  403  403  403  403  403
people_services.upload_staff_export    POST -         in   200  403  403  403  403  403  403  403
people_services.check_staff_import     GET  upload    in   200  403  403  403  403  403  403  403
people_services.check_staff_import     POST upload    in   409  403  403  403  403  403  403  403

# Placements: People Services' list and its export are theirs alone. A placement is
# found only by the people it concerns (Alex's, hosted at Maria's organisation: Priya
# his manager, David its signatory; Nadia's, hosted at Omar's: see OMAR).
placements.list_placements             GET  -         in   200  403  403  403  403  403  403  403
placements.export_placements           GET  -         in   200  403  403  403  403  403  403  403
placements.view_placement              GET  signing   in   200  200  200  200  404  404  200  200
placements.agreement_pdf               GET  signing   in   200  200  200  200  404  404  200  200
placements.view_placement              GET  lakes     in   200  404  200  200  404  404  200  404
placements.agreement_pdf               GET  lakes     in   200  404  200  200  404  404  200  404
# A host contact's own list. Each step is its actor's: People Services set up, change,
# send, cancel and start; the Board decides a length; either manager agrees an informal
# arrangement; legal ratify or return; the parties sign. Anyone else who may see the
# placement is refused (403), anyone else is not told it exists (404). A step that
# cannot be taken yet answers its "not now" page (409), as does a stale form.
host.list_placements                   GET  -         in   403  403  403  403  403  403  403  200
placements.new_placement               GET  -         in   200  403  403  403  403  403  403  403
placements.new_placement               POST -         in   200  403  403  403  403  403  403  403
placements.edit_placement              GET  proposed  in   200  404  403  403  404  404  403  403
placements.edit_placement              POST proposed  in   200  404  403  403  404  404  403  403
placements.confirm_placement           GET  proposed  in   403  404  403  403  404  404  403  200
placements.confirm_placement           POST proposed  in   403  404  403  403  404  404  403  200
placements.send_to_legal               GET  proposed  in   409  404  403  403  404  404  403  403
placements.send_to_legal               POST proposed  in   409  404  403  403  404  404  403  403
placements.cancel_placement            GET  proposed  in   200  404  403  403  404  404  403  403
placements.cancel_placement            POST proposed  in   200  404  403  403  404  404  403  403
placements.ask_board                   GET  long      in   200  404  403  403  404  404  403  404
placements.ask_board                   POST long      in   409  404  403  403  404  404  403  404
placements.decide_duration             GET  board     in   403  404  403  403  200  404  403  403
placements.decide_duration             POST board     in   403  404  403  403  200  404  403  403
placements.agree_informal              GET  informal  in   403  404  200  403  200  404  403  404
placements.agree_informal              POST informal  in   403  404  409  403  409  404  403  404
placements.approve_informal            GET  informal  in   409  404  403  403  403  404  403  404
placements.approve_informal            POST informal  in   409  404  403  403  403  404  403  404
placements.start_placement             GET  lakes     in   200  404  403  403  404  404  403  404
placements.start_placement             POST lakes     in   409  404  403  403  404  404  403  404
placements.agreements_for_legal        GET  -         in   403  403  403  403  403  403  200  403
placements.view_agreement              GET  signing   in   200  200  200  200  404  404  200  200
placements.ratify_agreement            GET  legal     in   403  404  403  403  404  404  200  404
placements.ratify_agreement            POST legal     in   403  404  403  403  404  404  409  404
placements.return_agreement            GET  legal     in   403  404  403  403  404  404  200  404
placements.return_agreement            POST legal     in   403  404  403  403  404  404  200  404
placements.sign_agreement              GET  signing   in   403  200  403  200  404  404  403  200
placements.sign_agreement              POST signing   in   403  200  403  200  404  404  403  409
placements.reopen_agreement            GET  signing   in   200  403  403  403  404  404  403  403
placements.reopen_agreement            POST signing   in   409  403  403  403  404  404  403  403

# Onboarding checklists (R9): a checklist is seen by whoever sees its placement; an
# item is moved by its owner (here Maria's organisation's) or People Services, and
# refused (403) to the others who see it. Everyone has their own tasks. The dashboard
# and the templates are People Services'.
onboarding.view_checklist              GET  signing   in   200  200  200  200  404  404  200  200
onboarding.update_item                 GET  item      in   200  403  403  403  404  404  403  200
onboarding.update_item                 POST item      in   200  403  403  403  404  404  403  200
onboarding.your_tasks                  GET  -         in   200  200  200  200  200  200  200  200
onboarding.list_checklists             GET  -         in   200  403  403  403  403  403  403  403
onboarding.export_checklists           GET  -         in   200  403  403  403  403  403  403  403
onboarding.list_templates              GET  -         in   200  403  403  403  403  403  403  403
onboarding.view_template               GET  template  in   200  403  403  403  403  403  403  403
onboarding.add_template_item           GET  template  in   200  403  403  403  403  403  403  403
onboarding.add_template_item           POST template  in   200  403  403  403  403  403  403  403
onboarding.change_template_item        GET  titem     in   200  403  403  403  403  403  403  403
onboarding.change_template_item        POST titem     in   200  403  403  403  403  403  403  403
onboarding.remove_template_item        GET  titem     in   200  403  403  403  403  403  403  403
onboarding.remove_template_item        POST titem     in   200  403  403  403  403  403  403  403

# The back office. People Services read the audit trail; administrators also look
# after people, roles, organisations and departments. A route a view has switched off
# (creating people, deleting, exporting, mass actions) is refused to everyone.
admin.index                            GET  -         in   200  403  403  403  403  200  403  403
admin_audit.index_view                 GET  -         in   200  403  403  403  403  200  403  403
admin_audit.details_view               GET  event     in   200  403  403  403  403  200  403  403
admin_audit.create_view                GET  -         in   403  403  403  403  403  403  403  403
admin_audit.create_view                POST -         in   403  403  403  403  403  403  403  403
admin_audit.edit_view                  GET  event     in   403  403  403  403  403  403  403  403
admin_audit.edit_view                  POST event     in   403  403  403  403  403  403  403  403
admin_audit.delete_view                POST event     in   403  403  403  403  403  403  403  403
admin_audit.action_view                POST -         in   403  403  403  403  403  403  403  403
admin_audit.ajax_lookup                GET  -         in   403  403  403  403  403  403  403  403
admin_audit.ajax_update                POST -         in   403  403  403  403  403  403  403  403
admin_audit.export                     GET  -         in   403  403  403  403  403  403  403  403
admin_people.index_view                GET  -         in   403  403  403  403  403  200  403  403
admin_people.details_view              GET  person    in   403  403  403  403  403  200  403  403
admin_people.edit_view                 GET  person    in   403  403  403  403  403  200  403  403
admin_people.edit_view                 POST person    in   403  403  403  403  403  200  403  403
admin_people.create_view               GET  -         in   403  403  403  403  403  403  403  403
admin_people.create_view               POST -         in   403  403  403  403  403  403  403  403
admin_people.delete_view               POST person    in   403  403  403  403  403  403  403  403
admin_people.action_view               POST -         in   403  403  403  403  403  403  403  403
admin_people.ajax_lookup               GET  -         in   403  403  403  403  403  403  403  403
admin_people.ajax_update               POST -         in   403  403  403  403  403  403  403  403
admin_people.export                    GET  -         in   403  403  403  403  403  403  403  403
admin_roles.index_view                 GET  -         in   403  403  403  403  403  200  403  403
admin_roles.create_view                GET  -         in   403  403  403  403  403  200  403  403
admin_roles.create_view                POST -         in   403  403  403  403  403  200  403  403
admin_roles.delete_view                POST -         in   403  403  403  403  403  302  403  403
admin_roles.details_view               GET  role      in   403  403  403  403  403  403  403  403
admin_roles.edit_view                  GET  role      in   403  403  403  403  403  403  403  403
admin_roles.edit_view                  POST role      in   403  403  403  403  403  403  403  403
admin_roles.action_view                POST -         in   403  403  403  403  403  403  403  403
admin_roles.ajax_lookup                GET  -         in   403  403  403  403  403  403  403  403
admin_roles.ajax_update                POST -         in   403  403  403  403  403  403  403  403
admin_roles.export                     GET  -         in   403  403  403  403  403  403  403  403
admin_organisations.index_view         GET  -         in   403  403  403  403  403  200  403  403
admin_organisations.create_view        GET  -         in   403  403  403  403  403  200  403  403
admin_organisations.create_view        POST -         in   403  403  403  403  403  200  403  403
admin_organisations.edit_view          GET  org       in   403  403  403  403  403  200  403  403
admin_organisations.edit_view          POST org       in   403  403  403  403  403  200  403  403
admin_organisations.details_view       GET  org       in   403  403  403  403  403  403  403  403
admin_organisations.delete_view        POST org       in   403  403  403  403  403  403  403  403
admin_organisations.action_view        POST -         in   403  403  403  403  403  403  403  403
admin_organisations.ajax_lookup        GET  -         in   403  403  403  403  403  403  403  403
admin_organisations.ajax_update        POST -         in   403  403  403  403  403  403  403  403
admin_organisations.export             GET  -         in   403  403  403  403  403  403  403  403
admin_departments.index_view           GET  -         in   403  403  403  403  403  200  403  403
admin_departments.create_view          GET  -         in   403  403  403  403  403  200  403  403
admin_departments.create_view          POST -         in   403  403  403  403  403  200  403  403
admin_departments.edit_view            GET  dept      in   403  403  403  403  403  200  403  403
admin_departments.edit_view            POST dept      in   403  403  403  403  403  200  403  403
admin_departments.details_view         GET  dept      in   403  403  403  403  403  403  403  403
admin_departments.delete_view          POST dept      in   403  403  403  403  403  403  403  403
admin_departments.action_view          POST -         in   403  403  403  403  403  403  403  403
admin_departments.ajax_lookup          GET  -         in   403  403  403  403  403  403  403  403
admin_departments.ajax_update          POST -         in   403  403  403  403  403  403  403  403
admin_departments.export               GET  -         in   403  403  403  403  403  403  403  403
"""

# Every POST carries a valid CSRF token and `version=0`, a version no record has: a form
# that passes its checks is answered 409 ("changed while you were looking") and nothing
# is saved, one that does not is shown again with its errors (200). These fields make a
# form pass its checks, so that the route is asked past them.
MINIMAL_FORMS = {
    # Without a decision the shortlist's buttons are a malformed post (400).
    "selection.shortlist_candidate": {"decision": "shortlist"},
}

# Arguments of a route that are not records.
ROUTE_ARGUMENTS = {
    "vacancies.edit_opportunity": {"section": "details"},
    "vacancies.end_opportunity": {"action": "close"},
    "admin_audit.export": {"export_type": "csv"},
    "admin_people.export": {"export_type": "csv"},
    "admin_roles.export": {"export_type": "csv"},
    "admin_organisations.export": {"export_type": "csv"},
    "admin_departments.export": {"export_type": "csv"},
}

# Ends the session it is asked in: asked after every other route.
ENDS_THE_SESSION = "auth.sign_out"


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    record: str | None
    answers: dict[str, str]

    @property
    def route(self) -> str:
        return f"{self.method} {self.endpoint}" + (f" [{self.record}]" if self.record else "")


def read_matrix(table: str) -> list[Row]:
    """The rows of a table laid out as MATRIX is: two header lines, whose names take
    turns so that each stands over its own column, then a row per route."""
    lines = [line for line in table.splitlines() if line.strip() and not line.startswith("#")]
    header = [name for _, name in sorted(
        (found.start(), found.group()) for line in lines[:2]
        for found in re.finditer(r"\S+", line))]
    assert header == ["endpoint", "meth", "record", *WRITTEN_OUT], header
    rows = []
    for endpoint, method, record, *answers in (line.split() for line in lines[2:]):
        assert len(answers) == len(WRITTEN_OUT), endpoint
        row = Row(endpoint, method, None if record == "-" else record,
                  dict(zip(WRITTEN_OUT, answers, strict=True)))
        row.answers["omar"] = OMAR.get(row.route, row.answers["maria"])
        rows.append(row)
    return rows


ROWS = read_matrix(MATRIX)


def routes_of(app) -> set[tuple[str, str]]:
    """Every (endpoint, method) of the URL map, bar HEAD and OPTIONS (Flask answers
    those for every route itself)."""
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


# --- the records -----------------------------------------------------------------------

def _opportunity(title: str) -> Opportunity:
    return db.session.scalar(select(Opportunity).where(Opportunity.title == title))


def _application(applicant: str, title: str) -> Application:
    return db.session.scalar(
        select(Application).join(Application.opportunity).join(Application.applicant)
        .where(User.name == applicant, Opportunity.title == title))


def records() -> dict[str, dict]:
    """Each record of MATRIX's `record` column, as the route arguments that name it."""
    opportunities = {name: _opportunity(title) for name, title in OPPORTUNITIES.items()}
    applications = {name: _application(*whose) for name, whose in APPLICATIONS.items()}
    # Being its contact is what puts a member of staff on an opportunity's hiring side.
    opportunities["budget"].contact_id = persona("board-george").id
    db.session.commit()
    lakes = db.session.scalar(select(Organisation).where(
        Organisation.name == "Lakes National Park Authority"))
    invitation = invitations.invite(persona("people-sam"), lakes, "Lena Lakes",
                                    "lena.lakes@lakes.example")
    # An invitation and a contact of their own, so that sending the one again leaves
    # `invite`'s link working, and revoking the other leaves Maria's session alone.
    invitations.invite(persona("people-sam"), lakes, "Lou Lakes", "lou@lakes.example")
    contact = make_user("Cal Contact", email="cal@lakes.example", organisation=lakes,
                        roles=[Role.HOST_CONTACT])
    signing = db.session.scalar(select(Placement.id).where(
        Placement.title == "Planning and health partnership officer"))
    template = db.session.scalar(select(ChecklistTemplate.id).order_by(ChecklistTemplate.id)
                                 .limit(1))
    return {
        **{name: {"opportunity_id": o.id} for name, o in opportunities.items()},
        **{name: {"application_id": a.id} for name, a in applications.items()},
        "candidate": {"opportunity_id": opportunities["budget"].id,
                      "application_id": _application("Grace Liu", OPPORTUNITIES["budget"]).id},
        "letter": {"decision_id": db.session.scalar(select(Decision.id).where(
            Decision.application_id == applications["refused"].id,
            Decision.outcome == "refused"))},
        "conflict": {"declaration_id": db.session.scalar(select(ConflictDeclaration.id).where(
            ConflictDeclaration.application_id == applications["appealed"].id))},
        "email": {"message_id": db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.failed_at.is_not(None)))},
        "invite": {"token": invitation},
        "invitation": {"invitation_id": db.session.scalar(select(HostInvitation.id).where(
            HostInvitation.email == "lou@lakes.example"))},
        "contact": {"user_id": contact.id},
        "person": {"id": persona("staff-alex").id},
        "staff": {"user_id": persona("staff-alex").id},
        "event": {"id": db.session.scalar(select(AuditEvent.id).limit(1))},
        "org": {"id": db.session.scalar(select(Organisation.id).where(
            Organisation.name == "Northshire NHS Foundation Trust"))},
        "dept": {"id": db.session.scalar(select(Department.id).where(
            Department.name == "Planning and Environment"))},
        "role": {"id": db.session.scalar(select(RoleAssignment.id).where(
            RoleAssignment.user_id == persona("host-maria").id))},
        # The demo placements (portal/demo/placements.py), by title.
        "signing": {"placement_id": db.session.scalar(select(Placement.id).where(
            Placement.title == "Planning and health partnership officer"))},
        "lakes": {"placement_id": db.session.scalar(select(Placement.id).where(
            Placement.title == "Ranger service improvement lead"))},
        **{name: {"placement_id": db.session.scalar(select(Placement.id).where(
            Placement.title == title))} for name, title in (
            ("proposed", "Estates planning adviser"),
            ("long", "Three-season peatland programme"),
            ("board", "Long-term estates secondment"),
            ("informal", "Shadowing the budget monitoring team"),
            ("legal", "Peatland restoration planner"))},
        # An item of the signing placement's checklist owned by Maria's organisation, and
        # a checklist template and its first item.
        "item": {"placement_id": signing, "item_id": db.session.scalar(
            select(ChecklistItem.id).where(ChecklistItem.placement_id == signing,
                                           ChecklistItem.title == "Host induction booked"))},
        "template": {"template_id": template},
        "titem": {"template_id": template, "position": 1},
        # An HR export of Sam's, checked and waiting to be applied.
        "upload": {"upload_id": staff_uploads.plan_upload(
            persona("people-sam"), "staff.csv", io.BytesIO(
                b"name,email,department,line_manager_email,grade\n"
                b"Sam Whitfield,sam.whitfield@example.org,People Services,,Band 6\n"),
            None, "keep")[1].id},
    }


@dataclass
class World:
    app: object
    clients: dict
    records: dict
    people: dict

    def url(self, row: Row) -> str:
        values = dict(ROUTE_ARGUMENTS.get(row.endpoint, {}))
        if row.record:
            values |= self.records[row.record]
        return self.app.url_map.bind("localhost").build(row.endpoint, values)


@pytest.fixture(scope="module")
def world(database_url, identity_providers):
    """The demo data in every state, and a browser for each column: one for the
    anonymous visitor, one signed in as each persona (signing in gives them the roles of
    their provider's groups, which some of the records need: Sam's invitation)."""
    from portal.demo import seed_demo_data

    with running_app(make_config(database_url, identity_providers)) as app:
        seed_demo_data(identity_providers)
        # Held for the module: a persona freed while a commit expires the session
        # trips the "expire" listener of portal/models/people.py (see test_decisions).
        people = {subject: persona(subject) for subject in COLUMNS.values() if subject}
        seed_every_state()
        clients = {}
        for column, subject in COLUMNS.items():
            clients[column] = app.test_client()
            if subject:
                clients[column].sign_in(subject)
        yield World(app, clients, records(), people)


# --- asking ------------------------------------------------------------------------------

def answer(client, url: str, row: Row, token: str, titles: dict | None = None) -> str:
    """The route's answer, as MATRIX writes it. A page's title that is not of the
    portal's form goes into `titles`."""
    if row.method == "GET":
        response = client.get(url)
    else:
        form = {"csrf_token": token, "version": "0", **MINIMAL_FORMS.get(row.endpoint, {})}
        response = client.post(url, data=form)
    if titles is not None and response.mimetype == "text/html" and not response.location:
        problem = title_problem(Page(response).title)
        if problem:
            titles[row.route] = problem
    if response.status_code == 302:
        where = urlsplit(response.location)
        if where.path == "/sign-in":
            if parse_qs(where.query).get("next") == [url]:
                return "in"
            return f"302 to {response.location}"
    return str(response.status_code)


def running_order(rows: list[Row]) -> list[Row]:
    """Pages first, then forms (a few do change something: an application started, an
    e-mail queued again), and signing out last."""
    return sorted(rows, key=lambda row: (row.endpoint == ENDS_THE_SESSION,
                                         row.method != "GET"))


@pytest.mark.parametrize("column", list(COLUMNS))
def test_each_route_answers_as_the_matrix_says(world, column):
    client = world.clients[column]
    token = client.session_csrf_token()
    wrong, titles = {}, {}
    for row in running_order(ROWS):
        try:
            url = world.url(row)
        except BuildError:
            got = "no such route"
        else:
            got = answer(client, url, row, token, titles)
        if got != row.answers[column]:
            wrong[row.route] = (row.answers[column], got)
    # Every page, error pages too, is titled "Page – Secondments – Example Council".
    assert not titles, "titles not of the portal's form:\n" + "\n".join(
        f"  {route}: {problem}" for route, problem in titles.items())
    assert not wrong, f"{COLUMNS[column] or 'anonymous'}, route: (expected, got)\n" + "\n".join(
        f"  {route}: {answers}" for route, answers in wrong.items())


def test_the_matrix_has_a_row_for_every_route(world):
    in_matrix = {(row.endpoint, row.method) for row in ROWS}
    in_url_map = {(e, m) for e, m in routes_of(world.app) if e not in EXCLUDED}
    without_a_row, gone = in_url_map - in_matrix, in_matrix - in_url_map
    assert not (without_a_row or gone), (
        f"routes without a row in MATRIX: {sorted(without_a_row)}; "
        f"rows of MATRIX for routes that do not exist: {sorted(gone)}")
    assert set(EXCLUDED) <= {e for e, _ in routes_of(world.app)}, "EXCLUDED names a lost route"


def test_every_row_names_a_known_record_and_a_route_once(world):
    assert {row.record for row in ROWS} - {None} <= set(world.records)
    assert len({row.route for row in ROWS}) == len(ROWS), "a route twice in MATRIX"
