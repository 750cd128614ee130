"""A standard transparency log over the events (C2SP tlog-checkpoint, signed-note, tlog-tiles, tlog-witness,
tlog-cosignature), beside the audit's own hash chain.

The modules without SQL or HTTP (`entry`, `tree`, `tiles`, `note`, `checkpoint`, `cosign`, `witness_state`)
are pure; `store`, `hook`, `routes`, `witness_client` and `witness_server` are the adapters.
"""
