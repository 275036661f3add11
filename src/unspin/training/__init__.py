"""Training code for the small heads in ``unspin.models``; the installed tool never imports it."""
