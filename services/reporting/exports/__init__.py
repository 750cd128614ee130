"""Exports of the reporting service: any table view as an Excel workbook, and the printable report of a
period in the layout of an official Vietnamese administrative report (HTML with a print stylesheet)."""
