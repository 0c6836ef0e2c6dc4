"""Columns of the records other records point to: sources, regions,
approaches, indicators, programs, pairings and workshops. Each is matched on
its slug; related records are named by their slugs, lists of them separated
by semicolons."""

from programs.models import Approach, Indicator, Pairing, Program, Region, Source, Workshop

from .base import CasebookResource


class SlugResource(CasebookResource):
    class Meta(CasebookResource.Meta):
        import_id_fields = ("slug",)


class SourceResource(SlugResource):
    class Meta(SlugResource.Meta):
        model = Source
        fields = (
            "slug",
            "title",
            "publisher",
            "published_on",
            "published_year",
            "kind",
            "language",
            "url",
            "file_name",
            "summary",
            "note",
        )
        export_order = fields


class RegionResource(SlugResource):
    """A region's parent may be a region defined earlier in the same file: rows
    are saved in order, inside the import's transaction. The path is derived
    from the parents, so it is neither imported nor exported."""

    class Meta(SlugResource.Meta):
        model = Region
        fields = ("slug", "name_en", "name_zh", "level", "parent", "belt", "is_poverty_county", "aliases", "note")
        export_order = fields


class ApproachResource(SlugResource):
    class Meta(SlugResource.Meta):
        model = Approach
        fields = ("slug", "name", "name_zh", "description")
        export_order = fields


class IndicatorResource(SlugResource):
    class Meta(SlugResource.Meta):
        model = Indicator
        fields = ("slug", "name", "name_zh", "unit", "higher_is_better", "description")
        export_order = fields


class ProgramResource(SlugResource):
    class Meta(SlugResource.Meta):
        model = Program
        fields = (
            "slug",
            "name",
            "name_zh",
            "implementer",
            "year_start",
            "year_end",
            "approaches",
            "regions",
            "pairings",
            "sources",
            "summary",
            "lessons",
            "challenges",
            "note",
        )
        export_order = fields


class PairingResource(SlugResource):
    class Meta(SlugResource.Meta):
        model = Pairing
        fields = (
            "slug",
            "donor",
            "recipient",
            "level",
            "framework",
            "parent",
            "start_year",
            "end_year",
            "sources",
            "description",
            "note",
        )
        export_order = fields


class WorkshopResource(SlugResource):
    class Meta(SlugResource.Meta):
        model = Workshop
        fields = (
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
            "sources",
            "description",
            "note",
        )
        export_order = fields
