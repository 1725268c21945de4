"""The template workbook: built by code, committed under ``workbook_templates/``."""
