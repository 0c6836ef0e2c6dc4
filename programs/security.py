"""Who is signing in: the client address that login throttling counts by.

Behind the TLS-terminating proxy that production expects, every request comes
from the proxy's address, so throttling by ``REMOTE_ADDR`` would let anyone
lock every editor out. Each proxy appends the address it saw to
``X-Forwarded-For``; with ``CASEBOOK_TRUSTED_PROXIES`` proxies in front, the
client is the entry that many places from the right (what the outermost
trusted proxy saw). Entries further left were written by the client and are
never trusted. With no proxies (the default outside production) the header is
ignored, so it cannot be forged to dodge the throttle.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    proxies = settings.CASEBOOK_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
