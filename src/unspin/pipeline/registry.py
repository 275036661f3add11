"""Registering components with what they read and write, as spaCy's ``Language.factory``.

A component declares the Document attributes it ``requires`` (it cannot run without them),
those it ``uses`` when present (without them it runs in a documented degraded mode, noted in
``doc.run.notes``) and those it ``assigns``.  The Pipeline checks these when it is built, so
switching a component off never silently changes another's output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from unspin.document import Document
from unspin.settings import Settings


class Component(Protocol):
    """Anything called on a Document that fills its layers in place and returns it."""

    def __call__(self, doc: Document) -> Document: ...


@dataclass(frozen=True, slots=True)
class ComponentInfo:
    """A registered component: its factory and its declared inputs and outputs."""

    name: str
    factory: Callable[..., Component]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    uses: dict[str, str]
    any_language: bool
    settings: str | None

    def build(self, settings: Settings) -> Component:
        """The component, given its own section of the settings (if it declared one)."""
        return self.factory(getattr(settings, self.settings)) if self.settings else self.factory()


REGISTRY: dict[str, ComponentInfo] = {}

F = TypeVar("F", bound=Callable[..., Component])


def component(
    name: str,
    *,
    requires: tuple[str, ...] = (),
    assigns: tuple[str, ...] = (),
    uses: dict[str, str] | None = None,
    any_language: bool = False,
    settings: str | None = None,
) -> Callable[[F], F]:
    """Register a component factory: a class or function called with no argument, or with
    its section of the Settings when it names one (``settings="claims"``).

    ``uses`` maps an optional input to what the component does without it; ``any_language``
    marks components whose rules are not tied to one language.  A component that runs a
    trained model says which with a ``model_id`` attribute, recorded in ``doc.run.models``.
    """

    def register(factory: F) -> F:
        REGISTRY[name] = ComponentInfo(
            name, factory, requires, assigns, dict(uses or {}), any_language, settings
        )
        return factory

    return register
