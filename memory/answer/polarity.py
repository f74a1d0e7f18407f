"""Whether a screen says a thing is so or not: the status words a yes/no question is settled
by ("Not selected", "Off", "false", "Declined", "gesperrt", "não reservado", "ingår inte",
"✓ Paid"), in the languages questions are asked in.

A status is read where a screen writes one: a state's participle or adjective ("confirmed",
"expired"), a negation joined to one ("not selected", "nicht gebucht", "ingår inte"), or a
bare yes or no standing as a cell of its own. A verb in its plain form is a button offering
to do a thing ("Cancel", "Book now"), not a state, and is no status.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

#: States and their opposites, as a status field or a reply writes them: a span saying the
#: opposite of what a yes/no question asks answers "no" without a "not". (Read by their
#: stems by the answerer, which asks them of questions and spans alike.)
OPPOSITE_TEXT = (
    ("approve approved approval accept accepted granted allowed covered eligible",
     "deny denied decline declined reject rejected refuse refused disallowed ineligible "
     "abgelehnt rechazado rechazada refusé refusée rifiutato rifiutata recusado"),
    ("pass passed passing succeed succeeds succeeded success successful",
     "fail failed failing failure"),
    ("paid settled", "unpaid outstanding overdue"),
    ("confirm confirmed book booked scheduled added selected reserved", "cancel cancelled "
     "canceled annulé annullato storniert cancelado waitlisted"),
    ("available stock open enabled active true", "unavailable sold closed disabled inactive off "
     "false"),
    ("done complete completed finished resolved merged delivered shipped deployed released "
     "published", "pending incomplete unresolved open progress waiting skip skipped"),
)

#: Words of a state that are also a button's verb or a thing's name ("Cancel", "Book",
#: "Open", "Progress" …): they settle nothing by themselves.
_AMBIGUOUS_TEXT = ("approve accept pass succeed succeeds confirm book cancel open stock progress "
                   "skip passing failing approval success available sold reserved")
_AMBIGUOUS = frozenset(_AMBIGUOUS_TEXT.split())

#: What says a thing is so, besides the states above, in the other question languages: a
#: thing included, switched on, done, paid, sent, insured.
_POSITIVE_TEXT = (
    "yes included includes configured sent posted active enabled on true insured ✓ ✔ ☑ "
    "ja enthalten inklusive inbegriffen aktiv aktiviert bestätigt bezahlt gebucht versichert "
    "erfolgreich erledigt oui inclus incluse compris actif active activé activée confirmé "
    "confirmée payé payée réservé réservée sí si incluido incluida activo activa activado "
    "activada confirmado confirmada pagado pagada reservado reservada sim incluído incluída "
    "ativo ativa ativado ativada sì incluso inclusa attivo attiva attivato attivata "
    "confermato confermata pagato pagata prenotato prenotata inbegrepen actief bevestigd "
    "betaald geboekt ingår inkluderad aktiverad bekräftad bekräftat betald betalt bokad bokat "
    "tak aktywny aktywna potwierdzony potwierdzona opłacony opłacona zarezerwowany"
)
#: What says it is not: expired, switched off, failed, still waiting, full, over.
_NEGATIVE_TEXT = (
    "no none expired ended ausgelaufen abgelaufen inaktiv deaktiviert ausgebucht beendet "
    "ausstehend offen non expiré expirée désactivé désactivée inactif inactive épuisé "
    "terminé terminée attente vencido vencida caducado caducada desactivado desactivada "
    "inactivo inactiva agotado agotada pendiente finalizado finalizada não expirado expirada "
    "desativado desativada inativo inativa esgotado esgotada pendente encerrado encerrada "
    "scaduto scaduta disattivato disattivata esaurito esaurita verlopen uitgeschakeld "
    "afgewezen geannuleerd uitverkocht nee utgången utgått avslutad avslutat avstängd "
    "inaktiv avbokad nej wygasł wygasła wyłączony wyłączona odrzucony anulowany nie "
    "nein awaiting blocked gesperrt blockiert bloqué bloquée bloqueado bloqueada bloccato "
    "bloccata geblokkeerd blockerad zablokowany"
)


_POSITIVE = frozenset(
    [w for yes, _ in OPPOSITE_TEXT for w in yes.split() if w not in _AMBIGUOUS]
    + _POSITIVE_TEXT.split())
_NEGATIVE = frozenset(
    [w for _, no in OPPOSITE_TEXT for w in no.split() if w not in _AMBIGUOUS]
    + _NEGATIVE_TEXT.split())

#: Words that negate what follows them, in English: a contraction among them ("couldn't",
#: "didn’t": a word boundary never stands between "could" and its "n't") …
NEGATORS = r"not|no|never|\w+n['’]t|none|nothing|cannot|without"
#: … and in the other languages questions are asked in ("nicht", "sans", "sin", "geen",
#: "inte", "ej", "ikke", "nie", "bez" …; "não" as OCR may read its tilde, "nāo", "nâo").
FOREIGN_NEGATORS = (r"nicht|kein\w*|nein|ohne|non(?!-)|pas|sans|aucun\w*|jamais|sin|nunca|"
                    r"ning[úu]n\w*|senza|nessun\w*|n[ãāâa]o|sem|nenhum\w*|niet|geen|nee|"
                    r"zonder|nooit|inte|ej|ingen|utan|nej|aldrig|ikke|uden|nie|brak|bez")
#: The negations written after what they negate: "ingår inte", "inbegrepen niet".
_NEGATORS_AFTER = r"ej|inte|niet|nicht|ikke"
#: A negation in an English text, and one in a text in any question language.
NEGATION = re.compile(rf"\b(?:{NEGATORS})\b", re.I)
ANY_NEGATION = re.compile(rf"\b(?:{NEGATORS}|{FOREIGN_NEGATORS})\b", re.I)
#: What may stand between a negation and its state: two short words at most ("not all
#: paid", "no está incluido", "n'est pas inclus").
_BETWEEN_WORDS = 2
_SHORT_WORD = 8
#: A limit reached, a thing no longer possible ("Quota limit reached", "No more renewals").
_LIMIT = re.compile(r"\blimit\s+reached\b|\bno\s+(?:more\s+)?renewals?\b", re.I)
#: Words that, alone in their cell, say yes or no: "Yes", "No", "Ja", "Nein" …
_BARE_YES_TEXT = "yes ja oui sí si sim tak"
_BARE_NO_TEXT = "no nein non não nee nej nie"
_BARE_YES = frozenset(_BARE_YES_TEXT.split())
_BARE_ANSWER = _BARE_YES | frozenset(_BARE_NO_TEXT.split())
#: A negation right before a word: "No deposit needed", "kein Rückgaberecht".
NEGATED_WORD = re.compile(rf"\b(?:{NEGATORS}|{FOREIGN_NEGATORS})\s+(?P<word>[^\W\d_]+)", re.I)
#: What opens a cell and what ends one: a bar, a bullet, a colon, a tab, a line's edge.
_CELL_OPENS = re.compile(r"(?:^|[|·•:;\t\n]|\s{2})\s*$")
_CELL_ENDS = re.compile(r"\s*(?:$|[|·•:;\t\n]|\s{2}|[,.!](?!\s*\d)(?:\s|$))")
#: A switch's state said after its verb: "Autosave is off", "turned on".
_SWITCH_SAID = re.compile(r"\b(?:is|are|was|were|turned|switched|set|ist|est|är|staat|è)\s*$",
                          re.I)


@dataclass(frozen=True)
class Status:
    """A status a span writes: where it stands and whether it says so (``positive``)."""

    start: int
    end: int
    positive: bool


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[✓✔☑]")
#: A state before its negation, in the languages that write it after ("ingår inte",
#: "inbegrepen niet"); a negation before its state ("not selected") is ``ANY_NEGATION``.
_NEGATOR_AFTER = re.compile(rf"(?P<state>[^\W\d_]+)\s+(?:{_NEGATORS_AFTER})\b", re.I)
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


def _is_state(word: str) -> bool:
    return word in _POSITIVE or word in _NEGATIVE


def _negated_states(text: str) -> list[tuple[int, int, str]]:
    """(start, end, state) of each state with its negation: the first state among the
    words after a negation ("not shipped at all", "not all paid"), a state before a negation
    written after it."""
    out = []
    for m in ANY_NEGATION.finditer(text):
        at = m.end()
        for _ in range(_BETWEEN_WORDS + 1):
            word = _NEXT_WORD.match(text, at)
            if word is None:
                break
            if _is_state(word[1].lower()):
                out.append((m.start(), word.end(), word[1].lower()))
                break
            if len(word[1]) > _SHORT_WORD:
                break
            at = word.end()
    out += [(m.start(), m.end(), m["state"].lower()) for m in _NEGATOR_AFTER.finditer(text)
            if _is_state(m["state"].lower())]
    return out


def statuses(text: str) -> list[Status]:
    """The statuses ``text`` writes, in its order. A negated state says the opposite of the
    state ("not selected" says no, "not expired" yes)."""
    out: list[Status] = []
    taken: list[tuple[int, int]] = []
    for start, end, state in _negated_states(text):
        if not any(s <= start < e for s, e in taken):
            out.append(Status(start, end, state in _NEGATIVE))
            taken.append((start, end))
    for m in _LIMIT.finditer(text):
        out.append(Status(m.start(), m.end(), False))
        taken.append((m.start(), m.end()))
    for m in _WORD.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        word = m[0].lower()
        if word in _BARE_ANSWER or word in ("on", "off"):
            # "No", "Ja", "On" say so only as a cell of their own ("No. 1234", "on Monday")
            before = text[:m.start()]
            if not ((_CELL_OPENS.search(before) or word in ("on", "off")
                     and _SWITCH_SAID.search(before)) and _CELL_ENDS.match(text, m.end())):
                continue
            out.append(Status(m.start(), m.end(), word in _BARE_YES or word == "on"))
        elif word in _POSITIVE:
            out.append(Status(m.start(), m.end(), True))
        elif word in _NEGATIVE:
            out.append(Status(m.start(), m.end(), False))
    return sorted(out, key=lambda s: s.start)


#: What may follow a state the question asks ("approved by", "paid yet", "approve the
#: claim"); a state before a noun describes the noun ("that failed pipeline run").
_STATE_FOLLOWER_TEXT = (
    "the a an my your our his her their its it them me us this that these those yet already "
    "still now right by for to in on at with from or and off out up because when after before "
    "today yesterday")
_STATE_FOLLOWERS = frozenset(_STATE_FOLLOWER_TEXT.split())
#: A switch asked in two words ("turned on", "switched off") asks the state one word says.
SWITCHED = re.compile(r"\b(?:turn|switch|toggl)e?(?:s|ed)?\s+(on|off)\b", re.I)


def asked_states(question: str, vocabulary: AbstractSet[str]) -> set[str]:
    """The words of ``vocabulary`` that ``question`` asks as a state: at its end or before
    a word that may follow one ("Was it approved by …"), a switch asked in two words as one
    ("turned on" is "enabled")."""
    question = SWITCHED.sub(lambda m: "enabled" if m[1].lower() == "on" else "disabled",
                             question)
    words = re.findall(r"[^\W\d_]+", question.lower())
    return {w for w, after in zip(words, [*words[1:], None], strict=True)
            if w in vocabulary and (after is None or after in _STATE_FOLLOWERS)}


def asks_negative(question: str) -> bool:
    """Does a yes/no question ask whether a thing is in a state that says no ("Did the
    upload fail?", "Is my card expired?", "Was it declined?"), not a thing described by
    one ("in the failed run")?"""
    asked = asked_states(question, _NEGATIVE - _BARE_ANSWER)
    # ("sent off the form" asks whether it was sent; "Is the alarm off?" asks a switch)
    return bool(asked - {"off"} or "off" in asked and _ENDS_OFF.search(question))


_ENDS_OFF = re.compile(r"\boff\W*$", re.I)
