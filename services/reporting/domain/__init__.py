"""Pure rules of the reporting side: the task events as this service reads them (its own types, not the
wire contract), a task's facts folded from them, target arithmetic, the pace forecast, status counts.
No I/O, no framework."""
