"""The process's Prometheus metrics: what is counted as it happens (HTTP requests) and what is read
at scrape time from the parts that know it (consumers, publisher, sealer), by named sources.

One registry per process (prometheus-client's default, with its process and platform collectors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import Metric
from prometheus_client.registry import Collector

HTTP_REQUESTS = Counter("camket_http_requests", "HTTP requests answered",
                        ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram("camket_http_request_duration_seconds", "Time to answer an HTTP request",
                         ["service", "method", "route"],
                         buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))


class Sources(Collector):
    """Metric families produced by callables, each under a name (a later one replaces it)."""

    def __init__(self) -> None:
        self._sources: dict[str, Callable[[], Iterable[Metric]]] = {}

    def add(self, name: str, source: Callable[[], Iterable[Metric]]) -> None:
        self._sources[name] = source

    def remove(self, name: str) -> None:
        self._sources.pop(name, None)

    def collect(self) -> Iterator[Metric]:
        merged: dict[str, Metric] = {}
        for source in list(self._sources.values()):
            for family in source():
                if family.name in merged:  # two consumers in one process: one family, two label sets
                    merged[family.name].samples.extend(family.samples)
                else:
                    merged[family.name] = family
        yield from merged.values()

    def describe(self) -> Iterator[Metric]:
        return iter(())  # families vary with the sources: no fixed description to check against


SOURCES = Sources()
REGISTRY.register(SOURCES)


def exposition() -> tuple[bytes, str]:
    """The text format (and its content type) of everything registered."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
