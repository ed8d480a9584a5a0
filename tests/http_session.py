"""A cookie-keeping HTTP client for tests against live_server, built on urllib.

Unlike Django's test client it sends real HTTP requests over a socket, so
several of them in threads reach the server at the same time.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Response:
    status: int
    location: str
    body: str


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Return redirects as responses, so tests see the 302 and its Location."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpSession:
    """One browser-like visitor: its own cookies and the last page's CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects()
        )
        self.csrf_token = ""

    def get(self, path: str) -> Response:
        response = self.send(path)
        match = CSRF_INPUT.search(response.body)
        if match:
            self.csrf_token = match.group(1)
        return response

    def post(self, path: str, data: dict[str, str]) -> Response:
        """Post ``data`` with the CSRF token of the last page fetched."""
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf_token, **data})
        return self.send(path, body.encode())

    def send(self, path: str, body: bytes | None = None) -> Response:
        url = self.base_url + path
        if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
            raise ValueError(f"Only loopback servers may be requested, got {url}")

        # The scheme is checked above, so urllib cannot open a file: URL here.
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        try:
            with self.opener.open(request, timeout=TIMEOUT_SECONDS) as raw:
                return Response(raw.status, raw.headers.get("Location", ""), raw.read().decode())
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            return Response(error.code, error.headers.get("Location", ""), body)
