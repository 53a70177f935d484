"""How the OpenML and bioimage.io sources read their API: over HTTP live, from a snapshot folder
offline (the same paths, so one parser serves both). The choice is made once, from the settings.

Live requests use the shared retry policy (`pipeline/extract/http.py`); a refused connection or an
unknown host fails at once with one line naming the endpoint and the offline switch.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings, redact_url
from pipeline.errors import PipelineError
from pipeline.platforms import PLATFORMS

MISSING = (404, 410, 412)  # OpenML answers 412 with an error document for an unknown id or an empty list


class SnapshotReader:
    """The API's paths as files under a snapshot folder (`suffix` added: OpenML's `.xml`)."""

    def __init__(self, root: Path, suffix: str = ""):
        self.root = root
        self.suffix = suffix
        self.where = f"the snapshot {root}"

    # a path outside the folder is a missing resource, never a file elsewhere on disk
    def get(self, path: str) -> tuple[int, str | None]:
        target = (self.root / f"{path.strip('/')}{self.suffix}").resolve()
        if self.root.resolve() not in target.parents or not target.is_file():
            return 404, None
        return 200, target.read_text(encoding="utf-8")


class HttpReader:
    def __init__(self, settings: Settings, platform: str, endpoint: str):
        self.settings = settings
        self.platform = platform
        self.endpoint = endpoint
        self.where = redact_url(endpoint)

    def get(self, path: str) -> tuple[int, str | None]:
        from huggingface_hub.utils import httpx
        from pipeline.extract.http import request
        url = path if "://" in path else f"{self.endpoint}/{path.lstrip('/')}"
        try:
            response = request("GET", url, timeout=self.settings.hf_timeout_s, follow_redirects=True)
        except (httpx.HTTPError, OSError) as exc:
            detail = self.settings.redact(" ".join(str(exc).split()))
            raise PipelineError(f"cannot reach {PLATFORMS[self.platform].name} at {self.where}: "
                                f"{exc.__class__.__name__}: {detail} - check the network or "
                                f"MLENTORY_{self.platform.upper()}_ENDPOINT, or set HF_HUB_OFFLINE=1 to build "
                                "from the bundled snapshots") from exc
        if response.status_code in MISSING:
            return response.status_code, None
        if response.status_code >= 400:
            raise PipelineError(f"{PLATFORMS[self.platform].name} at {self.where} answered HTTP "
                                f"{response.status_code} for {redact_url(url)}")
        return 200, response.text


def reader(settings: Settings, platform: str, suffix: str = ""):
    """The reader these settings select for a platform: the one place its offline switch is read."""
    if settings.platform_offline(platform):
        from pipeline.extract.snapshot import platform_snapshot_dir
        return SnapshotReader(platform_snapshot_dir(settings, platform), suffix)
    return HttpReader(settings, platform, getattr(settings, f"{platform}_endpoint"))


class PlatformSource:
    """What a platform source beside the Hub shares (see pipeline/extract/base.py: ModelSource): its
    identity and, offline, its snapshot's files; subclasses set `platform` and give `models`."""

    platform = ""

    def __init__(self, settings: Settings):
        self.settings = settings

    def identity(self) -> dict:
        return self.settings.platform_identity(self.platform)

    def input_files(self) -> list[str]:
        from pipeline.extract.snapshot import platform_snapshot_files
        return platform_snapshot_files(self.settings, self.platform) if self.settings.platform_offline(self.platform) \
            else []
