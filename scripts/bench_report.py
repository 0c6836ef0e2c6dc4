"""docs/benchmarks.md as scripts/bench writes it."""

from bench_pages import TARGETS

REFERENCE_NAMES = {
    "datasette": "Datasette",
    "documents": "documents' data",
    "first page": "page 1",
    "html": "the HTML page",
    "api first page": "the API's first page",
}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def report(
    *, engine, targets, timings, notes, counts, exports, after_write, queries, national, versions, machine, args, date
) -> str:
    lines = [
        f"# Benchmarks ({engine})",
        "",
        "Written by `scripts/bench` (see README, “Speed at national scale”). Re-run it after a change to models,",
        "queries or templates, and commit the result.",
        "",
        f"- Command: `{'DATABASE_URL=postgres://… ' if engine != 'SQLite' else ''}scripts/bench"
        f"{f' --rounds {args.rounds}' if args.rounds != 5 else ''}`; {args.rounds} timed rounds after one warm-up,"
        " pages interleaved (casebook, Datasette or the documents-only casebook, next page …).",
        f"- Run: {date}. Machine: {machine}.",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()) + ".",
        f"- Data: the documents' data plus `manage.py generate_national` (defaults, seed 1): "
        f"{national['funding_count']:,} funding records in all. Datasette serves the same SQLite file "
        "(`--setting suggest_facets off`); the casebook runs under gunicorn (1 sync worker, production settings) "
        "with its page cache off, so that every timed page is drawn afresh.",
        "- Counts over whole tables (an unfiltered list's total, facets and region cascade, the records citing "
        "each source, the home page's counts), the same counts of a list filtered only by chosen values "
        "(`?kind=…`, as a click on a facet gives), the counts of a search, a range or a region (tallied in one "
        "pass; its other pages and sorts read them back) "
        "and a region page's panels over its whole subtree (their first "
        "ids and totals) are kept per data version (`programs/services/aggregates.py`): "
        "the first view after a write computes them, later views read them back, as the timed repeated views "
        "here do. “First view after a write” below times that first view; queries are counted on a repeated view.",
        "- Times are medians (and 95th percentiles) in milliseconds to the last byte, 100 rows per page. "
        "“Reference” is Datasette's equivalent page (same filter, sort, page size and facets), the same page "
        "on the documents' data alone, or the casebook's own first page, as the target says; an API list "
        "(`/api/v1/…`, 100 rows) is measured against the HTML page with the same query on the same server, "
        "and a row deep in the API's funding list, reached by its cursor, against the API's first page.",
        "",
        "| page | casebook ms (p95) | reference ms (p95) | ratio | per round | target | met "
        "| queries (national / documents) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    first_page = {
        "first page": timings.get("funding, page 1", {}).get("casebook"),
        "api first page": timings.get("api: funding, first page", {}).get("casebook"),
    }
    met_all = True
    for page in targets:
        line, met = _row(page, timings[page.name], first_page, queries, notes.get(page.name), counts.get(page.name))
        lines.append(line)
        met_all &= met
    lines += _after_write(after_write, timings, {page.name: page for page in targets}, first_page)
    export_lines, exports_met = _exports(exports)
    lines += export_lines
    met_all &= exports_met
    if not targets:
        lines += ["", "**No page was timed.**", ""]
    else:
        lines += ["", f"**All targets met: {'yes' if met_all else 'no'}.**", ""]
    return "\n".join(lines)


def _reference(page, timing, first_page):
    """What the page is measured against (its target's side and limit), and that side's timing."""
    side, limit = TARGETS[page.kind]
    return side, limit, first_page[side] if side in first_page else timing.get(side)


