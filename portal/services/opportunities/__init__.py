"""Secondment opportunities, one module per concern: the rules for advertising them
fairly (R1, R2, R3, R6, R12), who may do what with them, their life from draft to filled,
the Resources Board's business case, and the lists they appear in.

Every state change goes through the workflow engine (portal/workflow.py). Callers use
the names gathered here.
"""

from portal.services.errors import RuleError, StaleRecord
from portal.services.opportunities.access import (
    available_actions,
    is_for_partners,
    is_selector,
    may_act,
    may_create,
    may_decide_case,
    may_manage,
    may_view,
    on_partner_page,
)
from portal.services.opportunities.board import (
    PER_PAGE,
    BoardFilters,
    board,
    cases_awaiting_decision,
    feed_items,
    filter_choices,
    managed_by,
    managed_counts,
    open_count,
    partner_advert,
    partner_feed_items,
    partner_opportunities,
)
from portal.services.opportunities.business_cases import (
    decide_business_case,
    submit_business_case,
)
from portal.services.opportunities.drafting import (
    SECTION_TITLES,
    TaskStatus,
    drafting_tasks,
    section_problems,
)
from portal.services.opportunities.lifecycle import (
    close_early,
    create_draft,
    draft_errors,
    extend_closing_date,
    mark_filled,
    publish,
    update_draft,
    withdraw,
)
from portal.services.opportunities.rules import (
    EDITABLE_FIELDS,
    REASON_NEEDED_AFTER_MONTHS,
    board_approval_reasons,
    closing_in_words,
    display_status,
    is_open,
    london_today,
    publication_problems,
    rule_problems,
    section_errors,
)
from portal.services.paging import ResultPage

__all__ = [
    "EDITABLE_FIELDS",
    "PER_PAGE",
    "REASON_NEEDED_AFTER_MONTHS",
    "SECTION_TITLES",
    "BoardFilters",
    "ResultPage",
    "RuleError",
    "StaleRecord",
    "TaskStatus",
    "available_actions",
    "board",
    "board_approval_reasons",
    "cases_awaiting_decision",
    "close_early",
    "closing_in_words",
    "create_draft",
    "decide_business_case",
    "display_status",
    "draft_errors",
    "drafting_tasks",
    "extend_closing_date",
    "feed_items",
    "filter_choices",
    "is_for_partners",
    "is_open",
    "is_selector",
    "london_today",
    "managed_by",
    "managed_counts",
    "mark_filled",
    "open_count",
    "may_act",
    "may_create",
    "may_decide_case",
    "may_manage",
    "may_view",
    "on_partner_page",
    "partner_advert",
    "partner_feed_items",
    "partner_opportunities",
    "publication_problems",
    "publish",
    "rule_problems",
    "section_errors",
    "section_problems",
    "submit_business_case",
    "update_draft",
    "withdraw",
]
