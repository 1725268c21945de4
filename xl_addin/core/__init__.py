"""The core: the workbook model and what every layer above speaks.

The model (``model``), sheets as grids of values (``grid``), changes to a workbook as
data (``patch``), the ``Book`` protocol engines implement (``book``), findings
(``findings``), user errors and exit codes (``errors``), and the reading of what a
clerk typed — numbers (``numbers``, bounded by ``limits``), cell texts (``cellvalues``),
target values (``valueparse``) — and text wrapping (``wrap``).  Nothing here touches a
file the user named or imports beyond the standard library (but rich's display widths,
for ``wrap``): every other folder builds on this one (tests/test_layers.py).
"""
