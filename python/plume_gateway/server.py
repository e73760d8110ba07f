"""Serving the app with uvicorn: JSON logs, SIGHUP reloads the configuration file (a bad new
file keeps the running configuration and says why), SIGTERM and Ctrl+C stop accepting
connections and let running streams finish for up to ``shutdown_seconds``.

Several workers or instances can run behind any load balancer: the service keeps no state
between requests (rate limits are per process)."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Mapping
from pathlib import Path

import uvicorn

from . import config as configuration
from .app import Gateway, State, build_app
from .config import GatewayConfig
from .logs import configure, log


def serve(config: GatewayConfig, path: Path | None, environ: Mapping[str, str]) -> None:
    """Run until stopped. ``path``: the file SIGHUP reads again (None: nothing to reload)."""
    configure()
    gateway = Gateway(State.open(config))
    app = build_app(gateway)
    server = uvicorn.Server(
        uvicorn.Config(
            app, host=config.host, port=config.port, log_config=None, access_log=False, lifespan="off",
            timeout_graceful_shutdown=round(config.shutdown_seconds), server_header=False, proxy_headers=False,
        )
    )  # fmt: skip

    async def reload() -> None:
        if path is None:
            log(logging.WARNING, "SIGHUP ignored: no configuration file to read again")
            return
        try:
            new = configuration.load(path, environ)
            await gateway.reload(new)
        except configuration.ConfigError as error:
            for problem in error.problems:
                log(logging.ERROR, "new configuration refused, the running one stays", problem=problem)
            return
        if (new.host, new.port) != (config.host, config.port):
            log(logging.WARNING, "host and port change only with a restart", host=config.host, port=config.port)
        log(logging.INFO, "configuration reloaded", source=new.source, keys=len(new.keys))

    def stopping(signum: int, frame: object) -> None:
        # uvicorn handles SIGTERM itself, then raises it again once the streams finished: this
        # handler makes that second one a clean exit (0) instead of a death by the signal.
        log(logging.INFO, "stopped on a signal, after the running streams finished", signal=signum)

    async def main() -> None:
        signal.signal(signal.SIGTERM, stopping)
        loop = asyncio.get_running_loop()
        reloads: set[asyncio.Task[None]] = set()  # held: the loop keeps only weak references to tasks

        def on_hangup() -> None:
            task = loop.create_task(reload())
            reloads.add(task)
            task.add_done_callback(reloads.discard)

        loop.add_signal_handler(signal.SIGHUP, on_hangup)
        upstream = gateway.state.door.route.describe()
        log(logging.INFO, "gateway started", host=config.host, port=config.port, upstream=upstream,
            policy=gateway.state.door.decision.action, keys=len(config.keys), source=config.source)  # fmt: skip
        try:
            await server.serve()
        finally:
            await gateway.close()
            log(logging.INFO, "gateway stopped")

    asyncio.run(main())
