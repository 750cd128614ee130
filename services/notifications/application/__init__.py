"""Use cases of the notifications service: project events, tick the rules, deliver, compose digests."""
