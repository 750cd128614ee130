"""The publisher: the commitments event store's notification log → the public NATS JetStream stream.

- `service`: the loop (connect, reconcile, follow, settle), its failure handling and backoff;
- `log`: reading the log in order, and why no event can be skipped (the table lock);
- `windows`: pipelined publishing that keeps the stream gap-free and in order;
- `reconcile`: where the stream ends, so a restart neither skips nor repeats;
- `outgoing`, `states`, `traces`, `position`, `waker`, `link`: the parts.
"""
