"""Reads a workbook with openpyxl, an independent reader, and prints what the tests compare as
JSON: per sheet its title, cells (value and Python type), frozen pane, filter, bold header and
column widths; the document's title and creator; and whether every part is well-formed XML."""
import json
import sys
import zipfile
from xml.dom import minidom

import openpyxl


def cell(value):
    kind = type(value).__name__
    if kind == 'datetime':
        return {'type': kind, 'value': value.isoformat()}
    if kind == 'float' and value != value:
        return {'type': kind, 'value': 'nan'}
    return {'type': kind, 'value': value}


def main(path):
    with zipfile.ZipFile(path) as archive:
        parts = {}
        for name in archive.namelist():
            try:
                minidom.parseString(archive.read(name))
                parts[name] = 'well-formed'
            except Exception as error:  # noqa: BLE001 - the test shows the reason
                parts[name] = str(error)
    book = openpyxl.load_workbook(path)
    sheets = []
    for sheet in book.worksheets:
        rows = [[cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        header = next(sheet.iter_rows(min_row=1, max_row=1), ())
        sheets.append({
            'title': sheet.title,
            'rows': rows,
            'freezePanes': sheet.freeze_panes,
            'autoFilter': sheet.auto_filter.ref,
            'boldHeader': [bool(c.font and c.font.b) for c in header],
            'numberFormats': [[c.number_format for c in row] for row in sheet.iter_rows(min_row=2, max_row=2)],
            'widths': {key: dim.width for key, dim in sheet.column_dimensions.items() if dim.customWidth},
        })
    print(json.dumps({
        'sheets': sheets,
        'title': book.properties.title,
        'creator': book.properties.creator,
        'definedNames': [[d.name, d.localSheetId, d.hidden, d.attr_text] for d in book.defined_names.definedName],
        'parts': parts,
    }))


main(sys.argv[1])
