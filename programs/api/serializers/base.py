"""What every record's serializer shares: exact decimals, values read without DRF's
per-field machinery, values written only with the JSON type the schema gives them, and
every write checked by the model's ``full_clean()``."""

from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as ModelValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from .references import ListedRefs, Ref, absolute, api_url, ref


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
                from .records import SERIALIZERS  # the records' serializers build on this one

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
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
        finally:  # the record itself is changed by save(), not by its check
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
