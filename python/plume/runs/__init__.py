"""Running an action, the same way for every front end (the LibreOffice adapter, the command
line, later a gateway). A front end only says what it knows: the settings, the action as the
user asked for it, the text it read (as blocks), the API key from its own store, its language.

Setting up a run, then running it::

    from plume.runs import prepare_run, spec_for

    spec = spec_for(settings, "rewrite-formal", instruction="", target="")  # or "rewrite", style="formal"
    run = prepare_run(settings, spec, blocks, api_key=key, ui_language="fr", cancel=token,
                      confirmed=False, windows=cache)  # raises at once: settings, destination, no text
    for piece in run.pieces():  # on a worker thread; may raise NeedsConfirmation first ("warn")
        show(piece)
    run.text, run.stats, run.truncated, run.unsupported, run.segments, run.notes("fr")

- :func:`spec_for` ``(settings, name, *, style="", instruction="", target="") -> ActionSpec``:
  the action by id (built-in, IT's ``it-...``, personal ``my-...``) or earlier name with a
  style; a translation's target defaults to ``translate_target``; an action whose prompt has
  ``{signature}`` gets the ``signature_block`` setting (a literal ``\\n`` is a new line).
  Raises :class:`~plume.errors.UnsupportedError` (unknown action, instruction missing).
- :func:`prepare_run` ``(settings, spec, blocks, *, api_key="", ui_language="fr",
  cancel=None, confirmed=False, windows=None, transport=None, environ=None) -> ModelRun``.
  ``blocks``: :class:`~plume.longdoc.Block` list (ignored for an action that reads nothing:
  drafting sends only its instruction); ``confirmed``: True when the caller itself shows
  :meth:`ModelRun.what_is_sent` (the CLI's ``--yes``), or the ``token`` of the
  :class:`~plume.errors.NeedsConfirmation` the user saw; ``windows``: a
  :class:`~plume.window.WindowCache` kept between runs; ``transport``/``environ``: tests
  and proxies. Raises, nothing sent: SettingsError, DestinationBlocked, UnsupportedError.
- :class:`ModelRun`: ``door`` (what left, for the audit), ``decision``,
  ``needs_confirmation``, ``what_is_sent()``, ``pieces()`` (require_confirmation, model,
  window, LongGeneration, then the fact check), ``source`` (the text read, as sent), ``text``,
  ``stats`` (None until the model was asked), ``long`` (the LongGeneration: ``progress``,
  ``segments``, ``requests``), ``progress``, ``segments``, ``truncated``, ``unsupported``
  (fact-check findings against the action's ``check_against``; None if not checked),
  ``notes(lang)`` (lost values, missing end), ``conversation()``.

Refining the result (see :mod:`.conversation`)::

    conversation = run.conversation()          # after run.pieces() ended without error
    turn = conversation.revise("plus court")   # UnsupportedError for an empty instruction
    for piece in turn.pieces(): ...            # worker thread; NeedsConfirmation under "warn":
    turn.text, turn.unsupported, turn.truncated, turn.notes("fr")   # revise(..., confirmed=token)
    conversation.versions, conversation.current, conversation.index
    conversation.back()                        # to the version the current one revised
    conversation.back(0)                       # to any version; the next revise builds on it
"""

from .conversation import Conversation, Turn, Version
from .model_run import ModelRun, prepare_run, signature_of, spec_for

__all__ = ["Conversation", "ModelRun", "Turn", "Version", "prepare_run", "signature_of", "spec_for"]
