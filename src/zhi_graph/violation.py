"""A shape check's result, shared by ``validate`` (rdflib, pySHACL) and ``rdf.conformance``
(the build's own check, which must not import rdflib)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """One validation result: the focus node (IRI and rdfs:label), the path as a prefixed
    name (empty for a node shape), the shape's message and its severity."""

    focus: str
    label: str
    path: str
    message: str
    severity: str = "Violation"  # the local name of sh:Violation, sh:Warning or sh:Info

    def __str__(self) -> str:
        name = f"{self.label} <{self.focus}>" if self.label else f"<{self.focus}>"
        path = f" {self.path}" if self.path else ""
        return f"{name}{path}: {self.message}"
