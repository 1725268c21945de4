"""预算项目绩效目标表 tooling: the workbook model, engines, rules and the Excel add-in."""

__version__ = "0.1.0"

from xl_addin import moved as _moved

_moved.install()
