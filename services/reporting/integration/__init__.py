"""The reporting side of the event stream: the stream consumer's handler and one projection per read model."""
