"""Which actors of two datasets are one group: same-as links, proposed, edited and loaded back.

Datasets name groups their own way: UCDP's "Government of Syria" (id 118) is ACLED's
"Military Forces of Syria (2000-)"; ACLED writes "HTS: Hayat Tahrir al Sham". :func:`crosswalk`
proposes a link wherever two actors share an external id (``ucdp``, ``acled``, ``wikidata``),
a name or an alias once normalised (case, accents, hyphens, dates in brackets, a state's
"Government of"/"Military Forces of"), or a name in :data:`KNOWN_NAMES`. The links go to a CSV
file that a person can check, correct and extend (:meth:`Crosswalk.to_csv`,
:meth:`Crosswalk.read_csv`); :meth:`Crosswalk.relations` turns them into ``same_as`` relations.

Groups also change names: Jabhat al-Nusra became Jabhat Fateh al-Sham in July 2016, which
merged into Hayat Tahrir al-Sham in January 2017. :func:`successions` proposes the relations in
:data:`KNOWN_SUCCESSIONS` for a dataset's actors; ``Dataset.events_involving(...,
include_predecessors=True)`` then follows them.

>>> import conflictmodel as cm
>>> a = cm.Dataset([cm.Actor(id="u118", name="Government of Syria", kind="state",
...                          external_ids={"ucdp": "118"})])
>>> b = cm.Dataset([cm.Actor(id="a1", name="Military Forces of Syria (2000-)",
...                          kind="state_forces")])
>>> [(link.a, link.b, link.basis) for link in crosswalk(a, b).links]
[('u118', 'a1', 'name: state:syria')]
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

import attrs

from conflictmodel.actors import Actor, Relation, RelationKind
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError

__all__ = [
    "KNOWN_NAMES",
    "KNOWN_SUCCESSIONS",
    "Crosswalk",
    "Link",
    "actor_keys",
    "crosswalk",
    "successions",
]

KNOWN_NAMES: tuple[tuple[str, ...], ...] = (
    ("Islamic State", "IS", "ISIS", "ISIL", "Daesh", "Islamic State (Syria)"),
    ("Syrian Democratic Forces", "SDF", "QSD"),
    ("Hayat Tahrir al-Sham", "HTS", "Tahrir al-Sham"),
    ("Jabhat Fateh al-Sham", "JFS", "Jabhat Fatah al-Sham"),
    ("Jabhat al-Nusra", "Al Nusra Front", "Nusra Front", "Jabhat an-Nusra"),
    ("Syrian National Army", "SNA"),
    ("National Front for Liberation", "NFL", "NLF", "National Liberation Front"),
    ("People's Protection Units", "YPG"),
    ("Hezbollah", "Hizbullah", "Hizballah"),
)
"""Names and abbreviations of Syrian armed groups that datasets write differently."""

KNOWN_SUCCESSIONS: tuple[tuple[str, RelationKind, str, str], ...] = (
    ("Jabhat al-Nusra", RelationKind.SUCCEEDED_BY, "Jabhat Fateh al-Sham", "2016-07"),
    ("Jabhat Fateh al-Sham", RelationKind.MERGED_INTO, "Hayat Tahrir al-Sham", "2017-01"),
)
"""Groups that became (or merged into) others: predecessor, relation, successor, month."""

_DATES = re.compile(r"\([^)]*\d{4}[^)]*\)")
_STATE = re.compile(
    r"^(?:the )?(?:government|military forces|police forces|armed forces) of (?:the )?"
)
_PUNCTUATION = re.compile(r"[^\w\s]")


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _DATES.sub(" ", text).replace("-", " ").replace("'", "").replace("’", "")
    text = _PUNCTUATION.sub(" ", text)
    return " ".join(text.split())


def _known_index() -> dict[str, str]:
    return {_plain(name): _plain(names[0]) for names in KNOWN_NAMES for name in names}


_KNOWN = _known_index()


def name_keys(name: str) -> frozenset[str]:
    """Normalised forms of one name: whole, each side of "ABBR: Long name", and a known group.

    >>> sorted(name_keys("HTS: Hayat Tahrir al Sham"))
    ['hayat tahrir al sham', 'hts', 'hts hayat tahrir al sham']
    >>> sorted(name_keys("Police Forces of Syria (2000-)"))
    ['state:syria']
    """
    parts = [name, *name.split(":")] if ":" in name else [name]
    keys: set[str] = set()
    for part in parts:
        plain = _plain(part)
        if not plain:
            continue
        state = _STATE.match(plain)
        if state:
            keys.add("state:" + plain[state.end() :])
            continue
        keys.add(plain)
        if plain in _KNOWN:
            keys.add(_KNOWN[plain])
    return frozenset(keys)


def actor_keys(actor: Actor) -> frozenset[str]:
    """Every key that identifies ``actor``: external ids, then its names' keys."""
    ids = {f"{scheme}:{value}" for scheme, value in actor.external_ids.items()}
    names = {key for name in actor.names for key in name_keys(name)}
    if actor.kind.value == "civilians" or any(n.startswith("civilians") for n in names):
        names = {"civilians"}
    return frozenset(ids | names)


@attrs.frozen
class Link:
    """Actor ``a`` (of the first dataset) is ``b`` (of the second), because of ``basis``.

    ``confirmed`` marks links a person has checked; proposed links are not.
    """

    a: str
    b: str
    basis: str
    confirmed: bool = False


