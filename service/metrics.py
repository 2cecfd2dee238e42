"""Prometheus metrics, read from the engine's counters at scrape time.

A collector per app (its own CollectorRegistry), so two apps in one process
never share numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from .runtime import Runtime

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class EngineCollector(Collector):
    def __init__(self, runtime: Callable[[], Runtime | None]) -> None:
        self._runtime = runtime

    def collect(self) -> Iterator[Metric]:
        rt = self._runtime()
        if rt is None:
            return
        m = rt.manager
        stats = m.stats
        rate = rt.manager.output_info.get("sample_rate", rt.settings.sample_rate)
        block = rt.manager.output_info.get("block_size", rt.settings.block_size)
        budget = block / rate
        yield CounterMetricFamily("mixdeck_callbacks", "Audio blocks rendered.", value=stats.callbacks)
        yield CounterMetricFamily(
            "mixdeck_underflows", "Blocks the device needed before they were ready.", value=stats.underflows
        )
        yield CounterMetricFamily(
            "mixdeck_late_blocks", "Blocks that took longer to render than they last.", value=stats.late_blocks
        )
        yield GaugeMetricFamily(
            "mixdeck_load", "Render time of the last block over its real-time budget.", value=stats.last_load
        )
        yield GaugeMetricFamily("mixdeck_max_load", "Highest block load since start.", value=stats.max_load)
        yield _render_histogram(stats, budget)
        yield GaugeMetricFamily(
            "mixdeck_command_queue_depth", "Commands waiting for the audio thread.", value=m.command_queue_depth
        )
        yield GaugeMetricFamily(
            "mixdeck_command_queue_capacity", "Size of the command queue.", value=m.command_capacity
        )
        yield GaugeMetricFamily("mixdeck_voices", "Voices (playing sounds) the service tracks.", value=len(rt.voices))
        yield GaugeMetricFamily("mixdeck_sounds", "Sounds in the library.", value=len(rt.sounds))
        yield GaugeMetricFamily("mixdeck_websocket_clients", "Connected WebSocket clients.", value=rt.ws_clients)
        yield CounterMetricFamily(
            "mixdeck_audio_process_restarts",
            "Times the audio process died or stalled and was replaced.",
            value=m.restarts,
        )
        yield _latency_histogram(stats)


def _render_histogram(stats: object, budget: float) -> HistogramMetricFamily:
    """Block render time in seconds; the engine's buckets are fractions of the block budget."""
    buckets = []
    cumulative = 0
    pairs = stats.load_histogram  # type: ignore[attr-defined]
    # OutputStats keeps counts per bucket with edges in base.LOAD_BUCKETS; snapshot() pairs them.
    if pairs and not isinstance(pairs[0], (tuple, list)):
        from mixdeck.engine.output.base import LOAD_BUCKETS

        pairs = list(zip(LOAD_BUCKETS, pairs))
    for edge, count in pairs:
        cumulative += int(count)
        label = "+Inf" if edge == float("inf") else repr(float(edge) * budget)
        buckets.append((label, cumulative))
    if not buckets or buckets[-1][0] != "+Inf":
        buckets.append(("+Inf", cumulative))
    return HistogramMetricFamily(
        "mixdeck_block_render_seconds",
        "Time to render one block, in seconds.",
        buckets=buckets,
        sum_value=float(stats.render_seconds_total),  # type: ignore[attr-defined]
    )


def _latency_histogram(stats: object) -> HistogramMetricFamily:
    """How long commands waited between the send and the block that applied them, in seconds."""
    buckets = []
    cumulative = 0
    for edge, count in stats.latency_histogram:  # type: ignore[attr-defined]
        cumulative += int(count)
        buckets.append(("+Inf" if edge == float("inf") else repr(float(edge)), cumulative))
    return HistogramMetricFamily(
        "mixdeck_command_latency_seconds",
        "Time from a command's send to the start of the audio block that applied it, in seconds.",
        buckets=buckets,
        sum_value=float(stats.latency_seconds_total),  # type: ignore[attr-defined]
    )


def build_registry(runtime: Callable[[], Runtime | None]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(EngineCollector(runtime))
    return registry


def render(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
