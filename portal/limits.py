"""How long each kind of free text may be: one number per purpose, used both by the
column that stores it (so the database refuses what a form let through) and by the form
that asks for it (so the person sees the limit next to the field, before submitting)."""

# A name: a person's, an organisation's, a title.
NAME = 200
# A line of an advert: location, hours, grades in a pool.
LINE = 200
# The summary shown on the board.
SUMMARY = 500
# A reason given for an action: extending, closing early, withdrawing, a longer
# duration, a restricted pool, a decision on a business case, an action taken on a
# declared conflict.
REASON = 2_000
# An answer to a question that asks for a considered reply: an application's answers,
# a business case's sections, the grounds of an appeal, a decision's rationale, an
# assessment, the terms of an offer, eligibility and skills sought.
ANSWER = 6_000
# The full description of a role on its advert.
DESCRIPTION = 10_000
