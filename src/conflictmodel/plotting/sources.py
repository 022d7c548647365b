"""Charts comparing the sources of a merged dataset (:func:`conflictmodel.source_agreement`)."""

from __future__ import annotations

import math
import os
from pathlib import Path

from conflictmodel.linkage.compare import AgreementTable
from conflictmodel.plots import _pyplot, _save


def source_agreement_chart(table: AgreementTable, path: str | os.PathLike[str]) -> Path:
    """Draw each pair's shares matched and with a common actor, and the spread of its toll
    ratios (log scale), to a PNG at ``path`` (needs the ``plot`` extra); returns the path.

    >>> import tempfile, conflictmodel as cm
    >>> from conflictmodel.linkage.examples import two_sources
    >>> from conflictmodel.plotting import source_agreement_chart
    >>> ucdp, acled = two_sources()
    >>> merged = cm.merge({"ucdp": ucdp, "acled": acled}, cm.match(ucdp, acled))
    >>> table = cm.source_agreement(merged)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     source_agreement_chart(table, f"{folder}/a.png").stat().st_size > 0
    True
    """
    plt = _pyplot("source_agreement_chart()")
    figure, (shares, tolls) = plt.subplots(1, 2, figsize=(10, 1.5 + 0.6 * len(table.rows)))
    labels = [f"{r.first} vs {r.second}" for r in table.rows]
    for offset, (name, values) in enumerate(
        (
            ("matched (first)", [r.share_matched_first for r in table.rows]),
            ("matched (second)", [r.share_matched_second for r in table.rows]),
            ("common actor", [r.share_same_actor or 0.0 for r in table.rows]),
        )
    ):
        shares.barh([n + offset * 0.27 for n in range(len(labels))], values, 0.27, label=name)
    shares.set_yticks(range(len(labels)), labels)
    shares.set_xlim(0, 1)
    shares.set_xlabel("share of events")
    shares.legend(loc="lower right", fontsize="small")
    logs = [[math.log10(v) for v in r.toll_ratios] or [0.0] for r in table.rows]
    tolls.boxplot(logs, orientation="horizontal", tick_labels=labels)
    tolls.axvline(0, color="grey", linewidth=0.8)
    tolls.set_xlabel("log10(second's toll / first's)")
    return _save(plt, figure, path)
