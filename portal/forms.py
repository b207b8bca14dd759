"""What every feature's forms share."""


def add_errors(form, errors: dict[str, str]) -> None:
    """Show the errors a service found (field -> message) next to their fields, as if
    the form's own validation had found them."""
    for name, message in errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, message]
    form._errors = None  # WTForms caches form.errors


def expected_version(form) -> int:
    """The record version a form was shown with (its hidden `version` field). Anything
    that is not a number is never a real version, so it reads as changed meanwhile."""
    try:
        return int(form.version.data or 0)
    except (TypeError, ValueError):
        return 0
