"""One exchange with a server: redirects only on the same host, a body read up to a cap.

requests would follow a redirect anywhere and read any body whole (and the body of
every redirect on the way). Here redirects are followed by hand: a ``Location`` on
another host is refused, as is a chain longer than MAX_HOPS. Bodies are streamed
and counted after decompression, so neither a 200 MB answer nor a small gzip that
inflates to one is ever held in memory past the cap.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_HOPS = 5
CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Refused(Exception):
    """An answer evgrade will not use (another host, too large): not retried, never stored."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a port that is not a number
        port = None
    return scheme, (parts.hostname or "").lower(), port


def same_host(current: str, target: str) -> bool:
    """Same scheme, host and port; or the same host moving from http to https."""
    a, b = _origin(current), _origin(target)
    if a == b and a[1]:
        return True
    return a[1] == b[1] != "" and a == ("http", a[1], 80) and b == ("https", b[1], 443)


def too_large(cap: int) -> str:
    return f"response larger than {cap:,} bytes"


def read_capped(resp: requests.Response, cap: int) -> None:
    """Read the (decoded) body into ``resp.content``, or Refused past ``cap`` bytes."""
    declared = resp.headers.get("Content-Length", "").strip()
    if declared.isdigit() and int(declared) > cap:
        resp.close()
        raise Refused(too_large(cap))
    body = bytearray()
    for chunk in resp.iter_content(CHUNK):
        body += chunk
        if len(body) > cap:
            resp.close()
            raise Refused(too_large(cap))
    resp._content = bytes(body)  # what requests itself fills when it reads a body
    resp._content_consumed = True


def exchange(session: requests.Session, method: str, url: str, *, cap: int,
             timeout: Any, **send: Any) -> requests.Response:
    """The final answer to one request, its body read; redirects followed on the same host."""
    for _ in range(MAX_HOPS + 1):
        resp = session.request(method, url, timeout=timeout, allow_redirects=False,
                               stream=True, **send)
        if resp.status_code not in REDIRECTS:
            read_capped(resp, cap)
            return resp
        resp.close()
        location = resp.headers.get("Location", "").strip()
        if not location:
            raise Refused(f"HTTP {resp.status_code} without a Location")
        target = urljoin(resp.url, location)
        if not same_host(resp.url, target):
            raise Refused(f"redirected to another host ({urlsplit(target).netloc or target})")
        if resp.status_code == 303 or (resp.status_code in (301, 302) and method == "POST"):
            method = "GET"  # as browsers and requests do: the body is not sent again
            send = {k: v for k, v in send.items() if k not in ("data", "json")}
        send.pop("params", None)  # the Location carries its own query
        url = target
    raise Refused(f"too many redirects (more than {MAX_HOPS})")
