"""unspin: read a news article the way a fact-checker does."""

from unspin.api import analyze
from unspin.document import Document

__version__ = "0.1.0"
__all__ = ["Document", "__version__", "analyze"]
