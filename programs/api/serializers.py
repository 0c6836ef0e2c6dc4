"""How each record reads in the API, and how editors write it.

Related records read as objects with their slug (or a figure's id and key), name and
API address, and are written as their slug. Figures carry their value, bounds,
qualifier, unit, period and citation as fields, plus the readable text the pages show.
Amounts are decimal strings ("3680000000"), exact as stored: never a rounded float."""

from decimal import Decimal
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as ModelValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from programs import formatting
from programs.links import record_url
from programs.models import (
    Approach,
    Funding,
    Indicator,
    Outcome,
    Pairing,
    Program,
    Region,
    Source,
    SupportMeasure,
    Workshop,
)

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


class ExactDecimalField(serializers.DecimalField):
    """A decimal written out in full and exactly ("3680000000", "0.5"), never as a float."""

    def __init__(self, **kwargs):
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        number = Decimal(value).normalize()
        return format(number, "f")


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


def storable(text: str) -> bool:
    """Whether a database can store ``text``: no NUL (PostgreSQL refuses it) and no
    half of a surrogate pair (which is no character and cannot be written as UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _wrong_type(field, value) -> str | None:
    """The JSON type ``value`` should have had for ``field``, if it has another (text
    that no database can store counts as the wrong type)."""
    if isinstance(field, serializers.ManyRelatedField):
        ok = isinstance(value, list) and all(isinstance(item, str) and storable(item) for item in value)
        return None if ok else _("list of slugs")
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("true or false")
    if isinstance(field, serializers.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else _("whole number")
    if isinstance(
        field,
        serializers.CharField | serializers.ChoiceField | serializers.DecimalField | serializers.DateField | Ref,
    ):
        return None if isinstance(value, str) and storable(value) else _("string")
    return None


# Fields whose value is the model attribute itself (a str, int, bool or None, as DRF's
# own to_representation would give it): read without DRF's per-field machinery.
PLAIN_FIELDS = (
    serializers.CharField,
    serializers.SlugField,
    serializers.URLField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.ChoiceField,
)


def reader(field, serializer):
    """A function reading ``field`` of a record as DRF's ``to_representation`` would,
    without its per-field overhead (a page of 100 records reads thousands of fields);
    a kind of field not known here is read by DRF itself."""
    attrs = field.source_attrs
    request = serializer.context.get("request")

    def value(record):
        for attr in attrs:
            record = getattr(record, attr)
            if record is None:
                return None
        return record

    if isinstance(field, serializers.SerializerMethodField):
        return getattr(serializer, field.method_name)
    if isinstance(field, ListedRefs):
        return lambda record: [ref(item, request) for item in field.get_attribute(record)]
    if isinstance(field, Ref):
        return lambda record: None if (found := value(record)) is None else ref(found, request)
    if isinstance(field, ExactDecimalField | serializers.DateField):
        return lambda record: None if (found := value(record)) is None else field.to_representation(found)
    if type(field) in PLAIN_FIELDS and len(attrs) == 1:
        return value

    def generic(record):
        found = field.get_attribute(record)
        return None if found is None else field.to_representation(found)

    return generic


class CasebookSerializer(serializers.ModelSerializer):
    """Shared by every record: its API address and its page; ``expand`` (from the
    request) embeds the named related records whole instead of as references."""

    url = serializers.SerializerMethodField(help_text="This record in the API.")
    page = serializers.SerializerMethodField(help_text="This record's page in the casebook, where it has one.")

    expandable: tuple[str, ...] = ()

    def get_url(self, obj) -> str:
        return api_url(obj, self.context.get("request"))

    def get_page(self, obj) -> str | None:
        request = self.context.get("request")
        if not hasattr(obj, "get_absolute_url"):
            return None
        return absolute(request, obj.get_absolute_url())

    def to_representation(self, instance):
        readers = self.__dict__.get("_readers")
        if readers is None:
            readers = self._readers = [(field.field_name, reader(field, self)) for field in self._readable_fields]
        data = {name: read(instance) for name, read in readers}
        for name in self.context.get("expand", ()):
            if name in self.expandable and name in data:
                related = getattr(instance, name)
                if related is None:
                    continue
                serializer = SERIALIZERS[related._meta.model_name]
                data[name] = serializer(related, context={**self.context, "expand": ()}).data
        return data

    def to_internal_value(self, data):
        """Each value of the JSON type the schema gives it: DRF would turn 0 into "0" or
        false, and "5" into 5; here a value of another type is refused, with a message."""
        if isinstance(data, dict):
            wrong = {
                name: [_("Not a valid %(kind)s.") % {"kind": kind}]
                for name, field in self.fields.items()
                if not field.read_only
                and name in data
                and data[name] is not None
                and (kind := _wrong_type(field, data[name]))
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)

    def validate(self, attrs):
        """Every write is checked as the admin checks it: the model's ``full_clean()``
        (fields, cross-field rules and constraints) on the record as it would be saved."""
        attrs = super().validate(attrs)
        many = {name: attrs.pop(name) for name in list(attrs) if self._is_many(name)}
        instance = self.instance or self.Meta.model()
        originals = {name: getattr(instance, name) for name in attrs} if self.instance else {}
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(exclude=self._excluded())
        except ModelValidationError as error:
            for name, value in originals.items():
                setattr(instance, name, value)
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        if self.instance:
            for name, value in originals.items():
                setattr(instance, name, value)
        attrs.update(many)
        return attrs

    def _is_many(self, name: str) -> bool:
        try:
            return self.Meta.model._meta.get_field(name).many_to_many
        except FieldDoesNotExist:
            return False

    def _excluded(self) -> list[str]:
        """Fields the API does not write (maintained by the casebook)."""
        writable = {name for name, field in self.fields.items() if not field.read_only}
        return [field.name for field in self.Meta.model._meta.fields if field.name not in writable]


class SourceSerializer(CasebookSerializer):
    class Meta:
        model = Source
        fields = (
            "url",
            "page",
            "slug",
            "title",
            "publisher",
            "published_on",
            "published_year",
            "kind",
            "language",
            "web_address",
            "file_name",
            "summary",
            "note",
        )
        extra_kwargs = {"web_address": {"source": "url", "required": False}}


class ApproachSerializer(CasebookSerializer):
    page = None

    class Meta:
        model = Approach
        fields = ("url", "slug", "name", "name_zh", "description")


class IndicatorSerializer(CasebookSerializer):
    class Meta:
        model = Indicator
        fields = ("url", "page", "slug", "name", "name_zh", "unit", "higher_is_better", "description")


class RegionSerializer(CasebookSerializer):
    parent = Ref(Region, required=False, allow_null=True)
    name = serializers.SerializerMethodField(help_text="The name in the request's language.")

    class Meta:
        model = Region
        fields = (
            "url",
            "page",
            "slug",
            "name",
            "name_en",
            "name_zh",
            "level",
            "parent",
            "path",
            "belt",
            "is_poverty_county",
            "aliases",
            "note",
        )
        read_only_fields = ("path",)

    def get_name(self, obj) -> str:
        return obj.local_name


class PairingSerializer(CasebookSerializer):
    donor = Ref(Region)
    recipient = Ref(Region)
    parent = Ref(Pairing, required=False, allow_null=True)
    sources = Ref(Source, many=True)
    name = serializers.SerializerMethodField(help_text="Donor → recipient.")
    period = serializers.SerializerMethodField(help_text="The years, as the pages read them.")
    expandable = ("donor", "recipient")

    class Meta:
        model = Pairing
        fields = (
            "url",
            "page",
            "slug",
            "name",
            "donor",
            "recipient",
            "level",
            "framework",
            "parent",
            "start_year",
            "end_year",
            "period",
            "description",
            "sources",
            "note",
        )

    def get_name(self, obj) -> str:
        return str(obj)

    def get_period(self, obj) -> str:
        return formatting.period(obj.start_year, obj.end_year)


class ProgramSerializer(CasebookSerializer):
    approaches = Ref(Approach, many=True, required=False, listed="listed_approaches")
    regions = Ref(Region, many=True, required=False, listed="listed_regions")
    pairings = Ref(Pairing, many=True, required=False)
    sources = Ref(Source, many=True)
    period = serializers.SerializerMethodField(help_text="The years, as the pages read them.")

    class Meta:
        model = Program
        fields = (
            "url",
            "page",
            "slug",
            "name",
            "name_zh",
            "summary",
            "implementer",
            "approaches",
            "regions",
            "pairings",
            "year_start",
            "year_end",
            "period",
            "lessons",
            "challenges",
            "sources",
            "note",
        )

    def get_period(self, obj) -> str:
        return formatting.period(obj.year_start, obj.year_end)


class WorkshopSerializer(CasebookSerializer):
    region = Ref(Region)
    program = Ref(Program, required=False, allow_null=True)
    pairing = Ref(Pairing, required=False, allow_null=True)
    sources = Ref(Source, many=True)
    expandable = ("region", "program", "pairing")

    class Meta:
        model = Workshop
        fields = (
            "url",
            "page",
            "slug",
            "name",
            "name_zh",
            "kind",
            "region",
            "program",
            "pairing",
            "operator",
            "ownership",
            "industry",
            "products",
            "opening_year",
            "closing_year",
            "status",
            "description",
            "sources",
            "note",
        )


class FigureSerializer(CasebookSerializer):
    """What every figure has: its source and where in it (the citation), its hedge."""

    id = serializers.IntegerField(read_only=True)
    source = Ref(Source)
    citation = serializers.SerializerMethodField(help_text="The source and where in it, as the pages cite it.")
    text = serializers.SerializerMethodField(help_text="The figure as the pages read it, hedge and unit included.")
    period = serializers.SerializerMethodField(help_text="The period, as the pages read it.")
    # What the figure is about (support measures name no pairing).
    pairing = Ref(Pairing, required=False, allow_null=True)
    program = Ref(Program, required=False, allow_null=True)
    workshop = Ref(Workshop, required=False, allow_null=True)

    FIGURE_FIELDS = ("url", "page", "id", "key", "source", "locator", "citation", "qualifier", "text")

    def get_citation(self, obj) -> str:
        source = obj.source
        return f"{source.publisher} ({source.published_year}), {obj.locator}" if obj.locator else str(source)

    def get_period(self, obj) -> str:
        return formatting.period(getattr(obj, "year_start", None), getattr(obj, "year_end", None))


SUBJECTS = ("program", "pairing", "workshop")


class FundingSerializer(FigureSerializer):
    amount = ExactDecimalField(max_digits=20, decimal_places=2)
    amount_max = ExactDecimalField(max_digits=20, decimal_places=2, required=False, allow_null=True)
    usd_amount = ExactDecimalField(
        max_digits=20,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="The US-dollar amount only where the source itself states one.",
    )
    funder_region = Ref(Region, required=False, allow_null=True)
    recipient_region = Ref(Region, required=False, allow_null=True)
    expandable = ("source", "funder_region", "recipient_region", *SUBJECTS)

    class Meta:
        model = Funding
        fields = (
            *FigureSerializer.FIGURE_FIELDS,
            "amount",
            "amount_max",
            "currency",
            "usd_amount",
            "is_annual",
            "year_start",
            "year_end",
            "period",
            "kind",
            "purpose",
            "funder_region",
            "funder_organisation",
            "recipient_region",
            *SUBJECTS,
            "note",
        )

    def get_text(self, obj) -> str:
        return obj.amount_text


class OutcomeSerializer(FigureSerializer):
    indicator = Ref(Indicator)
    value = ExactDecimalField(max_digits=20, decimal_places=4)
    value_max = ExactDecimalField(max_digits=20, decimal_places=4, required=False, allow_null=True)
    baseline_value = ExactDecimalField(max_digits=20, decimal_places=4, required=False, allow_null=True)
    baseline = serializers.SerializerMethodField(help_text="The baseline as the pages read it, e.g. “41% in 2014”.")
    region = Ref(Region, required=False, allow_null=True)
    expandable = ("source", "indicator", "region", *SUBJECTS)

    class Meta:
        model = Outcome
        fields = (
            *FigureSerializer.FIGURE_FIELDS,
            "indicator",
            "unit",
            "value",
            "value_max",
            "year_start",
            "year_end",
            "as_of",
            "period",
            "baseline_value",
            "baseline_qualifier",
            "baseline_year",
            "baseline",
            "region",
            *SUBJECTS,
            "perspective",
            "attributed_to",
            "description",
            "note",
        )
        read_only_fields = ("unit",)

    def get_text(self, obj) -> str:
        return obj.value_text

    def get_baseline(self, obj) -> str:
        return obj.baseline_text


class SupportMeasureSerializer(FigureSerializer):
    value = ExactDecimalField(max_digits=20, decimal_places=4, required=False, allow_null=True)
    value_max = ExactDecimalField(max_digits=20, decimal_places=4, required=False, allow_null=True)
    pairing = None
    period = None
    page = None
    expandable = ("source", "program", "workshop")

    class Meta:
        model = SupportMeasure
        fields = (
            "url",
            "id",
            "key",
            "source",
            "locator",
            "citation",
            "qualifier",
            "text",
            "kind",
            "beneficiary",
            "description",
            "value",
            "value_max",
            "unit",
            "program",
            "workshop",
            "note",
        )

    def get_text(self, obj) -> str:
        return obj.value_text


SERIALIZERS: dict[str, type[CasebookSerializer]] = {
    "source": SourceSerializer,
    "approach": ApproachSerializer,
    "indicator": IndicatorSerializer,
    "region": RegionSerializer,
    "pairing": PairingSerializer,
    "program": ProgramSerializer,
    "workshop": WorkshopSerializer,
    "funding": FundingSerializer,
    "outcome": OutcomeSerializer,
    "supportmeasure": SupportMeasureSerializer,
}
