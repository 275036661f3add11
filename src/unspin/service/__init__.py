"""The web API over a corpus store (``unspin serve``)."""

from unspin.service.app import create_app

__all__ = ["create_app"]
