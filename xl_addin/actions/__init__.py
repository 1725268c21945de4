"""Actions: what the buttons and the commands do, on any engine's ``Book``.

``workbook`` builds, imports and validates workbooks; ``marks`` writes validation marks
and 校验结果; ``accepting`` 已说明; ``fill`` default rows; ``consolidate`` and
``summary`` the 汇总 (``summary_csv`` its CSV); ``submit`` (with ``scrub``) the
submission; ``next_year`` 复制上年; ``review``, ``previous`` and ``review_book`` the
finance bureau's batch review; ``serialize`` the ``dump`` JSON.

``from xl_addin.actions import build_workbook`` (the module this package replaced) still
works for one release, with a DeprecationWarning: import from ``actions.workbook``.
"""

from __future__ import annotations

from xl_addin.moved import forward

__getattr__ = forward(__name__)
