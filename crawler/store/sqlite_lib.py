"""`sqlite_utils`, imported without pandas and numpy.

sqlite_utils imports pandas and numpy at import time whenever they are installed, only to recognise their scalar
types when it infers a column type from a Python value. The store never hands it such values (signatures are
bytes, band keys are ints, every table's columns are declared in `crawler/store/schema.py`), yet the import
would cost every process that opens a store ~15 MB of numpy (and pandas's ~50 MB where a user has it): the
crawl's own process, which opens its store for runs and crawl state only, and `crawler export`. The process
that does need numpy (the one writing articles: `crawler.neardup`) imports it itself.

This module is the store's one import of sqlite_utils, and `crawler.store` imports it first, so every later
`import sqlite_utils` gets the same module.
"""

from __future__ import annotations

import sys

_HIDDEN = ("pandas", "numpy")

_hide = [name for name in _HIDDEN if name not in sys.modules]
for _name in _hide:
    sys.modules[_name] = None  # type: ignore[assignment]  # `import numpy` raises ImportError while set
try:
    import sqlite_utils
finally:
    for _name in _hide:
        del sys.modules[_name]

__all__ = ["sqlite_utils"]
