"""How the admin reads and writes CSV files: cells a spreadsheet would run as
formulas are neutralised on the way out and restored on the way in, and an
uploaded file is read back byte for byte."""

import tablib
from import_export.formats.base_formats import CSV
from import_export.tmp_storages import TempFolderStorage

from programs.exports import FORMULA_STARTS, neutralise


def restore(value):
    """Undo ``neutralise``: the apostrophe before a formula start comes off, any other stays."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def map_cells(dataset: tablib.Dataset, function) -> tablib.Dataset:
    return tablib.Dataset(*([function(cell) for cell in row] for row in dataset), headers=dataset.headers)


class SpreadsheetSafeCSV(CSV):
    """CSV whose cells a spreadsheet never runs as formulas. Exporting gives
    formula-like text a leading apostrophe, as the public export does;
    importing takes exactly that apostrophe off again, so an exported file
    imports back unchanged."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(map_cells(dataset, neutralise), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return map_cells(super().create_dataset(in_stream, **kwargs), restore)


class ByteExactTempStorage(TempFolderStorage):
    """Reads an uploaded file back byte for byte, for the format to decode.
    Reading it as text would turn a carriage return inside a cell into a
    newline, so a neutralised "\\r" cell, or any text with Windows line ends,
    would not import back unchanged."""

    def read(self):
        with open(self.get_full_path(), "rb") as file:
            return file.read()
