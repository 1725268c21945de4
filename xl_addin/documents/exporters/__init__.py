"""Writers that turn a ``WorkbookModel`` back into documents users hand in or publish."""
