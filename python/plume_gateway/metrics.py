"""The gateway's Prometheus metrics (``/metrics``), in a registry of its own per app: counts
and durations only, never a text or a key. Nothing is measured per streamed chunk."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

ROUTES = ("models", "chat", "embeddings")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "plume_gateway_requests", "Requests answered, by route and HTTP status.", ["route", "status"], registry=self.registry
        )
        self.duration = Histogram(
            "plume_gateway_request_seconds", "Time to answer a request (a stream: until its end).", ["route"],
            registry=self.registry, buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
        )  # fmt: skip
        self.streams = Gauge("plume_gateway_active_streams", "Streamed answers under way.", registry=self.registry)
        self.masked = Counter(
            "plume_gateway_masked_values", "Distinct values pseudonymised, summed over requests.", registry=self.registry
        )
        self.prevented = Counter(
            "plume_gateway_prevented",
            "Requests the door's last check stopped (personal data still in the body).",
            registry=self.registry,
        )
        self.upstream_errors = Counter(
            "plume_gateway_upstream_errors", "Upstream failures, by kind.", ["kind"], registry=self.registry
        )
        self.rejected = Counter(
            "plume_gateway_rejected", "Requests refused before the upstream: bad key, rate limit, model not allowed...",
            ["reason"], registry=self.registry,
        )  # fmt: skip

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
