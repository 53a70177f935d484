"""HTTP for the live sources (Hub models, Hub datasets, arXiv): one retry policy, secrets never shown.

Requests go through `huggingface_hub`'s shared HTTP session (its user agent, proxies and
certificates). What is retried, with exponential backoff (1, 2, 4, 8, 8 s, or the server's
`Retry-After`): answers 408, 429 and 5xx, timeouts, and connections dropped mid-answer. What is
not: a connection that cannot be made at all (refused, unknown host) - that is a wrong address or a
service that is down, and waiting half a minute would only delay the one line that says so. Each
retry is one line on stderr naming the URL without its credentials.
"""

from __future__ import annotations

import sys
import time
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

from huggingface_hub.utils import get_session, hf_raise_for_status, httpx

from pipeline.config import redact_url

RETRY_STATUS = (408, 429, 500, 502, 503, 504)
RETRY_EXCEPTIONS = (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
MAX_RETRIES = 5
BASE_WAIT_S = 1.0
MAX_WAIT_S = 8.0
MAX_RETRY_AFTER_S = 120.0


def _retry_after(response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return min(MAX_RETRY_AFTER_S, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(MAX_RETRY_AFTER_S, max(0.0, (when - datetime.now(timezone.utc)).total_seconds()))


def request(method: str, url: str, *, timeout: float, headers: dict | None = None, params=None,
            retry_on_status: tuple[int, ...] = RETRY_STATUS, follow_redirects: bool = False,
            max_retries: int = MAX_RETRIES):
    """One HTTP request with the retry policy above; returns the last response (any status) or raises
    the transport error (httpx.ConnectError at once, a retried one after the last attempt)."""
    session = get_session()
    wait = BASE_WAIT_S
    for attempt in range(max_retries + 1):
        delay = wait
        try:
            response = session.request(method, url, headers=headers, params=params, timeout=timeout,
                                       follow_redirects=follow_redirects)
        except RETRY_EXCEPTIONS as exc:
            if attempt == max_retries:
                raise
            reason = exc.__class__.__name__
        else:
            if response.status_code not in retry_on_status or attempt == max_retries:
                return response
            reason = f"HTTP {response.status_code}"
            after = _retry_after(response)
            delay = wait if after is None else after
            response.close()
        sys.stderr.write(f"{method} {redact_url(url)}: {reason}; retry {attempt + 1} of {max_retries} "
                         f"in {delay:g} s\n")
        time.sleep(delay)
        wait = min(MAX_WAIT_S, wait * 2)
    raise AssertionError("unreachable")  # the loop returns or raises on its last attempt


def _with_credentials_of(base: str, url: str) -> str:
    """`url` with the user:password@ of `base` when it points at the same server without its own
    (a listing's next-page link never repeats the credentials the first request carried)."""
    first, then = urlsplit(base), urlsplit(url)
    if "@" in first.netloc and "@" not in then.netloc and \
            (then.scheme, then.hostname, then.port) == (first.scheme, first.hostname, first.port):
        return urlunsplit(then._replace(netloc=first.netloc.rpartition("@")[0] + "@" + then.netloc))
    return url


def paginate(url: str, params: dict, headers: dict, timeout: float) -> Iterator:
    """The items of a paged Hub listing (`Link: <...>; rel="next"`), one page requested at a time;
    an error answer raises huggingface_hub's HfHubHTTPError."""
    response = request("GET", url, params=params, headers=headers, timeout=timeout)
    while True:
        hf_raise_for_status(response)
        yield from response.json()
        next_page = response.links.get("next", {}).get("url")
        if not next_page:
            return
        response = request("GET", _with_credentials_of(url, next_page), headers=headers, timeout=timeout)
