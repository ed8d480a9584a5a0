"""Facts about the client behind a request, for logs and audit records."""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

MAX_USER_AGENT_LENGTH = 300


def client_address(request: HttpRequest) -> str:
    """Return the client's IP address.

    SECURITY: X-Forwarded-For is trusted only for as many hops as there are
    proxies in front of the site (``TRUSTED_PROXY_COUNT``). Each proxy appends
    the address it saw, so the client is the entry that many places from the
    right. Anything further left was written by the client and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies == 0:
        return remote

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote

    # A trusted proxy writes a valid address there. Anything else means the
    # proxy count is wrong, and a non-address would break address lookups
    # (the password guessing limits store it in an IP address column).
    hop = hops[-proxies]
    try:
        ipaddress.ip_address(hop)
    except ValueError:
        logger.warning("Invalid X-Forwarded-For hop %r; using REMOTE_ADDR %s.", hop, remote)
        return remote
    return hop


def user_agent(request: HttpRequest) -> str:
    """Return the User-Agent header, shortened, with NUL (which PostgreSQL rejects) replaced."""
    value = request.META.get("HTTP_USER_AGENT", "")[:MAX_USER_AGENT_LENGTH]
    return value.replace("\x00", "\ufffd")
