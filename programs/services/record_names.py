"""The ``names`` column of regions, pairings, programs and workshops: every name the
record and what it lies in go by, folded, one per line.

- a region: its own names (official, short forms, English, pinyin, editors'
  aliases; ``place_names.own_names``) and those of the regions above it, up to
  the province (everything is in China, so the country's names are left out);
- a pairing: the names of its donor and recipient regions;
- a program: its name and Chinese name, and the names of its regions and pairings;
- a workshop: its name and Chinese name, the names of its region, and its
  program's name (not the program's places: a workshop in Hezheng is not in
  every county its program reaches).

The search texts of the records that belong to these carry the column (a figure
carries its region's, its workshop's and its pairing's, and its program's name), so that "临夏" finds the
workshops of every county in Linxia and "Xiamen enterprises introduced" the figures
of the Xiamen–Linxia pairing. Each kind is computed from the kinds before it in
:data:`ORDER`; :func:`refresh` recomputes what changed and everything that lies in
it, and says which rows changed so that their dependents' search texts follow.
"""

from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

from programs.services import place_names

COLUMN = "names"
ORDER = ("region", "pairing", "program", "workshop")
BATCH = 2000


def _fold(text: str) -> str:
    from programs.services.search_index import fold

    return fold(text)


def joined(parts) -> str:
    """Folded, each line once, in order."""
    seen, lines = set(), []
    for part in parts:
        for line in _fold(part or "").splitlines():
            line = line.strip()
            if line and line not in seen:
                seen.add(line)
                lines.append(line)
    return "\n".join(lines)


def refresh(apps, changed: dict[str, set] | None = None, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, dict]:
    """Recompute the names of the rows in ``changed`` (model name → primary keys; None
    for every row of every kind) and of everything that lies in them; returns the
    names written, by model name and primary key."""
    everything = changed is None
    changed = {name: set(pks) for name, pks in (changed or {}).items()}
    written: dict[str, dict] = {}
    models = {name: apps.get_model("programs", name) for name in ORDER}
    region_pks = None if everything else changed.get("region", set())
    written["region"] = _regions(models["region"], region_pks, using)
    for name in ORDER[1:]:
        model = models[name]
        if everything:
            condition = Q()
        else:
            keys = changed.get(name, set())
            changed_inputs = [(link, set(written[target])) for link, target in inputs(name) if written.get(target)]
            if not keys and not changed_inputs:
                written[name] = {}
                continue
            condition = Q(pk__in=keys)
            for link, pks in changed_inputs:
                condition |= Q(**{f"{link}__in": pks})
        written[name] = _write(model, _computed(model, name, condition, using), using)
    return {name: texts for name, texts in written.items() if texts}


def inputs(name: str) -> tuple[tuple[str, str], ...]:
    """(lookup, model name) of what the names of ``name`` are built from."""
    return {
        "pairing": (("donor", "region"), ("recipient", "region")),
        "program": (("regions", "region"), ("pairings", "pairing")),
        "workshop": (("region", "region"), ("program", "program")),
    }[name]


def _regions(Region, pks, using) -> set:
    """Regions are computed top-down, each from its parent's names: the subtrees of
    ``pks`` (every region for None)."""
    regions = Region._default_manager.using(using).order_by("path")
    if pks is not None:
        if not pks:
            return {}
        roots = list(regions.filter(pk__in=pks).values_list("path", flat=True))
        subtree = Q()
        for path in roots:
            subtree |= Q(path__startswith=path)
        regions = regions.filter(subtree)
    rows = list(
        regions.values_list(
            "pk", "parent_id", "parent__level", "parent__names", "level", "name_en", "name_zh", "aliases", COLUMN
        )
    )
    names_by_pk, results = {}, {}
    for pk, parent_id, parent_level, parent_names, level, name_en, name_zh, aliases, old in rows:
        own = place_names.own_names(name_en=name_en, name_zh=name_zh, level=level, aliases=aliases)
        # The country's names stay out of the regions below it: everything is in China.
        above = names_by_pk.get(parent_id, parent_names) if parent_id and parent_level != "country" else ""
        names_by_pk[pk] = text = joined([*own, above])
        if text != old:
            results[pk] = text
    return _write(Region, results, using)


def _computed(model, name: str, condition: Q, using: str) -> dict:
    """The new names of the rows of ``model`` matching ``condition`` that changed."""
    # By id: a condition through a program's links matches a program once per link.
    rows = model._default_manager.using(using).filter(
        pk__in=model._default_manager.using(using).filter(condition).values("pk")
    )
    results = {}
    last = 0
    while True:
        if name == "pairing":
            batch = list(
                rows.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", COLUMN, "donor__names", "recipient__names")[:BATCH]
            )
            results.update((pk, text) for pk, old, *parts in batch if (text := joined(parts)) != old)
        elif name == "workshop":
            batch = list(
                rows.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", COLUMN, "name", "name_zh", "region__names", "program__name", "program__name_zh")[
                    :BATCH
                ]
            )
            results.update((pk, text) for pk, old, *parts in batch if (text := joined(parts)) != old)
        else:  # a program: its regions and pairings through the link tables
            batch = list(rows.filter(pk__gt=last).order_by("pk").values_list("pk", COLUMN, "name", "name_zh")[:BATCH])
            pks = [row[0] for row in batch]
            linked = defaultdict(list)
            for relation, target in (("regions", "region__path"), ("pairings", "pairing__slug")):
                through = model._meta.get_field(relation).remote_field.through
                field = relation[:-1]
                for program_id, names in (
                    through._default_manager.using(using)
                    .filter(program_id__in=pks)
                    .order_by("program_id", target)
                    .values_list("program_id", f"{field}__names")
                ):
                    linked[program_id].append(names)
            results.update((pk, text) for pk, old, *parts in batch if (text := joined([*parts, *linked[pk]])) != old)
        if len(batch) < BATCH:
            return results
        last = batch[-1][0]


def _write(model, texts: dict, using: str) -> dict:
    from programs.services.search_index import write_texts

    return write_texts(model, COLUMN, texts, using=using) if texts else {}
