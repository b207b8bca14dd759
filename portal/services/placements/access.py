"""Who is who on a placement, who may see it, who signs its agreement, and what is
waiting on whom. The workflow engine asks `may_act` who each actor of the placement and
agreement machines is; pages ask `may_view` (and answer 404 to anyone else: a
placement's existence is private to the people it concerns).

Host contacts see only placements of their own organisation (DESIGN: host contact),
and only while their account is enabled.
"""

from dataclasses import dataclass

from portal.models.placements import (
    AgreementVersion,
    Party,
    Placement,
    PlacementRoute,
)
from portal.models.placements import PlacementStatus as P
from portal.roles import Permission, Role
from portal.workflow import AGREEMENT, PLACEMENT


def is_partner_contact(person, placement: Placement) -> bool:
    """A contact of the other organisation (host, or sending for an incoming secondee)."""
    return bool(person.is_enabled and Role.HOST_CONTACT in person.roles
                and placement.external_organisation_id is not None
                and person.organisation_id == placement.external_organisation_id)


def is_host_side(person, placement: Placement) -> bool:
    """The host's side of the placement (R10): its host manager, or, where an external
    organisation hosts the secondee, that organisation's contacts, who stand for a host
    manager there with no account here. Never the secondee themselves."""
    if person.id == placement.secondee_id:
        return False
    return person.id == placement.host_manager_id or (
        placement.partner_hosts and is_partner_contact(person, placement))


def parties(placement: Placement) -> list[Party]:
    """Who signs, in the order the signature page lists them."""
    return [Party.SECONDEE, Party.OWN, Party.PARTNER]


def party_label(placement: Placement, party: str) -> str:
    """"The secondee", "For Example Council (employer)", "For Lakes National Park
    Authority (host)": whom each signature speaks for, in the agreement's words."""
    if party == Party.SECONDEE:
        return "The secondee"
    incoming = placement.kind == "incoming"
    if party == Party.OWN:
        organisation = placement.host_organisation if incoming else placement.home_organisation
        return f"For {organisation.name} ({'host' if incoming else 'employer'})"
    if placement.external_organisation_id is None:
        department = placement.host_department
        return f"For the host department{f' ({department.name})' if department else ''}"
    organisation = placement.home_organisation if incoming else placement.host_organisation
    return f"For {organisation.name} ({'employer' if incoming else 'host'})"


def parties_of(person, placement: Placement) -> list[Party]:
    """The parties `person` may sign for on this placement's agreement."""
    found = []
    if placement.secondee_id == person.id:
        found.append(Party.SECONDEE)
    if placement.signatory_id == person.id:
        found.append(Party.OWN)
    if placement.external_organisation_id is not None:
        if is_partner_contact(person, placement):
            found.append(Party.PARTNER)
    elif placement.host_manager_id == person.id:
        found.append(Party.PARTNER)
    return found


def unsigned_parties(agreement: AgreementVersion) -> list[Party]:
    signed = {s.party for s in agreement.signatures}
    return [p for p in parties(agreement.placement) if p not in signed]


def may_act(person, placement: Placement, actor: str) -> bool:
    if actor == "people_services":
        return person.can(Permission.MANAGE_PLACEMENTS)
    if actor == "legal":
        return person.can(Permission.RATIFY_AGREEMENTS)
    if actor == "board":
        # R3, as for business cases (R6): never one who had a hand in it.
        return (person.can(Permission.DECIDE_BUSINESS_CASE)
                and person.id not in (placement.created_by_id, placement.secondee_id))
    if actor == "host":
        return is_partner_contact(person, placement)
    if actor == "manager":
        return person.id in (placement.substantive_manager_id, placement.host_manager_id)
    if actor == "overall_manager":
        # R10: the substantive manager stays the overall manager; People Services too.
        return (person.can(Permission.MANAGE_PLACEMENTS)
                or person.id == placement.substantive_manager_id)
    if actor == "extension_approver":
        # R3: whoever completes an extension's agreement; never the secondee (their own).
        return person.id != placement.secondee_id and (
            person.id == placement.substantive_manager_id
            or is_host_side(person, placement) or may_act(person, placement, "board"))
    if actor == "party":
        # A party of the current version, whether or not they have signed it yet: the
        # signing service knows who still has to (`signing_parties`).
        return placement.current_agreement is not None and bool(parties_of(person, placement))
    return False


