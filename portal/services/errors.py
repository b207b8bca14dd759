"""The refusals every service shares, in one module that imports nothing of the portal,
so the workflow engine, the services and the error pages can all use them."""


class RuleError(Exception):
    """Input that breaks a rule. `errors` maps a form field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


class StaleRecord(Exception):
    """Someone else changed the record since the page was loaded."""
