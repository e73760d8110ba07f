"""The ASGI application: the OpenAI API as Collabora Online calls it, in front of one upstream.

Routes: ``GET /v1/models``, ``POST /v1/chat/completions`` (streamed or not), ``POST
/v1/embeddings``, ``GET /healthz`` (the process answers), ``GET /readyz`` (the upstream answers
through the door), ``GET /metrics`` (Prometheus). ``/v1/v1/...`` is read as ``/v1/...``: Collabora
appends ``/v1`` to the base URL it is given, and an admin who types the URL with ``/v1``
(CollaboraOnline/online#16001) still reaches the gateway.

Every upstream request goes through Plume's door (:mod:`plume.egress.door`), opened once per
configuration (destination and route checked then) and copied per request
(:meth:`~plume.egress.door.Door.conversation`): its own mapping, the same rules. A few
``httpx.AsyncClient`` per configuration, taken in turn, carry every request (connections are
reused; no thread per request or stream).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from plume.audit import AuditEntry, AuditLog
from plume.egress.door import OFF_LOOP_BYTES, Door
from plume.errors import PlumeError, SettingsError

from . import errors
from .actions import PREFIX, ActionRequestError, action_request, offered
from .config import ConfigError, GatewayConfig
from .conversation import StreamRestoring, Unprotectable, answer_chars, protect_request, restore_message
from .keys import ANONYMOUS, Key, KeyRing, RateLimiter
from .logs import log
from .metrics import Metrics

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
T = TypeVar("T")


# The upstream connections are spread over several clients: httpcore's pool looks at every
# connection it holds, some twice over, each time a request starts or ends, so one pool of
# hundreds of connections costs milliseconds a request at a few hundred streams
# (benchmarks/gateway.py). Requests take the clients in turn.
_POOLS = 8
_POOL_CONNECTIONS = 125  # 1000 in all
_POOL_KEEPALIVE = 25  # 200 in all


@dataclass
class State:
    """Everything one configuration gives: replaced whole on reload, never changed in place."""

    config: GatewayConfig
    door: Door
    clients: tuple[httpx.AsyncClient, ...]
    keys: KeyRing
    virtual: dict[str, Any]
    audit: AuditLog
    active: int = 0  # requests using this state's clients: they are closed when the last one ends
    retired: bool = False
    limiter: RateLimiter = field(default_factory=RateLimiter)
    _turn: Iterator[int] = field(default_factory=itertools.count)

    @classmethod
    def open(cls, config: GatewayConfig, transport: httpx.AsyncBaseTransport | None = None) -> State:
        """Raises :class:`ConfigError` when the door refuses the upstream (not approved,
        blocked by the policy): nothing is sent then."""
        try:
            door = Door(config.settings, config.api_key, transport=transport)
        except (PlumeError, SettingsError) as error:
            problems = error.problems if isinstance(error, SettingsError) else [str(error)]
            raise ConfigError([f"upstream {config.settings.host or config.settings.base_url}: {p}" for p in problems]) from None
        limits = httpx.Limits(max_connections=_POOL_CONNECTIONS, max_keepalive_connections=_POOL_KEEPALIVE)
        clients = tuple(door.build_async(limits=limits) for _ in range(_POOLS))
        virtual: dict[str, Any] = offered(config.settings) if config.actions else {}
        return cls(
            config, door, clients, KeyRing(config.keys), virtual, AuditLog(config.audit_log, config.settings.audit_max_kb * 1024)
        )

    @property
    def client(self) -> httpx.AsyncClient:
        """The client for one upstream request (in turn: see :data:`_POOLS`)."""
        return self.clients[next(self._turn) % len(self.clients)]

    async def aclose(self) -> None:
        for client in self.clients:
            await client.aclose()

    def upstream_allows(self, model: str) -> bool:
        allowed = self.config.upstream_models
        return not allowed or model in allowed

    async def release(self) -> None:
        self.active -= 1
        if self.retired and self.active == 0:
            await self.aclose()


class Gateway:
    """The app's current :class:`State`, and its replacement on reload."""

    def __init__(self, state: State, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.state = state
        self.metrics = Metrics()
        self._transport = transport

    async def reload(self, config: GatewayConfig) -> None:
        """Swap in ``config`` (already validated); requests under way finish with the old one."""
        old, self.state = self.state, State.open(config, self._transport)
        old.retired = True
        if old.active == 0:
            await old.aclose()

    async def close(self) -> None:
        self.state.retired = True
        if self.state.active == 0:
            await self.state.aclose()


# --- access -------------------------------------------------------------------------------


_LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def _local_host(value: str) -> bool:
    """Whether a Host or Origin header names this computer."""
    try:
        return urlsplit(value if "//" in value else "//" + value).hostname in _LOCAL_NAMES
    except ValueError:
        return False


def _authorize(gateway: Gateway, state: State, request: Request, route: str) -> Key | Response:
    if not state.config.require_key:
        # No key: loopback, for one user. A web page the user visits must not use it: a form
        # posts without preflight (its Origin is foreign), a page re-bound to 127.0.0.1 by
        # DNS reads the answers (its Host is its own domain).
        origin = request.headers.get("origin")
        if not _local_host(request.headers.get("host", "")) or (origin is not None and not _local_host(origin)):
            gateway.metrics.rejected.labels("origin").inc()
            return errors.response(403, "without a key, the gateway answers only this computer's own clients", "local_only")
        return ANONYMOUS
    key = state.keys.find(request.headers.get("authorization", ""))
    if key is None:
        gateway.metrics.rejected.labels("key").inc()
        return errors.response(401, "missing or wrong API key (Authorization: Bearer <key>)", "invalid_api_key")
    wait = state.limiter.allow(key)
    if wait:
        gateway.metrics.rejected.labels("rate").inc()
        return errors.response(
            429, f"rate limit of {key.requests_per_minute} requests per minute reached for this key", "rate_limit_exceeded",
            headers={"Retry-After": str(max(1, round(wait)))},
        )  # fmt: skip
    return key


async def _json_body(request: Request, limit: int, deadline: float) -> dict[str, Any] | Response:
    """The request's JSON object, or the error to answer. The whole body must come within
    ``deadline`` seconds: a client trickling it (slowloris) would hold its request for ever."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return errors.response(413, f"request larger than {limit // 1024} KB", "request_too_large")
    chunks, size = [], 0
    with anyio.move_on_after(deadline) as waiting:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return errors.response(413, f"request larger than {limit // 1024} KB", "request_too_large")
            chunks.append(chunk)
    if waiting.cancelled_caught:
        return errors.response(408, f"the request body did not arrive within {deadline:g} s", "request_timeout")
    request.state.body_bytes = size  # how the shield's work on it is run (see _shielded)
    try:
        value = json.loads(b"".join(chunks))
    except (ValueError, RecursionError):
        return errors.response(400, "the body is not valid JSON", "invalid_json")
    if not isinstance(value, dict):
        return errors.response(400, "the body must be a JSON object", "invalid_json")
    return value


async def _shielded(request: Request, work: Callable[[], T]) -> T:
    """``work`` (the shield reading the request) run here for a small body, in a worker
    thread for a large one: the event loop keeps serving every other stream meanwhile."""
    if getattr(request.state, "body_bytes", 0) <= OFF_LOOP_BYTES:
        return work()
    return await anyio.to_thread.run_sync(work)


# --- routes -------------------------------------------------------------------------------


def build_app(gateway: Gateway) -> ASGIApp:
    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        state = gateway.state
        try:
            await _upstream_models(state)
        except Exception as error:
            log(logging.WARNING, "upstream not ready", error=type(error).__name__)
            return JSONResponse({"status": "unavailable", "upstream": state.door.route.host}, status_code=503)
        return JSONResponse({"status": "ready", "upstream": state.door.route.host})

    async def metrics(request: Request) -> Response:
        return Response(gateway.metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")

    async def models(request: Request) -> Response:
        return await _counted(gateway, "models", request, _models)

    async def chat(request: Request) -> Response:
        return await _counted(gateway, "chat", request, _chat)

    async def embeddings(request: Request) -> Response:
        return await _counted(gateway, "embeddings", request, _embeddings)

    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
    ]
    for prefix in ("/v1", "/v1/v1"):
        routes += [
            Route(f"{prefix}/models", models),
            Route(f"{prefix}/chat/completions", chat, methods=["POST"]),
            Route(f"{prefix}/embeddings", embeddings, methods=["POST"]),
        ]
    app = Starlette(routes=routes)
    app.state.gateway = gateway
    return Cors(app, gateway)


Handler = Callable[[Gateway, State, Key, Request], Awaitable[Response]]


async def _counted(gateway: Gateway, route: str, request: Request, handler: Handler) -> Response:
    """Authorise, run ``handler`` with the current state held, count and log the answer (a
    stream is counted by its own end)."""
    started = time.perf_counter()
    state = gateway.state
    state.active += 1
    held = True
    try:
        key = _authorize(gateway, state, request, route)
        if isinstance(key, Response):
            response: Response = key
        else:
            response = await handler(gateway, state, key, request)
        if isinstance(response, StreamingResponse):
            held = False  # the stream releases the state when it ends
            return response
        gateway.metrics.requests.labels(route, str(response.status_code)).inc()
        gateway.metrics.duration.labels(route).observe(time.perf_counter() - started)
        log(logging.INFO, "request", route=route, status=response.status_code,
            key=key.name if isinstance(key, Key) else None, ms=round((time.perf_counter() - started) * 1000, 2))  # fmt: skip
        return response
    finally:
        if held:
            await state.release()


async def _upstream_models(state: State) -> list[dict[str, Any]]:
    door = state.door.conversation()
    client = state.client
    request = client.build_request("GET", state.config.api_root + "/models")
    response = await door.send_async(client, request)
    try:
        await response.aread()
    finally:
        await response.aclose()
    if response.status_code != 200:
        raise httpx.HTTPStatusError("model list", request=request, response=response)
    data = json.loads(response.content).get("data", [])
    if not isinstance(data, list):
        raise ValueError("unexpected model list")
    return [item for item in data if isinstance(item, dict) and isinstance(item.get("id"), str)]


async def _models(gateway: Gateway, state: State, key: Key, request: Request) -> Response:
    try:
        upstream = await _upstream_models(state)
    except Exception as error:
        status, message, code = errors.classify(error) if not isinstance(error, httpx.HTTPStatusError) else (
            errors.upstream_status(error.response.status_code, "model list"))  # fmt: skip
        gateway.metrics.upstream_errors.labels(code).inc()
        return errors.response(status, message, code)
    data = [item for item in upstream if state.upstream_allows(item["id"]) and key.allows(item["id"])]
    data += [{"id": name, "object": "model", "created": 0, "owned_by": "plume"} for name in state.virtual if key.allows(name)]
    return JSONResponse({"object": "list", "data": data})


# A model name is an identifier ("mistralai/Mistral-Small-3.2", "llama3.1:8b", a .gguf path):
# any other text would reach the upstream unprotected and the audit, which holds no text.
_MODEL_NAME = re.compile(r"[A-Za-z0-9._:/@+=\-]{1,200}")


def _model_refusal(gateway: Gateway, state: State, key: Key, model: Any) -> Response | None:
    if not isinstance(model, str) or not model:
        return errors.response(400, "model is missing", "model_missing")
    if not _MODEL_NAME.fullmatch(model):
        gateway.metrics.rejected.labels("model").inc()
        return errors.response(404, "the model named is no model identifier", "model_not_found")
    known = model in state.virtual if model.startswith(PREFIX) else state.upstream_allows(model)
    if not known or not key.allows(model):
        gateway.metrics.rejected.labels("model").inc()
        return errors.response(404, f"the model {model!r} does not exist or this key may not use it", "model_not_found")
    return None


async def _chat(gateway: Gateway, state: State, key: Key, request: Request) -> Response:
    started = time.perf_counter()
    body = await _json_body(request, state.config.max_body_bytes, state.config.settings.read_timeout)
    if isinstance(body, Response):
        return body
    model = body.get("model")
    refusal = _model_refusal(gateway, state, key, model)
    if refusal is not None:
        return refusal
    action = state.virtual.get(str(model))
    try:
        upstream_body = action_request(action, state.config.settings, body) if action is not None else body
        door = state.door.conversation()
        sent = await _shielded(request, lambda: protect_request(door, upstream_body))
    except (ActionRequestError, Unprotectable) as error:
        return errors.response(400, str(error), "invalid_request")
    except RecursionError:  # JSON nested deeper than anything a conversation needs
        return errors.response(400, "the request is nested too deeply", "invalid_request")
    except PlumeError as error:  # the detectors refused the text (none today): never half-sent
        return errors.response(400, str(error), "invalid_request")
    audit = _Audit(state, key, str(model), action.id if action is not None else "chat", door, started, _input_chars(body))
    stream = bool(body.get("stream"))
    try:
        client = state.client
        upstream_request = client.build_request("POST", state.config.api_root + "/chat/completions", json=sent)
        response = await door.send_async(client, upstream_request)
    except Exception as error:
        return _failed(gateway, audit, error)
    if response.status_code != 200:
        detail = await _upstream_detail(response)
        status, message, code = errors.upstream_status(response.status_code, detail)
        gateway.metrics.upstream_errors.labels(code).inc()
        audit.record("error", 0)
        return errors.response(status, message, code)
    is_sse = "text/event-stream" in response.headers.get("content-type", "")
    if stream:
        gateway.metrics.streams.inc()
        run = _Run(gateway, state, door, response, audit, is_sse, started)
        return _Stream(run, _stream(run))
    try:
        if is_sse:
            raise ValueError("a stream came back for a request that asked for none")
        completion = json.loads(await response.aread())
        if not isinstance(completion, dict):
            raise ValueError("the completion is not a JSON object")
        chars = (
            restore_message(door.mapping, completion)
            if door.mapping is not None and door.mapping.values
            else answer_chars(completion)
        )
    except Exception as error:
        return _failed(gateway, audit, error)
    finally:
        await response.aclose()
    audit.record("done", chars)
    return JSONResponse(completion)


def _failed(gateway: Gateway, audit: _Audit, error: BaseException) -> Response:
    status, message, code = errors.classify(error)
    if code == "plume_leak_prevented":
        gateway.metrics.prevented.inc()
    else:
        gateway.metrics.upstream_errors.labels(code).inc()
    if status == 500:
        log(logging.ERROR, "internal error", error=f"{type(error).__name__}")
    audit.record("error", 0)
    return errors.response(status, message, code)


async def _upstream_detail(response: httpx.Response) -> str:
    try:
        raw = await response.aread()
    except Exception:
        return ""
    finally:
        await response.aclose()
    try:
        error = json.loads(raw).get("error", "")
        return str(error.get("message", "") if isinstance(error, dict) else error)[:300]
    except (ValueError, AttributeError):
        return ""


@dataclass
class _Run:
    """One streamed answer: what its events say, and what closes it."""

    gateway: Gateway
    state: State
    door: Door
    response: httpx.Response
    audit: _Audit
    is_sse: bool
    started: float
    outcome: str = "error"
    chars: int = 0
    restoring: StreamRestoring | None = None
    rest: AsyncIterator[str] | None = None  # after [DONE]: what is left of the upstream's reply

    async def close(self) -> None:
        """The upstream request closed, the stream counted, audited and logged: once, whether
        the stream ended, failed, or the client left before or while it ran."""
        if self.rest is not None:
            await _drain(self.rest)
        await self.response.aclose()
        if self.restoring is not None and self.is_sse:
            self.chars = self.restoring.chars
        metrics, elapsed = self.gateway.metrics, time.perf_counter() - self.started
        metrics.streams.dec()
        metrics.requests.labels("chat", "200").inc()
        metrics.duration.labels("chat").observe(elapsed)
        self.audit.record(self.outcome, self.chars)
        log(logging.INFO, "request", route="chat", status=200, stream=True, outcome=self.outcome, key=self.audit.key.name,
            ms=round(elapsed * 1000, 2))  # fmt: skip
        await self.state.release()


class _Stream(StreamingResponse):
    """An SSE response that closes its run however the response ends: a client that leaves
    before the first event cancels the stream before its generator ever starts, so the
    generator's own ``finally`` cannot be relied upon."""

    def __init__(self, run: _Run, events: AsyncIterator[bytes]) -> None:
        super().__init__(events, media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self._run, self._events = run, events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            with anyio.CancelScope(shield=True):
                aclose = getattr(self._events, "aclose", None)
                if aclose is not None:
                    await aclose()
                await self._run.close()


async def _stream(run: _Run) -> AsyncIterator[bytes]:
    """The upstream's events, restored, until ``[DONE]``; any failure ends the stream with an
    error event and ``[DONE]``: the client never waits for an end that will not come."""
    door, response = run.door, run.response
    # Nothing masked, nothing to restore: the events pass as they came, unparsed.
    restoring = StreamRestoring(door.mapping) if door.mapping is not None and door.mapping.values else None
    run.restoring = restoring
    done = False
    try:
        if not run.is_sse:  # the upstream ignored "stream": its one answer, as one event
            completion = json.loads(await response.aread())
            if door.mapping is not None and door.mapping.values:
                restore_message(door.mapping, completion)
            run.chars = answer_chars(completion)
            yield _as_event(completion)
            yield b"data: [DONE]\n\n"
            run.outcome, done = "done", True
            return
        events = _sse_data(response)
        async for data in events:
            if data == "[DONE]":
                if restoring is not None:
                    for frame in restoring.finish():
                        yield _event(frame)
                yield b"data: [DONE]\n\n"
                done = True
                run.rest = events
                break
            if restoring is None:
                run.chars += len(data)
                # One data line per line of the event: a multi-line event stays one event.
                yield b"data: " + data.replace("\n", "\ndata: ").encode() + b"\n\n"
                continue
            chunk = json.loads(data)
            if not isinstance(chunk, dict):
                raise ValueError("an event that is no JSON object")
            for frame in restoring.chunk(chunk):
                yield _event(frame)
        if not done:  # some servers (llama.cpp) close without [DONE]: the answer is complete
            if restoring is not None:
                for frame in restoring.finish():
                    yield _event(frame)
            yield b"data: [DONE]\n\n"
            done = True
        run.outcome = "done"
    except Exception as error:
        status, message, code = errors.classify(error)
        run.gateway.metrics.upstream_errors.labels(code).inc()
        if not done:
            if restoring is not None:  # what was held back as a possible placeholder's start
                for frame in restoring.finish():
                    yield _event(frame)
            yield errors.sse_event(status, message, code)
            yield b"data: [DONE]\n\n"


# How long the end of an upstream reply after its [DONE] is waited for (its client is answered
# already): a reply read to its end leaves its connection in the pool for the next request;
# one closed before costs the next request a new connection (a TLS handshake to a remote one).
_DRAIN_SECONDS = 1.0


async def _drain(rest: AsyncIterator[str]) -> None:
    """Read what follows [DONE] (normally nothing but the body's end), within bounds: the door
    limits its size, :data:`_DRAIN_SECONDS` its time; anything wrong just closes the connection."""
    import anyio

    with anyio.move_on_after(_DRAIN_SECONDS), contextlib.suppress(Exception):
        async for _ in rest:
            pass


async def _sse_data(response: httpx.Response) -> AsyncIterator[str]:
    """The ``data`` of each Server-Sent Event (comments and other fields skipped)."""
    data: list[str] = []
    async for line in response.aiter_lines():
        if not line:
            if data:
                yield "\n".join(data).strip()
                data = []
            continue
        name, _, value = line.partition(":")
        if name == "data":
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield "\n".join(data).strip()


def _event(chunk: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(chunk, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n"


def _as_event(completion: Any) -> bytes:
    """A whole completion as one streamed chunk."""
    if not isinstance(completion, dict):
        raise ValueError("the completion is not a JSON object")
    choices = []
    for position, choice in enumerate(completion.get("choices") or []):
        message = dict(choice.get("message") or {}) if isinstance(choice, dict) else {}
        calls = message.get("tool_calls")
        if isinstance(calls, list):
            message["tool_calls"] = [{**c, "index": i} for i, c in enumerate(calls) if isinstance(c, dict)]
        choices.append({"index": position, "delta": message, "finish_reason": choice.get("finish_reason", "stop")})
    frame = {k: completion[k] for k in ("id", "created", "model") if k in completion}
    return _event({**frame, "object": "chat.completion.chunk", "choices": choices})


async def _embeddings(gateway: Gateway, state: State, key: Key, request: Request) -> Response:
    started = time.perf_counter()
    body = await _json_body(request, state.config.max_body_bytes, state.config.settings.read_timeout)
    if isinstance(body, Response):
        return body
    model = body.get("model")
    if isinstance(model, str) and model.startswith(PREFIX):
        return errors.response(404, f"{model!r} is an action, not an embedding model", "model_not_found")
    refusal = _model_refusal(gateway, state, key, model)
    if refusal is not None:
        return refusal
    door = state.door.conversation()
    texts = body.get("input")
    if isinstance(texts, str):
        protected: Any = await _shielded(request, lambda: door.protect(texts))
    elif isinstance(texts, list) and all(isinstance(t, str) for t in texts):
        protected = await _shielded(request, lambda: [door.protect(t) for t in texts])
    else:
        return errors.response(400, "input must be a text or a list of texts", "invalid_request")
    # The options are words and numbers: any text in them would leave unprotected.
    options = {k: v for k, v in body.items() if k in ("encoding_format", "dimensions")}
    if options.get("encoding_format", "float") not in ("float", "base64") or not (
        isinstance(options.get("dimensions", 1), int) and not isinstance(options.get("dimensions"), bool)
    ):
        return errors.response(400, "encoding_format must be float or base64, dimensions a number", "invalid_request")
    sent = {"model": model, **options, "input": protected}
    audit = _Audit(
        state, key, str(model), "embeddings", door, started, len(texts) if isinstance(texts, str) else sum(map(len, texts))
    )
    try:
        client = state.client
        response = await door.send_async(client, client.build_request("POST", state.config.api_root + "/embeddings", json=sent))
        try:
            raw = await response.aread()
        finally:
            await response.aclose()
        if response.status_code != 200:
            status, message, code = errors.upstream_status(response.status_code, "")
            audit.record("error", 0)
            return errors.response(status, message, code)
        result = json.loads(raw)
    except Exception as error:
        return _failed(gateway, audit, error)
    audit.record("done", 0)
    return JSONResponse(result)


# --- audit ------------------------------------------------------------------------------------


def _input_chars(body: dict[str, Any]) -> int:
    total = 0
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            total += len(content)
        elif isinstance(content, list):
            total += sum(len(p.get("text", "")) for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return total


@dataclass
class _Audit:
    """One audit line per request, with no text: which key, which model or action, sizes,
    duration, how many values were masked."""

    state: State
    key: Key
    model: str
    action: str
    door: Door
    started: float
    input_chars: int

    def record(self, outcome: str, output_chars: int) -> None:
        route = self.door.route
        entry = AuditEntry(
            action=self.action, model=self.model,
            destination="local" if route.destination.kind == "local" else route.host, outcome=outcome,
            input_chars=self.input_chars, output_chars=output_chars,
            duration_seconds=round(time.perf_counter() - self.started, 3), pseudonymised=self.door.masked,
            requests=self.door.requests, prevented=self.door.prevented, client=self.key.name,
        )  # fmt: skip
        try:
            self.state.audit.record(entry)
        except OSError as error:
            log(logging.ERROR, "audit log not writable", path=str(self.state.audit.path), error=error.strerror or str(error))


# --- CORS ---------------------------------------------------------------------------------------


class Cors:
    """CORS for the configured Collabora Online origins only (the browser calls the model list
    and the rewrite dialog directly): their preflight is answered, their replies carry the
    headers; any other origin gets none, so its page cannot read a reply."""

    def __init__(self, app: ASGIApp, gateway: Gateway) -> None:
        self.app, self.gateway = app, gateway

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = ""
        for name, value in scope.get("headers", []):
            if name == b"origin":
                origin = value.decode("latin-1")
                break
        allowed = bool(origin) and origin in self.gateway.state.config.origins
        if scope["method"] == "OPTIONS" and origin:
            headers = self._headers(origin) if allowed else []
            await send({"type": "http.response.start", "status": 204 if allowed else 403, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        if not allowed:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self._headers(origin, preflight=False)]
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    def _headers(origin: str, preflight: bool = True) -> list[tuple[bytes, bytes]]:
        headers = [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin")]
        if preflight:
            headers += [
                (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                (b"access-control-allow-headers", b"Authorization, Content-Type"),
                (b"access-control-max-age", b"600"),
            ]
        return headers
