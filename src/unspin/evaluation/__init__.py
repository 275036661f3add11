"""Scorers that measure unspin against gold data, one module per `unspin eval` task."""
