"""Documents in and out, knowing the model and the forms but no workbook action.

``importers`` read what units publish (text, Word, web pages, PDF, workbooks) into the
model; ``exporters`` write the published .docx layout and stream large .xlsx files;
``libreoffice`` converts files (recalculation, PDF) with LibreOffice.
"""
