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
