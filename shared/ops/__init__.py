"""The operator's view of a running system (`camket status`, `camket config`, consumer replays):
what each service registers, and the pieces they share (lease holders, consumer positions)."""
