"""Given and family names of many languages: what tells a person from a capitalised word.

In a sentence one capitalised word ("Sprintly", "Roadmap") is a person only where it is a
known given or family name, and a run of them is no name where one is an everyday word
that is no name ("Studio Renovated", "Boards Explore"). The names are Faker's (MIT
licensed), from its person providers of every locale; the everyday words are the whole
words of the embedder's vocabulary, and in another question language the words of
simplemma's dictionary of it. All are read once, on first use.
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil

import simplemma


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


@functools.cache
def common_words() -> frozenset[str]:
    """The whole words of the embedder's vocabulary, lower-cased: the English of everyday
    use ("apartment", "explore", "lounge"); empty where the models are not installed."""
    from memory.embedder import tokenizer_json
    from memory.errors import ModelMissing

    try:
        vocabulary = json.loads(tokenizer_json())["model"]["vocab"]
    except (ModelMissing, KeyError, TypeError, ValueError):
        return frozenset()
    return frozenset(w for w in vocabulary if w.isalpha() and len(w) > 1)


#: Words before a name that are no names themselves but belong with it.
_TITLE_TEXT = "dr mr mrs ms mx prof sir dame herr frau mme mlle sr sra dott"
_TITLES = frozenset(_TITLE_TEXT.split())


def opens_with_title(name: str) -> bool:
    """Does ``name`` open with a title ("Dr Ana Ruiz", "Mme Roux")?"""
    words = name.split()
    return len(words) > 1 and words[0].strip(".").lower() in _TITLES


#: simplemma's code of a question language where it is not the language's own.
_DICTIONARY_CODE = {"no": "nb"}


def is_plain_word(word: str, lang: str = "en", *, dictionary: bool = False) -> bool:
    """Is ``word`` an everyday word that is neither a known name nor a title ("Lounge",
    "Explore"; not "Grace", "Dr")? In another language (``lang``), or in English with
    ``dictionary``, also a word of that language's dictionary, simplemma's ("Paramètres",
    "Übersicht", "compile")."""
    lowered = word.strip(".,;:!?'’").lower()
    if lowered in known_names() or lowered in _TITLES:
        return False
    if lowered in common_words():
        return True
    if lang == "en" and not dictionary or not lowered.isalpha():
        return False
    try:
        return bool(simplemma.is_known(lowered, lang=_DICTIONARY_CODE.get(lang, lang)))
    except ValueError:  # a language simplemma has no dictionary of
        return False


def load_word_lists() -> None:
    """Read the names and the dictionaries words are checked against (Faker's names, the
    embedder's vocabulary, simplemma's English dictionary): the first question reading
    them would pay for it (0.4 s on this machine)."""
    known_names()
    common_words()
    simplemma.is_known("word", lang="en")
