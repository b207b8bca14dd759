"""The organisation's list of grades (reference data): what an opportunity's grade and
a restricted pool's grades are chosen from."""

from sqlalchemy import select

from portal.extensions import db
from portal.models.grades import DEFAULT_GRADES, Grade


def grade_names() -> list[str]:
    """The grades in use, lowest first. Until an administrator has written the
    organisation's own list, the portal's defaults (the same as the migration seeds)."""
    names = db.session.scalars(select(Grade.name).where(Grade.in_use.is_(True))
                               .order_by(Grade.position, Grade.name)).all()
    if names:
        return list(names)
    if db.session.scalar(select(Grade.id).limit(1)) is None:
        return list(DEFAULT_GRADES)
    return []


def in_list_order(names) -> list[str]:
    """Grades as the list orders them ("Band 2" before "Band 10"), any no longer on
    the list after them in alphabetical order."""
    order = {name: n for n, name in enumerate(grade_names())}
    return sorted(set(names), key=lambda name: (order.get(name, len(order)), name))


def grade_errors(changes: dict, current: str | None, current_pool: list[str]) -> dict:
    """A grade, and a restricted pool's grades, must come from the list; a grade the
    opportunity already has stays acceptable, so an older one can be kept."""
    names = set(grade_names())
    errors = {}
    grade = changes.get("grade")
    if grade and grade not in names and grade != current:
        errors["grade"] = "Select a grade from the list"
    pool = changes.get("pool_grades")
    if isinstance(pool, list) and any(g not in names and g not in current_pool for g in pool):
        errors["pool_grades"] = "Select the grades in the pool from the list"
    return errors
