"""The pipeline: declared components run in order over one Document.

As in spaCy's Language, each component is registered with what it requires and assigns
(``unspin.pipeline.registry``); the order is ``unspin.components.PIPELINE``.  Building a
Pipeline checks that every requirement is assigned by an earlier enabled component, so
``--skip sentences`` fails naming the components that need sentences instead of silently
changing their output.  Components load their models lazily, once per process, so
``--skip techniques`` never pays for the technique model.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from threadpoolctl import threadpool_limits

import unspin
from unspin import cache
from unspin.document import Document, ModelUsed, Run
from unspin.pipeline import nlp
from unspin.pipeline.registry import REGISTRY, Component, ComponentInfo
from unspin.settings import Settings
from unspin.settings import load as load_settings


class PipelineError(ValueError):
    """A pipeline that cannot run as asked: one line naming the components involved."""


def registered(names: Iterable[str]) -> list[ComponentInfo]:
    """The components' declarations, importing each module (``unspin.components.<name>``)."""
    infos = []
    for name in names:
        if name not in REGISTRY:
            importlib.import_module(f"unspin.components.{name}")
        infos.append(REGISTRY[name])
    return infos


def _check(infos: list[ComponentInfo], skipped: list[str]) -> list[str]:
    """Raise PipelineError for an unmet requirement; the degraded-mode notes otherwise."""
    from unspin.components import PIPELINE

    providers = {a: i.name for i in registered(PIPELINE) for a in i.assigns}
    assigned: set[str] = set()
    notes = []
    for info in infos:
        for need in info.requires:
            if need not in assigned:
                by = providers.get(need, "no component")
                raise PipelineError(
                    f"component '{info.name}' requires {need}, assigned by '{by}'"
                    + (f", which is skipped (skip '{info.name}' too)" if by in skipped else "")
                )
        for need, without in info.uses.items():
            if need not in assigned:
                notes.append(f"{info.name}: ran without {need} ({providers[need]} skipped): "
                             f"{without}")
        assigned.update(info.assigns)
    return notes


class Pipeline:
    """Runs the enabled components, in order, over each Document."""

    def __init__(self, skip: Iterable[str] = (), settings: Settings | None = None):
        from unspin.components import PIPELINE

        skip = sorted(set(skip))
        unknown = set(skip) - set(PIPELINE)
        if unknown:
            raise PipelineError(
                f"unknown component(s) {', '.join(sorted(unknown))}; "
                f"choose from {', '.join(PIPELINE)}"
            )
        self.settings = settings or load_settings()
        cache.use(self.settings.cache_dir)
        if self.settings.techniques.threads is not None:
            # numpy's BLAS (under spaCy's parser) keeps to the same count: its idle threads
            # would otherwise spin on the cores that other worker processes need.
            threadpool_limits(self.settings.techniques.threads, user_api="blas")
        self.skipped = skip
        self.infos = registered(n for n in PIPELINE if n not in skip)
        self.notes = _check(self.infos, skip)
        self._components: list[Component] | None = None

    @property
    def names(self) -> list[str]:
        return [i.name for i in self.infos]

    @property
    def components(self) -> list[Component]:
        """The component instances, built on first use."""
        if self._components is None:
            self._components = [i.build(self.settings) for i in self.infos]
        return self._components

    def __call__(self, doc: Document) -> Document:
        notes = list(self.notes)
        ran: list[str] = []
        models: list[ModelUsed] = []
        nlp.prepare(doc, self.settings)
        for info, component in zip(self.infos, self.components, strict=True):
            if not info.any_language and self.settings.models_for(doc.meta.language) is None:
                notes.append(f"{info.name}: not run: no models for language '{doc.meta.language}'")
                continue
            doc = component(doc)
            ran.append(info.name)
            model_id = getattr(component, "model_id", None)
            if model_id is not None:
                models.append(ModelUsed(component=info.name, id=model_id))
        doc.run = Run(
            unspin_version=unspin.__version__,
            language=doc.meta.language,
            components=ran,
            skipped=self.skipped,
            models=models,
            notes=notes,
        )
        nlp.release(doc)
        return doc
