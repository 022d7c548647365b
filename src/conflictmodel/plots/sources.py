"""How far the sources of a merged dataset agree (from :func:`conflictmodel.source_agreement`)."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from conflictmodel.linkage.compare import AgreementTable
from conflictmodel.plots._style import PALETTE, checked_target, plain_text, pyplot, save

__all__ = ["source_agreement_chart", "source_agreement_figure"]


def source_agreement_figure(table: AgreementTable) -> Any:
    """The matplotlib figure of :func:`source_agreement_chart`, not yet written."""
    plt = pyplot("source_agreement_chart()")
    labels = [f"{r.first} vs {r.second}" for r in table.rows]
    with plain_text(plt):
        figure, (shares, tolls) = plt.subplots(1, 2, figsize=(10, 1.8 + 0.6 * len(labels)))
        series = (
            ("matched (first)", [r.share_matched_first for r in table.rows]),
            ("matched (second)", [r.share_matched_second for r in table.rows]),
            ("with a common actor", [r.share_same_actor or 0.0 for r in table.rows]),
        )
        for offset, (name, values) in enumerate(series):
            rows = [n + offset * 0.27 for n in range(len(labels))]
            shares.barh(rows, values, 0.27, label=name, color=PALETTE[offset])
        shares.set_yticks(range(len(labels)), labels)
        shares.set_xlim(0, 1)
        shares.set_xlabel("share of events")
        shares.set_title("Events both sources report")
        shares.legend(loc="lower right", fontsize="small", frameon=False)
        logs = [[math.log10(v) for v in r.toll_ratios] or [0.0] for r in table.rows]
        tolls.boxplot(logs, orientation="horizontal", tick_labels=labels)
        tolls.axvline(0, color="#8C8C8C", linewidth=0.8)
        tolls.set_xlabel("log10(second's toll / first's), matched events")
        tolls.set_title("How their tolls compare")
        sources = sorted({name for r in table.rows for name in (r.first, r.second)})
        figure.text(
            0.01,
            0.005,
            f"Data: {', '.join(sources)}, matched by conflictmodel. Chart: conflictmodel.",
            fontsize=7,
            color="#555555",
            va="bottom",
        )
        figure.tight_layout(rect=(0, 0.04, 1, 1))
    return figure


def source_agreement_chart(table: AgreementTable, path: str | os.PathLike[str]) -> Path:
    """Draw each pair's shares matched and with a common actor, and the spread of its toll
    ratios (log scale), to ``path`` (.png, .svg or .pdf; needs the ``plot`` extra).

    >>> import tempfile, conflictmodel as cm
    >>> from conflictmodel.linkage.examples import two_sources
    >>> from conflictmodel.plots import source_agreement_chart
    >>> ucdp, acled = two_sources()
    >>> merged = cm.merge({"ucdp": ucdp, "acled": acled}, cm.match(ucdp, acled))
    >>> table = cm.source_agreement(merged)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     source_agreement_chart(table, f"{folder}/a.png").stat().st_size > 0
    True
    """
    target = checked_target(path)
    plt = pyplot("source_agreement_chart()")
    return save(plt, source_agreement_figure(table), target)
