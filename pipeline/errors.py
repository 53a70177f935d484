"""The pipeline's errors, in one low module every layer may import (drivers need no registry for them).

A `PipelineError` is terminal for the task that raised it and says, in one line, what failed and how to
fix it; the reporter prints it without a traceback. (What may pass, a rate limit or a 5xx, is retried by
pipeline/extract/http.py before it becomes one.)
"""

from __future__ import annotations


class PipelineError(Exception):
    """A failure with a message a user can act on; printed as one line, never as a traceback.

    `keep` names outputs to publish even though the asset failed (e.g. the quarantine that explains why).
    """

    def __init__(self, message: str, keep: tuple[str, ...] = ()):
        super().__init__(message)
        self.keep = keep


class SettingsError(PipelineError):
    """A setting that cannot be used as given (a bad value, a missing file it names)."""


class NotFound(PipelineError):
    """What was asked for is not in the catalog (the message names it)."""


class TargetUnavailable(PipelineError):
    """A load target (graph or search) cannot answer now: down, unreachable, or not built yet."""


class TargetLost(PipelineError):
    """A load target lost what this load had written to it and not made durable (the embedded graph
    server crashed, or was stopped and started again from its file by another loader because it had
    stopped answering): the load is made again from the target's receipts (`graph.load_into_graph`)."""


class RecordError(ValueError):
    """One record a platform's mapping cannot make a catalog record of (its description is missing,
    malformed, or fails the platform's own spec): quarantined with `path` and `reason`, never dropped."""

    def __init__(self, path: str, reason: str, stage: str = "mapping"):
        super().__init__(reason)
        self.path = path
        self.reason = reason
        self.stage = stage
