"""One projection class per read model. Each writes its rows inside the batch transaction that also
commits the stream position (see shared.stream_consumer), so a read model is never ahead of or
behind its position."""
