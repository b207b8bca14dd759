"""How candidates are shown to the hiring side: by number while shortlisting is
anonymised, by name once the shortlist is fixed."""

from dataclasses import dataclass

from flask_login import current_user

from portal.models.applications import Application
from portal.models.applications import ApplicationStatus as A
from portal.services import applications as service

# The hiring side's words for where an application stands (the model's labels speak
# to the applicant: "With your line manager").
STATUS_NAMES = {
    A.RELEASED: "To shortlist",
    A.SHORTLISTED: "Shortlisted",
    A.OFFERED: "Offered",
    A.ACCEPTED: "Offer accepted",
    A.DECLINED: "Offer declined",
    A.UNSUCCESSFUL: "Unsuccessful",
    A.WITHDRAWN: "Withdrawn",
}


@dataclass(frozen=True)
class Candidate:
    number: int
    application: Application
    hidden: bool  # names and personal details hidden: anonymised shortlisting
    actions: tuple[str, ...] = ()  # what the person looking can do with it now
    blocked: tuple[str, ...] = ()  # what they could do in its state, but not yet

    @property
    def accepted(self) -> bool:
        return self.application.status_enum == A.ACCEPTED

    @property
    def label(self) -> str:
        return f"Candidate {self.number}" if self.hidden else self.application.applicant.name

    @property
    def anchor(self) -> str:
        return f"candidate-{self.number}"

    @property
    def reply_overdue(self) -> bool:
        """Offered, and the date to answer by has passed without an answer."""
        return service.reply_overdue(self.application)

    @property
    def status_name(self) -> str:
        if self.reply_overdue:
            return "Offer not answered in time"
        status = self.application.status_enum
        return STATUS_NAMES.get(status, status.label)

    @property
    def status_colour(self) -> str:
        return "orange" if self.reply_overdue else self.application.status_enum.colour


def candidate(number: int, application: Application, hidden: bool) -> Candidate:
    return Candidate(number, application, hidden,
                     tuple(service.available_actions(current_user, application)),
                     tuple(service.blocked_actions(current_user, application)))


def candidates(applications: list[Application], hidden: bool) -> list[Candidate]:
    """Numbered in the order the applications were submitted."""
    return [candidate(number, application, hidden)
            for number, application in enumerate(applications, start=1)]
