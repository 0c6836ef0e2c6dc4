"""The national-scale benchmark (run it with scripts/bench, which installs
Datasette into .venv-bench first). See ``--help`` and docs/benchmarks.md."""

import argparse
import datetime
import hashlib
import http.client
import json
import os
import platform
import re
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import Page, pages

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")
BENCH_DIR = ROOT / ".bench"
# What the generated file depends on: rebuilt when any of these change.
BUILD_INPUTS = (
    "programs/migrations",
    "programs/services/national.py",
    "programs/services/national_rows.py",
    "programs/services/national_vocabulary.py",
    "programs/services/bulk.py",
    # What the search texts hold: the fields searched (the search_fields of the filtersets
    # alone, see digest()), and the names records carry.
    "programs/filtersets.py",
    "programs/services/search_index.py",
    "programs/services/record_names.py",
    "programs/services/place_names.py",
    "fixtures",
)
# One key for the whole run, so that the session made in-process is valid on the servers.
SECRET_KEY = f"bench-{secrets.token_urlsafe(40)}"
# Characters a URL may carry as they are; anything else (Chinese) is percent-encoded.
PRINTABLE = "".join(chr(code) for code in range(33, 127))


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    cookie: str = ""
    connection: http.client.HTTPConnection | None = None

    def get(self, path: str, *, sink=None) -> tuple[int, float, int]:
        """GET ``path``; returns status, seconds to the last byte, bytes read."""
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
                # The admin as a signed-in editor sees it; the analysts' pages as a reader does.
                headers = {"Cookie": self.cookie} if self.cookie and path.startswith("/admin/") else {}
                self.connection.request("GET", quote(path, safe=PRINTABLE), headers=headers)
                response = self.connection.getresponse()
                size = 0
                if sink:
                    while chunk := response.read(1 << 20):
                        size += len(chunk)
                        sink(chunk)
                else:  # read into one buffer, so that a fast server is not timed by the client's allocations
                    buffer = memoryview(bytearray(1 << 20))
                    while count := response.readinto(buffer):
                        size += count
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, time.perf_counter() - started, size
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
                started = time.perf_counter()
        raise AssertionError("unreachable")

    def close(self):
        if self.connection:
            self.connection.close()
        self.connection = None

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def digest() -> str:
    hasher = hashlib.sha256()
    for name in BUILD_INPUTS:
        path = ROOT / name
        for file in sorted(path.rglob("*") if path.is_dir() else [path]):
            if file.is_file() and "__pycache__" not in file.parts:
                content = file.read_bytes()
                if file.name == "filtersets.py":  # its labels do not change the data
                    content = "\n".join(re.findall(r"search_fields = \([^)]*\)", content.decode())).encode()
                hasher.update(file.name.encode() + content)
    return hasher.hexdigest()[:16]


def manage(database_url: str, *args: str, quiet: bool = False) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "casebook.settings.local"}
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    if not quiet:
        print(result.stdout.rstrip())
    return result.stdout


def build(database_url: str, *, national: bool, stamp_file: Path) -> None:
    """A database with the documents' data (and the national-scale data), built
    unless ``stamp_file`` says it was built from the same inputs."""
    wanted = digest() + (" national" if national else " documents")
    if stamp_file.exists() and stamp_file.read_text() == wanted:
        return
    print(f"==> Building {'national-scale' if national else 'documents-only'} database {redact(database_url)}")
    reset_database(database_url)
    manage(database_url, "migrate", "--noinput", "-v0")
    manage(database_url, "load_casebook", quiet=True)
    if national:
        manage(database_url, "generate_national")
    stamp_file.write_text(wanted)