_COLUMNS = ("a", "a_name", "b", "b_name", "basis", "confirmed")


@attrs.frozen
class Crosswalk:
    """Same-as links between the actors of two datasets."""

    links: tuple[Link, ...]

    def counterparts(self) -> dict[str, set[str]]:
        """Each linked actor's linked actors, in both directions."""
        found: dict[str, set[str]] = defaultdict(set)
        for link in self.links:
            found[link.a].add(link.b)
            found[link.b].add(link.a)
        return dict(found)

    def relations(self) -> list[Relation]:
        """The links as ``same_as`` relations (ids ``<a>-same-as-<b>``)."""
        return [
            Relation(id=f"{link.a}-same-as-{link.b}", source=link.a, kind="same_as", target=link.b)
            for link in self.links
        ]

    def to_csv(self, path: str | os.PathLike[str], a: Dataset, b: Dataset) -> None:
        """Write the links with both actors' names, for a person to check and edit."""
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(_COLUMNS)
            for link in self.links:
                writer.writerow(
                    [
                        link.a,
                        a.actors[link.a].name if link.a in a.actors else "",
                        link.b,
                        b.actors[link.b].name if link.b in b.actors else "",
                        link.basis,
                        "yes" if link.confirmed else "",
                    ]
                )

    @classmethod
    def read_csv(cls, path: str | os.PathLike[str]) -> Crosswalk:
        """Links from a CSV written by :meth:`to_csv` and perhaps edited; names are ignored.

        A row with an empty ``a`` or ``b`` is refused, naming its line.
        """
        links: list[Link] = []
        with open(path, newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            missing = [c for c in ("a", "b") if c not in (reader.fieldnames or ())]
            if missing:
                raise ValidationError(f"{path}: crosswalk needs columns a and b")
            for line, row in enumerate(reader, start=2):
                first, second = ((row.get(c) or "").strip() for c in ("a", "b"))
                if not first or not second:
                    raise ValidationError(f"{path} line {line}: a and b must both name an actor")
                basis = (row.get("basis") or "").strip() or "given"
                confirmed = (row.get("confirmed") or "").strip().casefold() in ("yes", "true", "1")
                links.append(Link(first, second, basis, confirmed))
        return cls(tuple(links))

    def __iter__(self) -> Iterator[Link]:
        return iter(self.links)

    def __len__(self) -> int:
        return len(self.links)


def crosswalk(a: Dataset, b: Dataset, *, confirmed: Iterable[Link] = ()) -> Crosswalk:
    """Propose same-as links between the actors of ``a`` and ``b``.

    ``confirmed`` links (read back from an edited CSV) are kept, marked confirmed, and their
    actors get no other proposal.
    """
    kept = [attrs.evolve(link, confirmed=True) for link in confirmed]
    settled = {link.a for link in kept} | {link.b for link in kept}
    by_key: dict[str, list[str]] = defaultdict(list)
    for actor in b.actors.values():
        if actor.id not in settled and actor.kind.value != "dataset":
            for key in actor_keys(actor):
                by_key[key].append(actor.id)
    proposed: list[Link] = []
    for actor in a.actors.values():
        if actor.id in settled or actor.kind.value == "dataset":
            continue
        bases: dict[str, str] = {}
        for key in sorted(actor_keys(actor), key=lambda k: (":" not in k, k)):
            for other in by_key.get(key, ()):
                if other == actor.id:
                    continue
                kind = "id" if ":" in key and not key.startswith("state:") else "name"
                bases.setdefault(other, f"{kind}: {key}")
        proposed.extend(Link(actor.id, other, basis) for other, basis in bases.items())
    return Crosswalk(tuple(kept + proposed))


def successions(ds: Dataset) -> list[Relation]:
    """Succession relations from :data:`KNOWN_SUCCESSIONS` between the dataset's own actors.

    >>> import conflictmodel as cm
    >>> ds = cm.Dataset([cm.Actor(id="nusra", name="Jabhat al-Nusra", kind="rebel_group"),
    ...                  cm.Actor(id="jfs", name="JFS", kind="rebel_group")])
    >>> [(r.source, r.kind.value, r.target, str(r.span)) for r in successions(ds)]
    [('nusra', 'succeeded_by', 'jfs', '2016-07')]
    """
    by_key: dict[str, list[str]] = defaultdict(list)
    for actor in ds.actors.values():
        for key in actor_keys(actor):
            by_key[key].append(actor.id)
    found: list[Relation] = []
    for before, kind, after, month in KNOWN_SUCCESSIONS:
        for source in by_key.get(_plain(before), ()):
            for target in by_key.get(_plain(after), ()):
                relation_id = f"{source}-{kind.value.replace('_', '-')}-{target}"
                if source != target and relation_id not in ds.relations:
                    found.append(
                        Relation(
                            id=relation_id, source=source, kind=kind, target=target, span=month
                        )
                    )
    return found


def same_as_groups(links: Iterable[Link]) -> Mapping[str, str]:
    """Each linked actor's group: the smallest id among the actors linked to it, directly or not."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for link in links:
        first, second = root(link.a), root(link.b)
        if first != second:
            parent[max(first, second)] = min(first, second)
    return {node: root(node) for node in parent}
