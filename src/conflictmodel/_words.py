"""Counts in words, as the library prints them."""


def counted(number: int, noun: str) -> str:
    """``number`` with thousands separators, and ``noun`` (singular) with an "s" unless it is
    one.

    >>> counted(1, "agreement"), counted(2050, "location"), counted(0, "dispute")
    ('1 agreement', '2,050 locations', '0 disputes')
    """
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def counted_records(counts: dict[str, int]) -> str:
    """The non-zero ``counts`` of records by collection (named in the plural), in words;
    ``""`` when all are zero.

    >>> counted_records({"actors": 1, "events": 16566, "claims": 0})
    '1 actor, 16,566 events'
    """
    return ", ".join(counted(n, name.removesuffix("s")) for name, n in counts.items() if n)


def listed(words: list[str]) -> str:
    """``words`` as a sentence lists them.

    >>> listed(["Turkey"]), listed(["Turkey", "Russia"]), listed(["A", "B", "C"])
    ('Turkey', 'Turkey and Russia', 'A, B and C')
    """
    return " and ".join(filter(None, [", ".join(words[:-1]), *words[-1:]]))


def as_told(names: list[str]) -> str:
    """What a title adds to say whose account it is (the claimants' ``names``): nothing for
    the default account.

    >>> as_told(["Turkey"]), as_told(["Turkey", "Russia"]), as_told([])
    (', as Turkey tells it', ', as Turkey and Russia tell it', '')
    """
    if not names:
        return ""
    return f", as {listed(names)} {'tells' if len(names) == 1 else 'tell'} it"
