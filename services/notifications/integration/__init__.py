"""The service's edges: the alert contract and its stream, webhooks, e-mail."""
