"""The soak's table over time (one row a minute) and its verdicts, from the samples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.bench_audit import _percentile as percentile
from bench.soak.load import Recorder
from bench.trend import MIB, Trend, lag_trend, memory_trend


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the load started
    rss: dict[str, int]  # service → bytes (its process tree)
    lags: dict[str, int]  # consumer → events on the stream after its committed position
    load: float  # 1-minute load average


def table(samples: Sequence[Sample], recorder: Recorder, kinds: Sequence[str], every: float = 60) -> str:
    services, consumers = list(samples[0].rss), list(samples[0].lags)
    head = ["min", *[f"{s} MiB" for s in services], *[f"{c} lag" for c in consumers],
            *[f"{k} p50/p99 ms" for k in kinds], "errors", "load"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    start = 0.0
    while start < samples[-1].at:
        inside = [s for s in samples if start <= s.at < start + every] or [samples[-1]]
        last = inside[-1]
        window = recorder.window(start, start + every)
        latencies = [_p50_p99(window.get(k, ([], 0))[0]) for k in kinds]
        errors = sum(failed for _, failed in window.values())
        lines.append("| " + " | ".join([f"{(start + every) / 60:.0f}",
                                        *[f"{last.rss[s] / MIB:,.0f}" for s in services],
                                        *[f"{max(x.lags[c] for x in inside):,}" for c in consumers],
                                        *latencies, str(errors), f"{last.load:.1f}"]) + " |")
        start += every
    return "\n".join(lines)


def _p50_p99(values: list[float]) -> str:
    return f"{percentile(values, 0.5):.0f}/{percentile(values, 0.99):.0f}" if values else "—"


def memory_verdicts(samples: Sequence[Sample]) -> dict[str, Trend]:
    return {name: memory_trend([(s.at, float(s.rss[name])) for s in samples]) for name in samples[0].rss}


def lag_verdicts(samples: Sequence[Sample]) -> dict[str, Trend]:
    return {name: lag_trend([(s.at, float(s.lags[name])) for s in samples]) for name in samples[0].lags}
