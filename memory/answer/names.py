"""Given and family names of many languages: what tells a person from a capitalised word.

Two capitalised words together read as a name ("Ana Lima"); one alone in a sentence
("Sprintly", "Roadmap") is a person only where it is a known given or family name. The lists are
Faker's (MIT licensed), from its person providers of every locale, read once on first use.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil


@functools.cache
def known_names() -> frozenset[str]:
    """Every given and family name of Faker's locales, lower-cased."""
    import faker.providers.person as people

    out: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        provider = getattr(importlib.import_module(f"{people.__name__}.{module.name}"),
                           "Provider", None)
        for attribute in dir(provider):
            if "names" not in attribute or not ("first" in attribute or "last" in attribute):
                continue  # first_names, male_last_names (first_name() picks one at random)
            listed = getattr(provider, attribute)
            if isinstance(listed, dict | list | tuple):
                out.update(name.lower() for name in listed if isinstance(name, str))
    return frozenset(out)


def is_known_name(word: str) -> bool:
    """Is ``word`` a given or a family name in some language ("Ingeborg", "Farouk")?"""
    return word.strip(".,;:!?'’").lower() in known_names()
