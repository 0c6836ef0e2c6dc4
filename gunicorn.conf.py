"""gunicorn's settings for the casebook (``gunicorn casebook.wsgi -c gunicorn.conf.py``).

A full export of a million funding records streams for several seconds; the
default 30-second worker timeout would kill a slow client's download half-way,
so the timeout is generous. Workers and threads can be set with
GUNICORN_WORKERS / GUNICORN_THREADS or on the command line."""

import multiprocessing
import os

workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "300"))
graceful_timeout = 30
keepalive = 5
