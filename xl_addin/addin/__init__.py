"""The Excel add-in package (.xlam): its parts, its VBA project, building and installing.

``parts`` writes the zip, ``vba_export`` has LibreOffice write ``xl/vbaProject.bin``
from the VBA text (``uno_session`` runs inside LibreOffice's Python), ``build`` puts
them together from ``vba_bridge/`` and installs on Windows, and ``launcher`` is the
Python end of the VBA launcher (which workbook called).
"""
