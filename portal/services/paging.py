"""One page of a list, and how many pages the whole list has."""

from dataclasses import dataclass


@dataclass
class ResultPage:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def past_the_end(self) -> bool:
        """A page number beyond the last page of a list that has results: the page says
        there are no more and links to the last, rather than a count over nothing."""
        return self.total > 0 and self.page > self.pages


def page_window(page: int, pages: int) -> list[int | None]:
    """The page numbers a pagination shows: the first and the last, the current page
    and those either side, with None for the ellipsis where two or more are left out
    (and the lone number where just one is). Reads a handful of numbers whatever the
    number of pages."""
    shown = sorted({1, pages, *range(max(1, page - 1), min(pages, page + 1) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - window[-1] == 2:
            window.append(number - 1)
        elif window and number - window[-1] > 2:
            window.append(None)
        window.append(number)
    return window
