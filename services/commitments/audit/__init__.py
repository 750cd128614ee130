"""Audit for the Inspectorate (Thanh tra): tamper evidence, point-in-time views, bundles, access log.

- A sealer (`camket audit sealer`) follows the events table in notification order, checks each row's
  service signature, and appends one leaf per row to a Merkle tree (RFC 9162 hashing); at intervals
  it signs the tree's head (a checkpoint) with a key kept outside the database and publishes it on
  NATS, where other systems keep copies.
- `verify` recomputes the tree from the stored rows and reports the first position where the log
  was edited, deleted, inserted into or reordered, or no longer matches a published checkpoint.
- A bundle is an export of a task's, a unit's or the whole program's events with their inclusion
  proofs and the signed checkpoints; `verify-bundle` checks it offline with the public key alone.
- The audit views (history with diffs, state as recorded at an instant or as reported for a period,
  the program's figures on a past day, search of changes) record who read what.
"""
