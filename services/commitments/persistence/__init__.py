"""Storage adapters: transcodings, the signing mapper and the recorders (PostgreSQL and in-memory)."""
