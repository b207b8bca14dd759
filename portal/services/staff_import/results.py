"""What an import found or did: the problems by line, what changes, and the people
who have left with the decisions that wait on them."""

from dataclasses import dataclass, field

# Beyond this many problems the file is plainly the wrong one: the rest are counted.
MAX_LISTED = 1000


@dataclass(frozen=True)
class OpenDecision:
    """An application waiting for a leaver's decision, to be given to someone else."""

    application_id: int
    reference: str | None
    applicant: str
    opportunity: str
    waiting_for: str  # "Endorsement as line manager", "Release as head of department"


@dataclass
class Leaver:
    """A person of the organisation, enabled in the portal, who is not in the file."""

    id: int
    name: str
    email: str
    open_decisions: list[OpenDecision] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)  # the departments they are head of


@dataclass
class ImportPlan:
    """What a file changes (a plan, or a dry run) or changed (once applied). Counts of
    people already in the portal are of those the file changes: `updated` is everyone
    whose name, grade, department or line manager changes, `moved_department` and
    `new_line_manager` those whose department or manager does; `created` are new."""

    errors: list[str] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved_department: int = 0
    new_line_manager: int = 0
    new_departments: list[str] = field(default_factory=list)
    # Enabled people of the organisation who are not in the file; with leavers
    # "disable" they are listed in `leavers` and `disabled` says how many (would) go.
    not_in_file: int = 0
    disabled: int = 0
    leavers: list[Leaver] = field(default_factory=list)
    # In the file but disabled in the portal: an import never enables anyone again.
    still_disabled: int = 0
    encoding: str = ""      # as read, for the summary: "UTF-8", "Windows-1252"…
    separator: str = ""     # "commas", "semicolons" or "tabs"
    applied: bool = False
    problems: int = 0       # how many problems in all, listed or not
    _found: list[tuple[int, int, str]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors and not self._found

    @property
    def open_decisions(self) -> int:
        return sum(len(leaver.open_decisions) for leaver in self.leavers)

    def problem(self, line: int, message: str) -> None:
        """A problem on `line` (0 for the file as a whole)."""
        self.problems += 1
        if len(self._found) < MAX_LISTED:
            self._found.append((line, len(self._found), message))

    def finish(self) -> "ImportPlan":
        """Put the problems found in order of line, the file's own first."""
        listed = [message for _line, _n, message in sorted(self._found)]
        if self.problems > len(listed):
            listed.append(f"… and {self.problems - len(listed):,} more problems not listed")
        self.errors = listed
        self._found = []
        return self

    def counts(self) -> str:
        """What changes, in a line: "2 created, 1 updated, …"."""
        return (f"{self.created:,} created, {self.updated:,} updated, "
                f"{self.moved_department:,} moved department, {self.new_line_manager:,} new "
                f"line manager, {self.disabled:,} disabled")

    def summary(self) -> str:
        """The counts with the rows read, for the audit trail."""
        return f"{self.rows:,} rows: {self.counts()}"


# The name the import had before it planned as well as applied.
ImportResult = ImportPlan
