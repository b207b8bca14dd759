"""Proposing an extension (R3, 001 §5.6): the secondee or either manager (the host's
side: the host manager, or the external host organisation's contact) proposes a new end
date for a running placement, with the reason and the funding. One extension is decided
at a time; the substantive manager and the host are told, with what else it will need.
"""

from datetime import date

from portal import notifications
from portal.extensions import db
from portal.models.base import utcnow
from portal.models.extensions import Extension
from portal.models.placements import Placement
from portal.models.placements import PlacementStatus as P
from portal.services import audit
from portal.services.errors import RuleError, StaleRecord
from portal.services.extensions import rules
from portal.services.opportunities import london_today
from portal.services.placements.access import is_host_side
from portal.services.placements.contacts import partner_contacts
from portal.services.placements.lifecycle import link
from portal.workflow import TransitionRefused


def may_propose(person, placement: Placement) -> bool:
    """The secondee, the substantive manager or the host's side of the placement."""
    return (person.id in (placement.secondee_id, placement.substantive_manager_id)
            or is_host_side(person, placement))


def propose_problems(placement: Placement) -> list[str]:
    """What stops anyone proposing an extension now, in words."""
    if not P(placement.status).running:
        return ["Only a running placement can be extended"]
    pending = rules.open_extension(placement)
    if pending is not None:
        return [f"An extension to {pending.new_end_date:%-d %B %Y} is already waiting "
                "for a decision"]
    return []


def propose(person, placement: Placement, *, new_end_date: date | None, reason: str,
            funding: str, expected_version: int | None) -> Extension:
    """Propose extending `placement` to `new_end_date`. The placement's version is the
    page's: a proposal made on a page loaded before another change is refused."""
    if not may_propose(person, placement):
        raise PermissionError("propose an extension")
    problems = propose_problems(placement)
    if problems:
        raise TransitionRefused(problems)
    if expected_version is not None and expected_version != placement.version:
        raise StaleRecord()
    errors = rules.proposal_problems(placement, new_end_date=new_end_date, reason=reason,
                                     funding=funding, today=london_today())
    if errors:
        raise RuleError(errors)
    extension = Extension(placement=placement, proposed_by_id=person.id,
                          previous_end_date=placement.end_date, new_end_date=new_end_date,
                          reason=reason.strip(), funding=funding.strip())
    db.session.add(extension)
    # Touching the placement's row raises its version: two proposals made at once
    # cannot both commit, so a placement never has two extensions being decided.
    placement.updated_at = utcnow()
    db.session.flush()
    audit.record("extension.propose", actor=person, obj=extension,
                 summary=(f"extension proposed from {placement.end_date:%-d %B %Y} to "
                          f"{new_end_date:%-d %B %Y}: {extension.reason}")[:2000])
    notifications.send(
        [*deciders(placement), placement.secondee or placement.secondee_email],
        "extension_proposed", about=extension, placement=placement, extension=extension,
        over_12=rules.over_12_months(placement, new_end_date),
        over_24=rules.over_24_months(placement, new_end_date), link=link(placement))
    db.session.commit()
    return extension


def deciders(placement: Placement) -> list:
    """Whom an extension waits on: the substantive manager and the host's side."""
    return [placement.substantive_manager, *host_side(placement)]


def host_side(placement: Placement) -> list:
    people = [placement.host_manager or placement.host_manager_email]
    if placement.partner_hosts:
        people.extend(partner_contacts(placement))
    return people