PLACEMENT.actors_from(may_act)
AGREEMENT.actors_from(lambda person, agreement, actor: may_act(
    person, agreement.placement, actor))


def may_view(person, placement: Placement) -> bool:
    """People Services and legal; the secondee, both managers, the buddy and the
    signatory; the Resources Board while it decides the duration; the other
    organisation's contacts."""
    if person.can(Permission.MANAGE_PLACEMENTS) or person.can(Permission.RATIFY_AGREEMENTS):
        return True
    if person.id in (placement.secondee_id, placement.substantive_manager_id,
                     placement.host_manager_id, placement.buddy_id, placement.signatory_id):
        return True
    if person.can(Permission.DECIDE_BUSINESS_CASE) and (
            placement.status == P.WITH_BOARD or placement.board_decided_at is not None):
        return True
    return is_partner_contact(person, placement)


@dataclass(frozen=True)
class Waiting:
    who: str    # "The host organisation's contact", "Legal", "Sam Secondee"
    what: str   # "confirm the placement's details"


def waiting_on(placement: Placement) -> list[Waiting]:
    """What the placement waits for now, and on whom, in words for everyone who sees it."""
    from portal.services.placements.rules import board_has_approved, needs_board

    status = placement.status
    if status == P.PROPOSED:
        if placement.informal:
            return _informal_waiting(placement)
        waiting = []
        if placement.external_organisation_id and placement.host_confirmed_at is None:
            waiting.append(Waiting(f"{_partner_name(placement)}'s contact",
                                   "confirm the placement's details and name the host "
                                   "manager"))
        if placement.host_comment and placement.host_confirmed_at is None:
            waiting.append(Waiting("People Services",
                                   "consider the corrections the other organisation proposed"))
        if placement.secondee_id is None:
            waiting.append(Waiting("People Services",
                                   f"link {placement.secondee_name}'s account, with which "
                                   "they sign the agreement"))
        if needs_board(placement) and not board_has_approved(placement):
            waiting.append(Waiting("People Services",
                                   "ask the Resources Board to approve over 24 months"))
        if not waiting:
            waiting.append(Waiting("People Services", "send the agreement to legal"))
        return waiting
    if status == P.WITH_BOARD:
        return [Waiting("The Resources Board", "decide on a placement over 24 months")]
    if status == P.WITH_LEGAL:
        return [Waiting("Legal", "ratify the agreement or send it back with comments")]
    if status == P.SIGNING and placement.current_agreement is not None:
        return [Waiting(_signer_name(placement, party), "sign the agreement")
                for party in unsigned_parties(placement.current_agreement)]
    if status == P.READY:
        return [Waiting("People Services", "start the placement on its start date")]
    return []


def _informal_waiting(placement: Placement) -> list[Waiting]:
    waiting = []
    if placement.home_manager_agreed_at is None and placement.substantive_manager:
        waiting.append(Waiting(placement.substantive_manager.name, "agree the arrangement"))
    if placement.host_manager_agreed_at is None and placement.host_manager:
        waiting.append(Waiting(placement.host_manager.name, "agree the arrangement"))
    return waiting or [Waiting("People Services", "approve the arrangement in principle")]


def _partner_name(placement: Placement) -> str:
    organisation_id = placement.external_organisation_id
    organisation = (placement.host_organisation
                    if organisation_id == placement.host_organisation_id
                    else placement.home_organisation)
    return organisation.name


def _signer_name(placement: Placement, party: str) -> str:
    if party == Party.SECONDEE:
        return placement.secondee.name if placement.secondee else placement.secondee_name
    if party == Party.OWN:
        return placement.signatory.name if placement.signatory else "The organisation's signatory"
    if placement.external_organisation_id is None:
        return placement.host_manager.name if placement.host_manager else "The host manager"
    return f"{_partner_name(placement)}'s contact"


def is_named_request(placement: Placement) -> bool:
    return placement.route == PlacementRoute.NAMED_REQUEST
