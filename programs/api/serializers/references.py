"""How records name one another in the API: a related record reads as its slug (or a
figure's id and key), name and address, and is written as its slug; a page's related
records are read once each."""

from functools import cache

from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from programs.links import record_url
from programs.models import Source

# Model name → the API's name for its records (their URLs: /api/v1/<name>/<slug or id>/).
ENDPOINTS = {
    "program": "programs",
    "region": "regions",
    "pairing": "pairings",
    "workshop": "workshops",
    "funding": "funding",
    "outcome": "outcomes",
    "supportmeasure": "support-measures",
    "source": "sources",
    "indicator": "indicators",
    "approach": "approaches",
}


@cache
def has_slug(model) -> bool:
    return any(field.name == "slug" for field in model._meta.fields)


def absolute(request, path: str) -> str:
    """``path`` as a full address on the host the request came to (the scheme and host
    read once per request: a page of records names hundreds of addresses)."""
    if request is None:
        return path
    origin = getattr(request, "_casebook_origin", None)
    if origin is None:
        origin = request._casebook_origin = f"{request.scheme}://{request.get_host()}"
    return origin + path


def api_url(record, request=None) -> str:
    """The record's address in the API (absolute when there is a request)."""
    name = f"api:{record._meta.model_name}-detail"
    path = record_url(name, slug=record.slug) if has_slug(type(record)) else record_url(name, pk=record.pk)
    return absolute(request, path)


def record_name(record) -> str:
    if isinstance(record, Source):
        return record.title
    return getattr(record, "local_name", None) or str(record)


def ref(record, request=None) -> dict:
    """A related record as the API shows it (made once per request: a page names the
    same few sources, regions and programs again and again)."""
    made = getattr(request, "_casebook_refs", None) if request is not None else None
    if made is None:
        made = {}
        if request is not None:
            request._casebook_refs = made
    key = (type(record), record.pk)
    data = made.get(key)
    if data is None:
        if has_slug(type(record)):
            data = {"slug": record.slug, "name": record_name(record)}
        else:
            data = {"id": record.pk, "key": record.key}
        data["url"] = api_url(record, request)
        made[key] = data
    return data


class ListedRefs(serializers.ManyRelatedField):
    """Related records, read from the list a selector has already gathered
    (``listed``, e.g. a program's ``listed_regions``) where there is one."""

    def __init__(self, *, listed: str | None = None, **kwargs):
        self.listed = listed
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        for name in (self.listed, attached(self.field_name)):
            if name and hasattr(instance, name):
                return getattr(instance, name)
        return super().get_attribute(instance)


def attached(field_name: str) -> str:
    """Where ``attach_many`` puts a record's related records of ``field_name``."""
    return f"_api_{field_name}"


def attach_many(records: list, field_name: str, *, with_related: tuple[str, ...] = ()) -> None:
    """Each record's related records through the many-to-many ``field_name``, in the
    related model's order, as a plain list (``attached``): the links, then each related
    record once (a page of workshops names the same few sources a hundred times). A
    prefetch would build a manager and a queryset per record: most of a page's time."""
    if not records:
        return
    field = type(records[0])._meta.get_field(field_name)
    through = field.remote_field.through
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [f"{other}__{name}" for name in field.related_model._meta.ordering]
    links = list(
        through.objects.filter(**{f"{own}_id__in": [record.pk for record in records]})
        .order_by(*ordering, f"{other}_id")
        .values_list(f"{own}_id", f"{other}_id")
    )
    related = field.related_model._default_manager.select_related(*with_related).in_bulk({pk for _, pk in links})
    lists = {record.pk: [] for record in records}
    for record_id, related_id in links:
        lists[record_id].append(related[related_id])
    for record in records:
        setattr(record, attached(field_name), lists[record.pk])


class Ref(serializers.SlugRelatedField):
    """A related record: read as ``{"slug", "name", "url"}``, written as its slug."""

    @classmethod
    def many_init(cls, *args, listed: str | None = None, **kwargs):
        # As RelatedField.many_init, with the list the selector gathered.
        arguments = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return ListedRefs(listed=listed, child_relation=cls(*args, **kwargs), **arguments)

    def __init__(self, model, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.all())
        self.model = model
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, value):
        return ref(value, self.context.get("request"))