def reset_database(database_url: str) -> None:
    if database_url.startswith("sqlite:"):
        path = Path(urlsplit(database_url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = urlsplit(database_url).path.lstrip("/")
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    code = (
        "import psycopg, sys\n"
        "with psycopg.connect(sys.argv[1], autocommit=True) as c:\n"
        "    c.execute(f'DROP DATABASE IF EXISTS \"{sys.argv[2]}\" WITH (FORCE)')\n"
        "    c.execute(f'CREATE DATABASE \"{sys.argv[2]}\"')\n"
    )
    subprocess.run([PYTHON, "-c", code, server, name], check=True)


def redact(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//", url)


def in_process(database_url: str, command: str, payload=None):
    env = {**os.environ, **production_env(database_url), "DJANGO_ALLOWED_HOSTS": "testserver"}
    result = subprocess.run(
        [PYTHON, "scripts/bench_django.py", command],
        cwd=ROOT,
        env=env,
        input=json.dumps(payload) if payload is not None else "",
        text=True,
        capture_output=True,
    )
    if result.returncode:
        sys.exit(f"bench_django.py {command} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_env(database_url: str, *, page_cache: bool = False) -> dict:
    """Production settings; the page cache off unless asked for, so that a timed
    page is drawn each time rather than read back from the cache."""
    return {
        "DJANGO_PAGE_CACHE_SECONDS": "600" if page_cache else "0",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "casebook.settings.production",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_TRUSTED_PROXIES": "0",
    }


@contextmanager
def serve(name: str, command: list[str], port: int, env: dict | None = None):
    # A server left over from an earlier run would answer in place of this one.
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"Port {port} is already in use (a server left over from an earlier run?); stop it first.")
    log = open(BENCH_DIR / f"{name}.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=log)
    server = Server(name, port, process)
    try:
        for _ in range(300):
            if process.poll() is not None:
                sys.exit(f"{name} exited with status {process.returncode}; see {log.name}")
            try:
                server.get("/healthz" if name != "datasette" else "/-/versions.json")
                break
            except OSError:
                server.close()
                time.sleep(0.1)
        else:
            sys.exit(f"{name} did not start; see {log.name}")
        yield server
    finally:
        server.close()
        process.terminate()
        process.wait(timeout=30)
        log.close()


def gunicorn(name: str, database_url: str, port: int, workers: int = 1, page_cache: bool = False):
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "casebook.wsgi",
        "--config",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    # Each server keeps its exports apart: a casebook keeps files only for its own data version.
    env = {**production_env(database_url, page_cache=page_cache), "DJANGO_EXPORT_FILES_DIR": str(BENCH_DIR / name)}
    return serve(name, command, port, env)


def datasette(path: Path, port: int):
    command = [
        str(ROOT / ".venv-bench/bin/datasette"),
        "serve",
        str(path),
        "--port",
        str(port),
        "--setting",
        "suggest_facets",
        "off",
    ]
    return serve("datasette", command, port)


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    statuses: set = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_pages(servers: dict[str, Server], targets: list[Page], rounds: int) -> dict:
    """Every page on each of its servers in turn (A, B, C, A, B, C …): one warm-up
    round, then ``rounds`` timed ones."""
    results = {page.name: {side: Timing() for side in page.urls} for page in targets}
    for round_number in range(rounds + 1):
        for page in targets:
            for side, url in page.urls.items():
                status, seconds, _ = servers[side].get(url)
                if round_number:
                    results[page.name][side].seconds.append(seconds)
                    results[page.name][side].statuses.add(status)
        print(f"    round {round_number or 'warm-up'} done", flush=True)
    return results


# Pages whose counts over whole tables, or over the rows with chosen values, are kept per
# data version (services.aggregates, selectors.facets.kept), the region page, whose
# subtree panels are kept the same way (Panel.kept), and the searches and lists filtered by
# region or range, whose counts are kept per data version and selection
# (selectors.facets.tally): after a write, their first view is that of a selection nobody
# has viewed yet.
AFTER_WRITE_PAGES = (
    "unfiltered",
    "home page",
    "funding, page 1",
    "region page",
    "source list, kind=",
    "region list, level=",
    "pairing list, level=",
    "funding list, kind=",
    "supportmeasure list, kind=",
    "workshop list, region=",
    "funding list, recipient=",
    "outcome list, indicator=",
    "q on ",
)


def time_after_write(server: Server, database_url: str, targets: list[Page], rounds: int) -> dict:
    """The first view of each page after a write (the data version changed, so
    its kept counts are computed afresh): ``rounds`` writes, each followed by one
    view of every page."""
    chosen = [page for page in targets if any(name in page.name for name in AFTER_WRITE_PAGES)]
    results = {page.name: Timing() for page in chosen}
    for _ in range(rounds if chosen else 0):
        in_process(database_url, "write")
        for page in chosen:
            status, seconds, _ = server.get(page.urls["casebook"])
            results[page.name].seconds.append(seconds)
            results[page.name].statuses.add(status)
    return results


def datasette_notes(server: Server, targets: list[Page]) -> dict[str, str]:
    """For each Datasette list page: facets it gave up on (time limit) and its row count."""
    notes = {}
    for page in targets:
        url = page.urls.get("datasette")
        if not url or "/national/" not in url or ".csv" in url:
            continue
        body = bytearray()
        path, _, query = url.partition("?")
        server.get(f"{path}.json?{query}", sink=body.extend)
        data = json.loads(body)
        notes[page.name] = {
            "timed_out": data.get("facets_timed_out") or [],
            "count": data.get("filtered_table_rows_count"),
        }
    return notes


def casebook_counts(server: Server, targets: list[Page]) -> dict[str, int | None]:
    counts = {}
    for page in targets:
        if page.kind in ("list", "q", "deep"):
            body = bytearray()
            server.get(page.urls["casebook"], sink=body.extend)
            found = re.search(rb'data-count="(\d+)"', body)
            counts[page.name] = int(found.group(1)) if found else None
    return counts


def export_rates(server: Server, ds: Server, rows: int, database_url: str) -> dict:
    """Rows per second of the full funding exports, and the worker's memory growth.
    After a write, each export is first drawn from the database (and kept on
    disk for that data version), then downloaded again (the kept file)."""
    results = {}
    in_process(database_url, "write")
    for label, target, path in (
        ("casebook CSV, first after a write", server, "/funding/?export=csv"),
        ("casebook CSV, repeated", server, "/funding/?export=csv"),
        ("casebook JSON, first after a write", server, "/funding/?export=json"),
        ("casebook JSON, repeated", server, "/funding/?export=json"),
        ("Datasette CSV", ds, "/national/programs_funding.csv?_stream=on&_size=max"),
    ):
        pids = target.worker_pids() if target is server else []
        before = sum(_rss(pid) for pid in pids)
        peak = [before]
        stop = threading.Event()

        def watch(pids=pids, peak=peak, stop=stop):
            while not stop.wait(0.05):
                peak[0] = max(peak[0], sum(_rss(pid) for pid in pids))

        watcher = threading.Thread(target=watch)
        watcher.start()
        status, seconds, size = target.get(path)
        stop.set()
        watcher.join()
        results[label] = {
            "status": status,
            "seconds": seconds,
            "bytes": size,
            "rows_per_second": rows / seconds,
            "memory_growth_mb": (peak[0] - before) / 1024 if pids else None,
        }
        print(f"    {label}: {rows / seconds:,.0f} rows/s", flush=True)
    return results


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def throughput(args) -> None:
    """Requests per second on the documents' data: ``connections`` clients in a
    loop over a mix of pages for ``seconds``, against gunicorn with ``workers`` workers."""
    from bench_pages import THROUGHPUT_MIX

    database = BENCH_DIR / "throughput.sqlite3"
    build(f"sqlite:///{database}", national=False, stamp_file=BENCH_DIR / "throughput.stamp")
    page_cache = args.page_cache == "on"
    with gunicorn(
        "casebook-throughput", f"sqlite:///{database}", 8791, workers=args.workers, page_cache=page_cache
    ) as server:
        for url in THROUGHPUT_MIX:
            server.get(url)
        done, errors, stop = [0], [], threading.Event()

        def client(offset: int):
            own = Server(server.name, server.port, server.process)
            index = offset
            while not stop.is_set():
                try:
                    status, _, _ = own.get(THROUGHPUT_MIX[index % len(THROUGHPUT_MIX)])
                except OSError as error:
                    status = str(error)
                if stop.is_set():
                    break
                done[0] += 1
                if status != 200:
                    errors.append(status)
                index += 1
            own.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.connections)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        elapsed = time.perf_counter() - started
        for thread in threads:
            thread.join()
    print(
        f"{done[0]} requests in {elapsed:.1f} s: {done[0] / elapsed:.1f} requests per second, "
        f"{len(errors)} errors {sorted(set(map(str, errors)))[:5]} "
        f"({args.connections} connections, {args.workers} gunicorn workers, {os.cpu_count()} cores, "
        f"page cache {args.page_cache})"
    )


def idle_probe(args) -> None:
    """How much slower a server answers after sitting idle: each server's small page
    (and the casebook's health check) timed back to back, then after pauses of
    10 to 300 ms. On a machine whose idle CPUs are put to sleep, the interleaved
    timings include that wake-up on both sides, which weighs most on the shortest pages."""
    national_file = BENCH_DIR / "national.sqlite3"
    build(f"sqlite:///{national_file}", national=True, stamp_file=BENCH_DIR / "national.stamp")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{national_file}"
    probes = [
        ("casebook, sources of one kind", "casebook", "/sources/?kind=official_release&per_page=100"),
        ("Datasette, the same", "datasette", "/national/programs_source?_size=100&_facet=kind&kind=official_release"),
        ("casebook, health check", "casebook", "/healthz"),
    ]
    with ExitStack() as stack:
        servers = {
            "casebook": stack.enter_context(gunicorn("casebook-national", database_url, 8781)),
            "datasette": stack.enter_context(datasette(national_file, 8782)),
        }
        print("| request | back to back ms | after 10 ms idle | after 50 ms | after 100 ms | after 300 ms |")
        print("| --- | --- | --- | --- | --- | --- |")
        for label, side, url in probes:
            server = servers[side]
            for _ in range(60):
                server.get(url)
            medians = [statistics.median(server.get(url)[1] * 1000 for _ in range(30))]
            for pause in (0.01, 0.05, 0.1, 0.3):
                times = []
                for _ in range(args.rounds * 2):
                    time.sleep(pause)
                    times.append(server.get(url)[1] * 1000)
                medians.append(statistics.median(times))
            print(f"| {label} | " + " | ".join(f"{value:.1f}" for value in medians) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="time only the pages whose name contains this text")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--no-exports", action="store_true", help="skip the full exports")
    parser.add_argument("--throughput", action="store_true")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--page-cache", choices=("on", "off"), default="on", help="for --throughput")
    parser.add_argument("--idle", action="store_true", help="how much slower each server is after idling")
    args = parser.parse_args()
    BENCH_DIR.mkdir(exist_ok=True)
    if args.throughput:
        throughput(args)
        return
    if args.idle:
        idle_probe(args)
        return
    run(args)


def run(args) -> None:
    national_file = BENCH_DIR / "national.sqlite3"
    build(f"sqlite:///{national_file}", national=True, stamp_file=BENCH_DIR / "national.stamp")
    engine_url = os.environ.get("DATABASE_URL", "")
    if engine_url.startswith("postgres"):
        national_url, documents_url = engine_url, f"{engine_url}_documents"
        build(national_url, national=True, stamp_file=BENCH_DIR / "postgresql-national.stamp")
        build(documents_url, national=False, stamp_file=BENCH_DIR / "postgresql-documents.stamp")
        engine = "PostgreSQL"
    else:
        national_url = f"sqlite:///{national_file}"
        documents_url = f"sqlite:///{BENCH_DIR / 'documents.sqlite3'}"
        build(documents_url, national=False, stamp_file=BENCH_DIR / "documents.stamp")
        engine = "SQLite"
    national, documents = in_process(national_url, "prepare"), in_process(documents_url, "prepare")
    targets = [page for page in pages(national, documents) if args.only in page.name]
    with ExitStack() as stack:
        servers = {
            "casebook": stack.enter_context(gunicorn("casebook-national", national_url, 8781)),
            "datasette": stack.enter_context(datasette(national_file, 8782)),
            "documents": stack.enter_context(gunicorn("casebook-documents", documents_url, 8783)),
        }
        servers["casebook"].cookie = f"sessionid={national['session']}"
        servers["documents"].cookie = f"sessionid={documents['session']}"
        # The API is timed against the HTML page with the same query, on the same server.
        servers["html"] = servers["casebook"]
        print(f"==> Timing {len(targets)} pages, {args.rounds} rounds ({engine})", flush=True)
        timings = time_pages(servers, targets, args.rounds)
        after_write = time_after_write(servers["casebook"], national_url, targets, rounds=3)
        notes = datasette_notes(servers["datasette"], targets)
        counts = casebook_counts(servers["casebook"], targets)
        exports = {}
        if not args.no_exports and not args.only:
            print("==> Full exports of the funding records", flush=True)
            exports = export_rates(servers["casebook"], servers["datasette"], national["funding_count"], national_url)
    print("==> Counting queries", flush=True)
    queries = {
        "casebook": in_process(national_url, "queries", [p.urls["casebook"] for p in targets]),
        "documents": in_process(
            documents_url, "queries", [p.urls["documents"] for p in targets if "documents" in p.urls]
        ),
    }
    from bench_report import report

    text = report(
        engine=engine,
        targets=targets,
        timings=timings,
        notes=notes,
        counts=counts,
        exports=exports,
        after_write=after_write,
        queries=queries,
        national=national,
        versions=versions(),
        date=today(),
        machine=machine(),
        args=args,
    )
    # Only a full run replaces the committed report; a partial one (--only) goes beside the data.
    default = "benchmarks.md" if engine == "SQLite" else "benchmarks-postgresql.md"
    output = args.output or (BENCH_DIR / f"partial-{default}" if args.only else ROOT / "docs" / default)
    output.parent.mkdir(exist_ok=True)
    output.write_text(text)
    print(text)
    print(f"Written to {output}")


def versions() -> dict:
    def pip_version(venv: str, package: str) -> str:
        out = subprocess.run(
            [str(ROOT / venv / "bin/python"), "-c", f"import importlib.metadata as m; print(m.version('{package}'))"],
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()

    return {
        "Python": platform.python_version(),
        "Django": pip_version(".venv", "django"),
        "gunicorn": pip_version(".venv", "gunicorn"),
        "SQLite": sqlite3.sqlite_version,
        "Datasette": pip_version(".venv-bench", "datasette"),
    }


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        memory = f", {int(found.group(1)) / 1024 / 1024:.1f} GB RAM" if found else ""
    return f"{os.cpu_count()} cores ({model or platform.machine()}){memory}, {platform.system()} {platform.release()}"


def today() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


if __name__ == "__main__":
    main()
