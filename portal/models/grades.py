"""The organisation's list of grades (reference data): what an opportunity's grade and
a restricted pool's grades are chosen from, so that the board's grade filter, the pool
and the staff records all speak of the same grades."""

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

# The list a new deployment starts with (migration 0012 writes the same rows): the
# banded structure the staff records from the HR export already use ("Band 6"), from
# the lowest band an opportunity is offered at to the directors.
DEFAULT_GRADES = [*(f"Band {n}" for n in range(1, 10)), "Head of service", "Director"]


class Grade(db.Model):
    __tablename__ = "grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    # Lowest first: the order of the select, the checkboxes and the board's filter.
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A grade no longer used is kept for the records that name it, not offered again.
    in_use: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<Grade {self.name!r}>"
