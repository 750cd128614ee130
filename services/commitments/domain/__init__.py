"""The pure domain of commitments: no framework, no I/O (eventsourcing.domain, the library's pure encoding
types for the stored form, Ed25519 for signed records, and shared's pure helpers)."""
