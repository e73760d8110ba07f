"""Plume's OpenAI-compatible gateway: Collabora Online's AI assistant (and any OpenAI client,
desktop Plume included) reaches a model through Plume's door, policy, shield, actions and audit.

Modules: :mod:`.config` (the TOML file), :mod:`.keys` (hashed keys, rate limits), :mod:`.app`
(the ASGI routes), :mod:`.conversation` (pseudonymising a request, restoring its answer),
:mod:`.actions` (Plume's actions as models ``plume-<id>``), :mod:`.server` (uvicorn, SIGHUP,
shutdown), :mod:`.cli` (``python -m plume gateway``). Its dependencies
(``requirements-gateway.txt``) are not in the .oxt.
"""
