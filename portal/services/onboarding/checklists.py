"""A placement's checklist as a person sees it (R9): the items they may see, grouped by
phase, each with who owns it, whether it is overdue and whether they may move it; how
far it has got; what still blocks the start; and the recorded expiry dates coming up."""

from dataclasses import dataclass, field

from portal.models.onboarding import ChecklistItem, Phase
from portal.models.placements import Placement
from portal.services.onboarding.items import (
    EXPIRY_WARNING_DAYS,
    available,
    expiring,
    open_blocking,
)
from portal.services.onboarding.owners import (
    may_view_checklist,
    owner_label,
    sees_whole_checklist,
    visible_items,
)
from portal.services.opportunities import london_today

__all__ = ["Checklist", "checklist_for", "may_view_checklist", "owner_label"]


@dataclass(frozen=True)
class Line:
    item: ChecklistItem
    owner: str
    overdue: bool
    may_update: bool


@dataclass
class Checklist:
    phases: list[tuple[Phase, list[Line]]] = field(default_factory=list)
    done: int = 0
    total: int = 0
    blocking: list[Line] = field(default_factory=list)
    # (item, whether the date has passed)
    expiring: list[tuple[ChecklistItem, bool]] = field(default_factory=list)
    expiry_days: int = EXPIRY_WARNING_DAYS
    whole: bool = True          # False: only the viewer's own organisation's items
    versions: list[str] = field(default_factory=list)


def checklist_for(person, placement: Placement) -> Checklist:
    today = london_today()
    shown = visible_items(person, placement)
    lines = [Line(item, owner_label(item), item.is_open and item.due_date < today,
                  bool(available(person, item))) for item in shown]
    by_phase = {phase: [] for phase in Phase}
    for line in lines:
        by_phase[line.item.phase_enum].append(line)
    blocking_ids = {item.id for item in open_blocking(placement)}
    return Checklist(
        phases=[(phase, found) for phase, found in by_phase.items() if found],
        done=sum(1 for line in lines if not line.item.is_open), total=len(lines),
        blocking=[line for line in lines if line.item.id in blocking_ids],
        expiring=[(i, i.recorded_date < today) for i in expiring(placement, today=today)
                  if i in shown],
        whole=sees_whole_checklist(person, placement),
        versions=sorted({i.template_version.label for i in shown if i.template_version}))
