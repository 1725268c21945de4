"""The user's files, read and written safely, with no knowledge of workbooks.

Atomic replacement and backups (``atomic``), whether a path can be written
(``writable``), a folder published at once (``staging``), Ctrl-C and SIGTERM unwinding
through a save (``interrupt``) and the progress line (``ticker``): engines, documents
and actions use these for every file they touch.
"""
