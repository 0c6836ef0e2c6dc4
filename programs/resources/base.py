"""The resource every casebook model's CSV columns are declared on.

Related records are named by their slugs, never by database ids; rows are
matched on natural keys; every row is checked with ``full_clean()``; and every
error names the row, the column and the value. Rows are counted from the first
row below the header, as the admin's preview table counts them.
"""

import functools

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError
from import_export import resources
from import_export import widgets as base_widgets
from import_export.results import RowResult
from import_export.utils import get_related_model

from . import widgets

# The code of a cell the widget could not read: its message already names the value.
UNREADABLE = "unreadable"


class CasebookResource(resources.ModelResource):
    """Reads cells strictly (see ``widgets``) and locates every error in the file."""

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        **{
            name: widgets.WholeNumberWidget
            for name, widget in resources.ModelResource.WIDGETS_MAP.items()
            if widget is base_widgets.IntegerWidget
        },
        "DecimalField": widgets.DecimalWidget,
        "BooleanField": widgets.BooleanWidget,
        "NullBooleanField": widgets.BooleanWidget,
    }

    class Meta:
        # Related records are named, not numbered: with this flag import-export
        # sets the related record itself rather than a raw id, and
        # ``get_fk_widget`` below names it by its slug.
        use_natural_foreign_keys = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        """Refuse the whole file when a header is not a column of this resource
        (a misspelt header would otherwise be dropped silently) or two rows
        name the same record (the second would silently overwrite the first)."""
        super().before_import(dataset, **kwargs)
        headers = list(dataset.headers or [])
        columns = [field.column_name for field in self.get_import_fields()]
        unknown = [header for header in headers if header not in columns]
        if unknown:
            names = ", ".join(widgets.quoted(header) for header in unknown)
            raise ValueError(f"unknown column {names}; the columns are: {', '.join(columns)}")
        repeated = sorted({header for header in headers if headers.count(header) > 1})
        if repeated:
            raise ValueError(f"the column {', '.join(widgets.quoted(name) for name in repeated)} appears twice")
        self.check_keys_unique(dataset, headers)

    def check_keys_unique(self, dataset, headers):
        key_columns = [self.fields[name].column_name for name in self._meta.import_id_fields]
        if not set(key_columns) <= set(headers):
            return  # import-export itself reports the missing key columns
        first_row = {}
        for number, row in enumerate(dataset.dict, start=1):
            key = tuple(str(row[column] or "").strip() for column in key_columns)
            if key in first_row:
                shown = ", ".join(
                    f"{column} {widgets.quoted(value)}" for column, value in zip(key_columns, key, strict=True)
                )
                raise ValueError(f"rows {first_row[key]} and {number} both name the record with {shown}")
            first_row[key] = number

    @classmethod
    def get_fk_widget(cls, field):
        return functools.partial(widgets.SlugWidget, model=get_related_model(field))

    @classmethod
    def get_m2m_widget(cls, field):
        return functools.partial(widgets.SlugListWidget, model=get_related_model(field))

    @classmethod
    def widget_from_django_field(cls, f, default=base_widgets.Widget):
        if f.choices and not f.is_relation:
            return functools.partial(widgets.ChoiceWidget, choices=f.flatchoices)
        return super().widget_from_django_field(f, default)

    def get_instance(self, instance_loader, row):
        """A natural key naming an unknown record (a source that does not exist)
        matches nothing: the row is new, and reading its cells reports the name."""
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def import_instance(self, instance, row, **kwargs):
        """As import-export's, but a cell that cannot be read keeps its own
        message, and lists of related records are read (and refused when one is
        unknown or a required list is empty) before anything is saved; they are
        set by ``save_m2m()`` once the record has been saved."""
        errors = {}
        for field in self.get_import_fields():
            try:
                if isinstance(field.widget, base_widgets.ManyToManyWidget):
                    self.check_related_list(field, row)
                else:
                    self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code=UNREADABLE)
        if errors:
            raise ValidationError(errors)

    def check_related_list(self, field, row):
        if field.column_name not in row:
            return
        model_field = self._meta.model._meta.get_field(field.attribute)
        if not field.clean(row) and not model_field.blank:
            raise ValueError(f"name at least one {model_field.related_model._meta.verbose_name}")

    def import_row(self, row, instance_loader, **kwargs):
        """Name the row and column in every error; a database refusal of the row
        (a unique clash that ``full_clean()`` did not see coming) is an error of
        the row like any other, so the whole file is rolled back and shown."""
        row_result = super().import_row(row, instance_loader, **kwargs)
        number = kwargs["row_number"]
        if row_result.validation_error is not None:
            row_result.validation_error = self.located(row_result.validation_error, row, number)
        elif row_result.errors and isinstance(row_result.errors[-1].error, DatabaseError):
            refusal = row_result.errors[-1].error
            row_result.errors = []
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(f"row {number}: the database refused it: {refusal}")
        return row_result

    def located(self, error: ValidationError, row, number: int) -> ValidationError:
        columns = {field.attribute: field.column_name for field in self.get_import_fields()}
        located = {}
        for name, errors in error.update_error_dict({}).items():
            located[name] = [self.locate(name, columns.get(name), row, number, each) for each in errors]
        return ValidationError(located)

    @staticmethod
    def locate(name, column, row, number, error: ValidationError) -> str:
        (message,) = error.messages
        if name == NON_FIELD_ERRORS:
            return f"row {number}: {message}"
        if column is None:
            return f"row {number}, {name}: {message}"
        value = row.get(column)
        if error.code == UNREADABLE or value in (None, ""):
            return f"row {number}, column {column}: {message}"
        return f"row {number}, column {column}, value {widgets.quoted(value)}: {message}"
