"""Working days (R9): due dates of checklist items count working days from the start
date, skipping weekends and the bank holidays of the placement's UK nation.

The holidays come from govuk-bank-holidays' cached list, read once and never fetched at
run time (it works offline; the list runs to the end of 2028, after which only weekends
are skipped).
"""

from datetime import date, timedelta
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays

from portal.models.onboarding import Nation

DEFAULT_NATION = Nation.ENGLAND_AND_WALES


@cache
def bank_holidays(nation: str) -> frozenset[date]:
    if nation == Nation.ABROAD:
        return frozenset()   # no UK bank holidays: only weekends are skipped
    division = nation if nation in {n.value for n in Nation} else DEFAULT_NATION.value
    return frozenset(h["date"] for h in BankHolidays(use_cached_holidays=True).get_holidays(
        division=division))


def is_working_day(day: date, nation: str = DEFAULT_NATION) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(nation)


def working_days_from(start: date, offset: int, nation: str = DEFAULT_NATION) -> date:
    """The day `offset` working days after `start` (before it when negative). Offset 0
    is the start date itself, or the first working day after it when the start falls on
    a weekend or a bank holiday."""
    step = timedelta(days=1 if offset >= 0 else -1)
    day = start
    if offset == 0:
        while not is_working_day(day, nation):
            day += step
        return day
    remaining = abs(offset)
    while remaining:
        day += step
        if is_working_day(day, nation):
            remaining -= 1
    return day


def working_days_between(first: date, last: date, nation: str = DEFAULT_NATION) -> int:
    """How many working days after `first` `last` is (0 when it is the same day or
    earlier): "due within 5 working days"."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            count += 1
    return count
