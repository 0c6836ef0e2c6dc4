"""Read-replica routing for running the casebook on several hosts.

With ``DATABASE_REPLICA_URL`` set, the analysts' pages (GET and HEAD requests
outside the admin) read from the ``replica`` database; everything else — every
write, and every read the admin makes, so that an editor sees their own change
at once — goes to the primary (``default``). ``AnalystReadsMiddleware`` marks
the requests that may read from the replica.
"""

from contextvars import ContextVar

from django.conf import settings

from programs.languages import without_language

REPLICA = "replica"
PRIMARY = "default"
# Whether the current request is an analyst's read (set by AnalystReadsMiddleware).
analyst_read: ContextVar[bool] = ContextVar("analyst_read", default=False)


class ReadReplicaRouter:
    def has_replica(self) -> bool:
        return REPLICA in settings.DATABASES

    def db_for_read(self, model, **hints):
        return REPLICA if analyst_read.get() and self.has_replica() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class AnalystReadsMiddleware:
    """Lets a GET or HEAD request outside the admin read from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = without_language(request.path_info)  # the admin is also at /zh-hans/admin/
        reads = request.method in ("GET", "HEAD") and not path.startswith("/admin/")
        token = analyst_read.set(reads)
        try:
            response = self.get_response(request)
            if reads and getattr(response, "streaming", False) and not getattr(response, "file_to_stream", None):
                # An export streams after the view returns: keep its reads on the replica.
                # (A kept export file has nothing to read and goes out as a file, by sendfile.)
                response.streaming_content = _on_replica(response.streaming_content)
            return response
        finally:
            analyst_read.reset(token)


def _on_replica(chunks):
    token = analyst_read.set(True)
    try:
        yield from chunks
    finally:
        analyst_read.reset(token)
