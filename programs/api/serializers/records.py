"""Each record's serializer. Figures carry their value, bounds, qualifier, unit, period
and citation as fields, plus the readable text the pages show."""

from rest_framework import serializers

from programs import formatting
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
from programs.tables import citation_text

from .base import CasebookSerializer, ExactDecimalField
from .references import Ref


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
        return citation_text(obj)

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
