"""The one door out: every request to a model server, from every path, is built and sent
through a :class:`~plume.egress.door.Door`. It owns the HTTP client, the route (destination
and proxy), refuses redirects, pseudonymises every message with one mapping for the whole
run, checks the serialised body once more just before it leaves, and bounds the reply."""
