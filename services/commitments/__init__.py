"""Commitments service: the write side. Tasks of the annual program as event-sourced aggregates."""
