"""Administrative regions, stored as a tree with a materialised path so that
“everything below this region” is one indexed prefix query."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.choices import REGION_LEVEL_DEPTH, Belt, RegionLevel
from programs.languages import in_chinese, local_name
from programs.links import record_url

from .base import names_field, search_text_field

PATH_SEPARATOR = "/"


class RegionQuerySet(models.QuerySet):
    def descendants_of(self, region: "Region", *, include_self: bool = True):
        """The region's whole subtree, in one query on the indexed path column."""
        qs = self.filter(path__startswith=region.path)
        return qs if include_self else qs.exclude(pk=region.pk)

    def ancestors_of(self, region: "Region"):
        """The regions above this one, coarsest first, read off its path."""
        slugs = region.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]
        return self.filter(slug__in=slugs).order_by("path")


def below_path(field: str, path) -> Q:
    """``field`` (a region path) lies in the subtree whose path is ``path``, an
    expression such as ``OuterRef("path")``. Paths end with "/", so the subtree is
    the range [path, path with its last "/" turned into "0") — ``path`` a string, or
    an expression from the outer query — which an index on the path serves (a LIKE with a
    pattern that is not constant cannot use one). The range is compared byte by
    byte (``path_from`` and ``path_before``)."""
    upper = path[:-1] + "0" if isinstance(path, str) else Concat(Substr(path, 1, Length(path) - 1), Value("0"))
    return Q(**{f"{field}__path_from": path}) & Q(**{f"{field}__path_before": upper})


class _BytewiseComparison(models.Lookup):
    """A path compared byte by byte: SQLite's own order; on PostgreSQL the
    pattern operators, which the path's ``varchar_pattern_ops`` index serves even
    when the other side comes from the outer query (whereas ``LIKE outer.path || '%'``
    reads every region once per outer row)."""

    operators: dict[str, str]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = self.operators["postgresql" if connection.vendor == "postgresql" else "sqlite"]
        return f"{lhs} {operator} {rhs}", [*lhs_params, *rhs_params]


class PathFrom(_BytewiseComparison):
    lookup_name = "path_from"
    operators = {"sqlite": ">=", "postgresql": "~>=~"}


class PathBefore(_BytewiseComparison):
    lookup_name = "path_before"
    operators = {"sqlite": "<", "postgresql": "~<~"}


class InSubquery(In):
    """``key IN (subquery)``; on PostgreSQL ``key = ANY(ARRAY(subquery))``. Under an
    OR (a record in a region through any of several keys), PostgreSQL turns an IN
    subquery into a filter run on every candidate row; an array it can look up in
    each key's index and combine the branches (a BitmapOr). SQLite serves either
    form with an index lookup per branch, so it keeps the IN."""

    lookup_name = "in_subquery"

    def as_postgresql(self, compiler, connection):
        if self.rhs_is_direct_value():  # a list of values: a plain IN
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)  # "(SELECT …)"
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


models.ForeignKey.register_lookup(InSubquery)


