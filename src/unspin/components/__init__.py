"""Pipeline components: each module fills one layer of the Document.

A component is a module here named after it, registered with ``@component(name,
requires=..., assigns=...)`` (see ``unspin.pipeline.registry``); ``PIPELINE`` is the order
they run in.  Modules not listed (attribution, genre) hold rules their component uses.
"""

PIPELINE = (
    "language",
    "sentences",
    "dates",
    "quantities",
    "entities",
    "identity",
    "techniques",
    "claims",
    "events",
    "source",
    "summary",
)
