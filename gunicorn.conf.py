"""gunicorn's settings for the casebook (``gunicorn casebook.wsgi -c gunicorn.conf.py``).

A full export of a million funding records streams for several seconds; the
default 30-second worker timeout would kill a slow client's download half-way,
so the timeout is generous. Workers and threads can be set with
GUNICORN_WORKERS / GUNICORN_THREADS or on the command line."""

import gc
import multiprocessing
import os

workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "300"))
graceful_timeout = 30
keepalive = 5

# After a worker's first requests (which load the URL resolver, the templates and
# the like), what it holds is moved out of the garbage collector's sight: a full
# collection of a warmed worker walked about 120,000 objects for about 50 ms, felt
# as a slow page now and then. Objects made afterwards are collected as usual.
FREEZE_AFTER_REQUESTS = 50


def post_request(worker, req, environ, resp):
    # ">=" and a mark: with threads, two requests may finish past the count together.
    if worker.nr >= FREEZE_AFTER_REQUESTS and not getattr(worker, "casebook_frozen", False):
        worker.casebook_frozen = True
        gc.collect()
        gc.freeze()