def _row(page, timing, first_page, queries, note, count) -> tuple[str, bool]:
    ours = timing["casebook"]
    side, limit, reference = _reference(page, timing, first_page)
    if reference is None:
        return (
            f"| {page.name} | {ms(ours.median)} ({ms(ours.p95)}) | – | – | – | – | – | {_queries(page, queries)} |",
            True,
        )
    ratio = ours.median / reference.median
    rounds = " ".join(f"{a / b:.2f}" for a, b in zip(ours.seconds, reference.seconds, strict=False))
    met = ratio <= limit and ours.statuses == {200}
    remarks = []
    if ours.statuses != {200}:
        remarks.append(f"status {sorted(ours.statuses)}")
    if note and note["timed_out"]:
        remarks.append("Datasette gave up on facet(s) " + ", ".join(note["timed_out"]))
    if note and count is not None and note["count"] is not None:
        remarks.append(f"rows: {count:,} vs {note['count']:,}" + ("" if count == note["count"] else " (differ)"))
    name = page.name + (f" ({'; '.join(remarks)})" if remarks else "")
    target = f"≤ {limit}× {REFERENCE_NAMES[side]}"
    return (
        f"| {name} | {ms(ours.median)} ({ms(ours.p95)}) | {ms(reference.median)} ({ms(reference.p95)}) | "
        f"{ratio:.2f}× | {rounds} | {target} | {'yes' if met else '**no**'} | {_queries(page, queries)} |",
        met,
    )


def _queries(page, queries) -> str:
    ours = queries["casebook"].get(page.urls["casebook"], "–")
    theirs = queries["documents"].get(page.urls.get("documents", ""), "–")
    return f"{ours} / {theirs}"


def _after_write(after_write: dict, timings: dict, pages: dict, first_page) -> list[str]:
    if not after_write:
        return []
    lines = [
        "",
        "## First view after a write",
        "",
        "Each of 3 rounds changes the data version (as any save, import or load does), then views every page "
        "once; what it keeps per data version is computed afresh. For a search, that is also the first view of "
        "a search nobody has run since the last write. Medians; the reference is that of the table above.",
        "",
        "| page | first view after a write ms | repeated view ms | reference ms | first view ÷ reference |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, timing in after_write.items():
        repeated = timings[name]["casebook"].median
        _side, _limit, reference = _reference(pages[name], timings[name], first_page)
        shown = (ms(reference.median), f"{timing.median / reference.median:.2f}×") if reference else ("–", "–")
        lines.append(f"| {name} | {ms(timing.median)} | {ms(repeated)} | {shown[0]} | {shown[1]} |")
    return lines


def _exports(exports: dict) -> tuple[list[str], bool]:
    """The export table, and whether every export with a target met it. An
    export downloaded again while no write has happened is the file kept for
    that data version; the first after a write is drawn from the database and
    is shown for what it costs, without a target of its own."""
    if not exports:
        return [], True
    datasette = exports["Datasette CSV"]["rows_per_second"]
    lines = [
        "",
        "## Full export of every funding record",
        "",
        "After a write (which changes the data version), each export is drawn from the database and kept on disk "
        "for that version (`programs.services.export_files`); downloaded again before the next write, it is "
        "that file. Both downloads are timed; bytes are the response's size (the same for both).",
        "",
        "| export | seconds | rows per second | × Datasette's CSV | bytes | worker memory growth | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    met_all = True
    for label, result in exports.items():
        ratio = result["rows_per_second"] / datasette
        growth = result["memory_growth_mb"]
        targeted = label.startswith("casebook") and "first after a write" not in label
        met = result["status"] == 200 and ratio >= 10 and growth is not None and growth < 100
        if targeted:
            met_all &= met
        lines.append(
            f"| {label} | {result['seconds']:.1f} | {result['rows_per_second']:,.0f} | {ratio:.1f}× | "
            f"{result['bytes']:,} | {f'{growth:.0f} MB' if growth is not None else '–'} | "
            f"{'≥ 10× Datasette, < 100 MB' if targeted else '–'} | "
            f"{('yes' if met else '**no**') if targeted else '–'} |"
        )
    return lines, met_all
