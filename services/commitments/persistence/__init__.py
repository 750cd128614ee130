"""Storage adapters: the signing key and mapper, the trusted snapshots and the recorders (PostgreSQL and
in-memory). The stored form itself (transcodings, signed records) is the domain's."""
