"""Charts of a dataset for publication, with the ``plot`` extra (matplotlib and pandas).

Every chart has a title, labelled axes with counts from zero and thousands separators, a
colour-blind-safe palette and a credit line naming the data's source and licence; names are
drawn as written (a ``$`` is not TeX). Each is written off-screen to a ``.png``, ``.svg`` or
``.pdf`` file (or as PNG to a stream, :func:`write`), and each has a function giving the figure
unsaved and the data it draws:

- :func:`casualties_chart`: killed per month by actor (:func:`casualties_chart_data`);
- :func:`violations_chart`: violations of an agreement per week, before and after it
  (:func:`~conflictmodel.queries.over_time.violations_over_time`);
- :func:`place_timeline`: events at a place and who held it
  (:func:`~conflictmodel.control_timeline`);
- :func:`durability_chart`: how an agreement held, week by week, against the weeks before
  (:func:`~conflictmodel.ceasefire_durability`);
- :func:`source_agreement_chart`: how far the sources of a merged dataset agree
  (:func:`~conflictmodel.source_agreement`);
- :func:`events_map`: events on longitude and latitude, sized by killed (:func:`events_map_data`).
"""

from conflictmodel.plots._style import (
    FORMATS,
    RASTERIZED_FROM,
    ChartError,
    checked_target,
    credit,
    write,
)
from conflictmodel.plots.casualties import (
    casualties_chart,
    casualties_chart_data,
    casualties_figure,
)
from conflictmodel.plots.durability import durability_chart, durability_figure
from conflictmodel.plots.events_map import (
    DRAWN_TO,
    events_map,
    events_map_data,
    events_map_figure,
)
from conflictmodel.plots.place import place_figure, place_timeline
from conflictmodel.plots.sources import source_agreement_chart, source_agreement_figure
from conflictmodel.plots.violations import violations_chart, violations_figure

__all__ = [
    "DRAWN_TO",
    "FORMATS",
    "RASTERIZED_FROM",
    "ChartError",
    "casualties_chart",
    "casualties_chart_data",
    "casualties_figure",
    "checked_target",
    "credit",
    "durability_chart",
    "durability_figure",
    "events_map",
    "events_map_data",
    "events_map_figure",
    "place_figure",
    "place_timeline",
    "source_agreement_chart",
    "source_agreement_figure",
    "violations_chart",
    "violations_figure",
    "write",
]
