"""The business rules more than one service applies, each written once, pure (no framework, no I/O).

Each rule has one home and one table of golden cases (tests/unit/rules/):

- status and its inputs (started, awaiting confirmation, on time): `shared.status`
- pace ("Có nguy cơ chậm", the behind-pace alert): `shared.rules.pace`
- counts, completion and on-time rates, who counts as exceeding: `shared.rules.rates`
- targets (met, share reached, over-achievement): `shared.rules.targets`
- the year-end evaluation of units (counts, shares, ranking, the stated rule): `shared.rules.evaluation`
- briefing windows and what each briefing section holds: `shared.rules.briefings`
- how a deadline is worded (a task without one: "cả năm", due 31/12): `shared.rules.deadlines`
- period bounds, deadline ends and the Roman numerals of quarters: `shared.periods`
- Vietnamese dates, numbers and quantities: `shared.vn`
"""