class RegionManager(models.Manager.from_queryset(RegionQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Region(models.Model):
    """An administrative unit of China (or China itself): a province, a
    prefecture-level city, a county or city district, a township or a village.
    Regions form a tree through ``parent``; ``path`` lists the slugs from the
    root down and is kept in step by ``save()``."""

    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Short identifier used in URLs, fixtures and paths, e.g. “tiandeng”."),
    )
    name_en = models.CharField(
        _("English name"),
        max_length=120,
        db_index=True,
        help_text=_("Name in English without the level word, e.g. “Tiandeng”."),
    )
    name_zh = models.CharField(
        _("Chinese name"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("Name in Chinese characters with its level word, e.g. “天等县”."),
    )
    level = models.CharField(
        _("level"),
        max_length=12,
        choices=RegionLevel.choices,
        db_index=True,
        help_text=_("Administrative level; a city district counts as a county."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
        help_text=_("The region this one belongs to, e.g. Chongzuo for Tiandeng."),
    )
    path = models.CharField(
        _("path"),
        max_length=400,
        unique=True,
        editable=False,
        help_text=_("Slugs from the root down, e.g. “china/guangxi/chongzuo/tiandeng/”; set automatically."),
    )
    belt = models.CharField(
        _("economic belt"),
        max_length=8,
        choices=Belt.choices,
        blank=True,
        db_index=True,
        help_text=_("East, Central or West belt, e.g. West for Guangxi; blank for the country."),
    )
    is_poverty_county = models.BooleanField(
        _("nationally designated poverty county"),
        null=True,
        blank=True,
        help_text=_("Yes or no where a source or the national list says so; unknown otherwise."),
    )
    aliases = models.TextField(
        _("other names"),
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Further names people use for the region, one per line, e.g. “Linxia City” or an old spelling. "
            "The short forms (临夏州, 临夏), pinyin and “… County” are found without being listed here."
        ),
    )
    note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_("How the name was identified, e.g. “‘Zhengxian’ in the translation is Hezheng”."),
    )

    objects = RegionManager()
    names = names_field()
    search_text = search_text_field()

    history = HistoricalRecords(excluded_fields=["names", "search_text"])

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs a pattern-ops index; the opclass
            # is ignored by SQLite, whose own index serves the prefix query.
            models.Index(fields=["path"], name="region_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # A list's cascade starts at the provinces, by name: 31 rows read in order,
            # where the name index alone had every region looked up for its level.
            models.Index(fields=["level", "name_en"], name="region_level_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="region_not_own_parent",
                violation_error_message=_("A region cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=~Q(path=""),
                name="region_path_required",
                violation_error_message=_("A region needs a path."),
            ),
        ]

    def __str__(self):
        """Both names, the interface language's first: “Lüeyang (略阳县)”, in Chinese “略阳县 (Lüeyang)”."""
        if not self.name_zh:
            return self.name_en
        if in_chinese():
            return f"{self.name_zh} ({self.name_en})"
        return f"{self.name_en} ({self.name_zh})"

    def save(self, *args, **kwargs):
        """Keep ``path`` in step with slug and parent, for this region and,
        when it moves, for its whole subtree in one UPDATE."""
        old_path = self.path
        self.path = self.build_path()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
                )
                # The subtree has its new paths only now: its names (and the texts carrying
                # them) follow the move from here, not from the save's signal.
                from programs.services import search_index

                search_index.refresh_names({"region": {self.pk}}, using=kwargs.get("using") or self._state.db)

    def get_absolute_url(self):
        return record_url("programs:region_detail", slug=self.slug)

    @property
    def local_name(self) -> str:
        return local_name(self.name_en, self.name_zh)

    @property
    def other_name(self) -> str:
        """The name in the other language ("" where there is none)."""
        return self.name_en if self.name_zh and in_chinese() else self.name_zh

    def natural_key(self):
        return (self.slug,)

    def own_names(self) -> list[str]:
        """Every name of this region itself: official, short forms, English, pinyin, aliases."""
        from programs.services.place_names import own_names

        return own_names(name_en=self.name_en, name_zh=self.name_zh, level=self.level, aliases=self.aliases)

    def build_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.slug}{PATH_SEPARATOR}"

    def clean(self):
        super().clean()
        if self.slug:
            self.path = self.build_path()  # so the path constraints validate what save() will store
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A region cannot be its own parent."})
        stored_path = Region.objects.filter(pk=self.pk).values_list("path", flat=True).first() if self.pk else None
        if stored_path and self.parent.path.startswith(stored_path):
            raise ValidationError({"parent": "A region cannot sit below one of its own descendants."})
        if self.level and REGION_LEVEL_DEPTH[self.parent.level] >= REGION_LEVEL_DEPTH[self.level]:
            raise ValidationError(
                {
                    "parent": f"A {self.get_level_display().lower()} cannot sit below a "
                    f"{self.parent.get_level_display().lower()}."
                }
            )


Region._meta.get_field("path").register_lookup(PathFrom)
Region._meta.get_field("path").register_lookup(PathBefore)
