"""The pure domain of commitments: no framework, no I/O (only eventsourcing.domain and shared's pure helpers)."""
