"""Pure rules of the reporting side: a task's facts folded from its events, target arithmetic, the
pace forecast, status counts, briefing windows and the year-end evaluation rule. No I/O."""
