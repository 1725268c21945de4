"""Engines: one ``Book`` protocol, several ways to reach a workbook.

``file`` works on .xlsx/.xlsm files through openpyxl (CLI, batch review), ``memory`` holds
grids in memory (unit tests), ``live`` drives an open Excel workbook through xlwings.
Actions take a ``Book`` and never know which engine is behind it.
"""
