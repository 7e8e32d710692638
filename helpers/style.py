"""The book's figure style: one matplotlib style file shared by every chapter.

Every chapter's first code cell applies it with plain matplotlib::

    from helpers.style import BOOK_STYLE
    plt.style.use(BOOK_STYLE)

It sizes figures for the text column (6.4 x 4 inches at 100 dpi) with labels at 12 pt and
ticks and legends at 11 pt, so that they stay readable when a phone shrinks them. Read the
file itself (``helpers/book.mplstyle``) to see every setting.

Example:
    >>> import matplotlib.pyplot as plt
    >>> from helpers.style import BOOK_STYLE
    >>> with plt.style.context(BOOK_STYLE):
    ...     print(plt.rcParams['figure.figsize'], plt.rcParams['legend.fontsize'])
    [6.4, 4.0] 11.0
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["BOOK_STYLE"]

#: Path of the style file, for ``plt.style.use(BOOK_STYLE)``.
BOOK_STYLE = str(Path(__file__).with_name("book.mplstyle"))
