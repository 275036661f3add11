"""Label Studio tasks with unspin's technique spans as predictions, and the labelling config.

A task is ``{"data": {"text", "unspin_id"?, "url"?, "title"?}, "predictions": [...]}``: the
spans pre-fill the editor, a person corrects them, and ``unspin import labelstudio`` reads
the export back as gold.  ``unspin_id`` (the stored analysis id, when the task comes from a
store) lets the import find the analysis; without it the import matches the text.
Offsets are Python ``str`` offsets (code points), which Label Studio's Text tag uses too.
"""

from __future__ import annotations

from typing import Any, get_args
from xml.etree import ElementTree

from unspin.document import Document
from unspin.document.layers import TechniqueName
from unspin.exports.common import as_document

MEDIA_TYPE = "application/json"
# The names the config and the results share: one Labels control over one Text object.
FROM_NAME = "label"
TO_NAME = "text"


def task(analysis: dict[str, Any] | Document, unspin_id: int | None = None) -> dict[str, Any]:
    """One document as a Label Studio task with one prediction (its technique spans)."""
    doc = as_document(analysis)
    data: dict[str, Any] = {"text": doc.text}
    if unspin_id is not None:
        data["unspin_id"] = unspin_id
    data.update({k: v for k, v in (("url", doc.meta.url), ("title", doc.meta.title)) if v})
    models = doc.run.models if doc.run else []
    version = next((m.id for m in models if m.component == "techniques"), "unspin")
    scores = [t.score for t in doc.techniques]
    result = [
        {
            "id": f"T{n}",
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "value": {"start": t.start, "end": t.end, "text": t.text, "labels": [t.technique]},
            "score": t.score,
        }
        for n, t in enumerate(doc.techniques, 1)
    ]
    prediction = {
        "model_version": version,
        "score": round(sum(scores) / len(scores), 4) if scores else 0.0,
        "result": result,
    }
    return {"data": data, "predictions": [prediction]}


def config() -> str:
    """The labelling config matching the tasks: the 14 techniques over the text."""
    view = ElementTree.Element("View")
    labels = ElementTree.SubElement(view, "Labels", name=FROM_NAME, toName=TO_NAME)
    for name in get_args(TechniqueName):
        ElementTree.SubElement(labels, "Label", value=name)
    ElementTree.SubElement(view, "Text", name=TO_NAME, value="$text")
    ElementTree.indent(view)
    return ElementTree.tostring(view, encoding="unicode") + "\n"
