"""Reading the metafor fixture folders that hold one JSON file per dataset.

Several reference tests share this layout: ``<folder>/<dataset>.json``, each with
sections (``entries``, ``checks``, ``mh``...) that map an entry's key to what metafor
gave. These helpers load such a folder and list its entries for ``parametrize``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def load_cases(folder: Path) -> dict[str, Any]:
    """Each fixture of ``folder`` by its file's stem (the dataset), in name order."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def case_items(cases: Mapping[str, Any], section: str) -> list[tuple[str, str]]:
    """(dataset, key) of every entry of ``section`` in every fixture."""
    return [(case, key) for case, d in cases.items() for key in d[section]]


def counterpart(messages: Mapping[str, str], theirs: str) -> str:
    """The pattern of our message for metafor's message ``theirs`` (matched by its start).

    Raises AssertionError when no known message starts ``theirs``, so that a fixture with
    a new refusal fails until its counterpart is written down.
    """
    for prefix, ours in messages.items():
        if theirs.startswith(prefix):
            return ours
    raise AssertionError(f"no counterpart for metafor's message {theirs!r}")
