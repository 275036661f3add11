"""The pipeline: named components run in order over one Document.

As in spaCy's Language, a component is any callable ``Document -> Document`` with a
``name``.  Components are imported only when a pipeline first needs them, and each one
loads its model once per process (see the ``load`` functions in the component modules), so
``--skip techniques`` never pays for the technique model.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Protocol

from unspin.document import Document


class Component(Protocol):
    name: str

    def __call__(self, doc: Document) -> Document: ...


# name -> "module:factory"; the order here is the order of the pipeline.
COMPONENTS: dict[str, str] = {
    "sentences": "unspin.components.sentences:SentenceSplitter",
    "entities": "unspin.components.entities:EntityLinker",
    "techniques": "unspin.components.techniques:TechniqueTagger",
    "claims": "unspin.components.claims:ClaimFinder",
    "events": "unspin.components.events:EventExtractor",
    "source": "unspin.components.source:SourceProfiler",
    "summary": "unspin.components.summary:Summarizer",
}


def _factory(name: str) -> Callable[[], Component]:
    module, attr = COMPONENTS[name].split(":")
    return getattr(importlib.import_module(module), attr)


class Pipeline:
    """Runs the enabled components, in order, over each Document."""

    def __init__(self, skip: Iterable[str] = (), options: dict[str, object] | None = None):
        skip = set(skip)
        unknown = skip - COMPONENTS.keys()
        if unknown:
            raise ValueError(
                f"unknown component(s) {', '.join(sorted(unknown))}; "
                f"choose from {', '.join(COMPONENTS)}"
            )
        self.options = dict(options or {})
        self.options.setdefault("summary.skipped", sorted(skip))
        self.names = [n for n in COMPONENTS if n not in skip]
        self._components: list[Component] | None = None

    @property
    def components(self) -> list[Component]:
        """The component instances, built on first use."""
        if self._components is None:
            self._components = [_factory(n)(**self._options_for(n)) for n in self.names]
        return self._components

    def _options_for(self, name: str) -> dict[str, object]:
        """Options addressed to one component, written ``name.option`` by the caller."""
        prefix = name + "."
        return {k[len(prefix) :]: v for k, v in self.options.items() if k.startswith(prefix)}

    def __call__(self, doc: Document) -> Document:
        for component in self.components:
            doc = component(doc)
        doc.cache.clear()
        return doc
