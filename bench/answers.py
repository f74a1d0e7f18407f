"""Are the chat's answers right, and true? LOCOMO QA through the product's own paths.

    python -m bench.answers --locomo PATH [--limit N] [--questions N] [--repeats 3] [--json]
    python -m bench.answers --real-screens [--screens-model none] [--json]

Every turn of each LOCOMO-format conversation goes through the same path as
``engram remember TEXT --at SESSION_TIME`` (extraction included; one fresh data folder per
conversation), then every question is asked through :class:`memory.chat.ChatService` as
``engram ask`` asks it, with "now" the day after the conversation ends. Scored as the
LoCoMo paper scores (its normalisation and Porter-stemmed token F1; category 1 answers are
split on commas and matched part by part; category 3 gold answers keep the part before
";"): token F1 of ``short_answer`` against the gold answer and the gold-contained rate
(the normalised gold answer inside the normalised short answer) per category 1-4, and the
share of category 5 (adversarial, unanswerable) questions on which the answer abstained.

``unsupported_details`` counts, over every answer, the dates, numbers, amounts, codes and
names that the memories the answer cites do not hold. The checker doing that is written
here and shares no code with the answerer's own verifier (``memory.answer``).

Each question is asked ``--repeats`` times; ``nondeterministic`` counts questions whose
answers differed. ``ttft_ms`` is the time to the first streamed piece, ``answer_ms`` the
whole answer (medians and 95th percentiles over every question).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.locomo import Turn, turns_of

CATEGORIES = ("1", "2", "3", "4")


# -- LoCoMo's own scoring (after snap-research/locomo task_eval/evaluation.py) -----------------

def normalize_answer(text: str) -> str:
    text = str(text).replace(",", "").lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the|and)\b", " ", text)
    return " ".join(text.split())


def _stemmed(text: str) -> list[str]:
    from nltk.stem import PorterStemmer

    stemmer = PorterStemmer()
    return [stemmer.stem(w) for w in normalize_answer(text).split()]


def token_f1(prediction: str, gold: str) -> float:
    predicted, wanted = _stemmed(prediction), _stemmed(gold)
    if not predicted or not wanted:
        return 0.0
    common = 0
    pool = list(wanted)
    for token in predicted:
        if token in pool:
            pool.remove(token)
            common += 1
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(wanted)
    return 2 * precision * recall / (precision + recall)


def multi_f1(prediction: str, gold: str) -> float:
    """Category 1: each gold part scored against its best predicted part, averaged."""
    predicted = [p.strip() for p in prediction.split(",") if p.strip()] or [prediction]
    parts = [g.strip() for g in gold.split(",") if g.strip()]
    if not parts:
        return 0.0
    return sum(max(token_f1(p, g) for p in predicted) for g in parts) / len(parts)


def score(category: str, prediction: str, gold: str) -> tuple[float, bool]:
    if category == "3":
        gold = gold.split(";")[0].strip()
    f1 = multi_f1(prediction, gold) if category == "1" else token_f1(prediction, gold)
    wanted = normalize_answer(gold)
    return f1, bool(wanted) and wanted in normalize_answer(prediction)


# -- the independent checker -------------------------------------------------------------------

_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december"]
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_CHECK_DATE = re.compile(
    # (a day OCR joined to its month, "18Nov 2026", is the same day: spacing is normalised)
    # (a day is 1 to 31 on the month's line: "$312.46" over "March 11, 2026" lends no "46")
    rf"\b(0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?[ \t]*{_MONTH_RE}(?:,?\s+(\d{{4}}))?\b|"
    rf"\b{_MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?|"
    r"\b(\d{4})-(\d{2})-(\d{2})\b|"
    r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b",
    re.I,
)
_CHECK_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_CHECK_CODE = re.compile(r"\b(?=\w*\d)(?=\w*[a-z])\w{3,}\b", re.I)
_CHECK_NAME = re.compile(r"(?<![.!?:\n“\"]\s)(?<![\n“\"])(?<!^)\b[A-Z][a-z]{2,}\b")
_NOT_A_NAME = {m.capitalize() for m in _MONTH_NAMES} | {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "From",
    "Steps", "Yes", "No", "The", "Cited", "Related", "I", "Engram",
}


def _dates_in(text: str) -> set[tuple[int | None, int, int]]:
    out = set()
    for m in _CHECK_DATE.finditer(text):
        g = m.groups()
        if g[0]:
            out.add((int(g[2]) if g[2] else None, _month(g[1]), int(g[0])))
        elif g[3]:
            out.add((int(g[5]) if g[5] else None, _month(g[3]), int(g[4])))
        elif g[6]:
            out.add((int(g[6]), int(g[7]), int(g[8])))
        else:  # day/month/year as European screens write it, or month/day/year
            first, second, year = int(g[9]), int(g[10]), int(g[11])
            if 1 <= second <= 12 and 1 <= first <= 31:
                out.add((year, second, first))
            if 1 <= first <= 12 and 1 <= second <= 31:
                out.add((year, first, second))
    return out


def _month(prefix: str) -> int:
    prefix = prefix.lower()[:3]
    return next(i for i, name in enumerate(_MONTH_NAMES, 1) if name.startswith(prefix))


def _derived_days(text: str, when: date) -> set[date]:
    """Days a relative phrase in the memory points at, counted from the memory's date."""
    lower = text.lower()
    days = {when}
    if "yesterday" in lower or "last night" in lower:
        days.add(when - timedelta(days=1))
    if "tomorrow" in lower:
        days.add(when + timedelta(days=1))
    for n, unit in re.findall(r"\b(\d+|a|one|two|three|four|five)\s+(day|week)s?\s+ago", lower):
        count = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}.get(n) or int(n)
        days.add(when - timedelta(days=count * (7 if unit == "week" else 1)))
    weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    for index, name in enumerate(weekdays):
        # written whole or short ("last Fri", "on Tues.")
        if re.search(rf"\b(last|on|this|next)\s+{name[:3]}(?:{name[3:]}|[a-z]?[a-z]?\b)", lower):
            back = (when.weekday() - index) % 7 or 7
            days.add(when - timedelta(days=back))
            days.add(when + timedelta(days=(index - when.weekday()) % 7 or 7))
    return days


@dataclass
class Evidence:
    text: str
    days: set[date]
    years: set[int]
    months: set[tuple[int, int]]


def evidence_of(store: Any, memory_ids: Sequence[str]) -> Evidence:
    """Everything the cited memories hold: every field, their frames' text, their dates."""
    texts: list[str] = []
    days: set[date] = set()
    for memory in store.get_many(list(memory_ids)):
        body = "\n".join(str(v) for v in memory.fields.values() if v)
        frames = [int(f) for f in memory.provenance.get("frames", []) if str(f).isdigit()]
        for frame in frames:
            row = store.reader.execute("SELECT ocr_text FROM frames WHERE id = ?",
                                       [frame]).fetchone()
            body += "\n" + str(row[0] or "") if row else ""
        stamp = str(memory.fields.get("occurred_at") or memory.event_at)
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()
        days |= _derived_days(body, when)
        texts.append(body)
    text = "\n".join(texts)
    for year, month, day in _dates_in(text):
        if year:
            try:
                days.add(date(year, month, day))
            except ValueError:
                continue  # "31/11/2026" on a screen (a typo, or OCR misread) is no day
    years = {d.year for d in days}
    lower = text.lower()
    written = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
               "seven": 7, "eight": 8, "nine": 9, "ten": 10}
    for n in re.findall(r"\b(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                        r"years?\s+ago", lower):
        years |= {y - (written.get(n) or int(n)) for y in {d.year for d in days}}
    if "last year" in lower:
        years |= {y - 1 for y in years}
    if "next year" in lower:
        years |= {y + 1 for y in years}
    months = {(d.year, d.month) for d in days}
    for step, word in ((-1, "last month"), (1, "next month")):
        if word in lower:
            months |= {((y * 12 + m - 1 + step) // 12, (y * 12 + m - 1 + step) % 12 + 1)
                       for y, m in list(months)}
    return Evidence(text, days, years, months)


def unsupported_details(answer: str, evidence: Evidence) -> list[str]:
    """Details of ``answer`` that ``evidence`` does not hold."""
    body = re.sub(r"\[\d+\]", " ", answer)
    body = re.sub(r"(?m)^\d{1,2}\. ", "", body)  # the answer's own list numbering
    source = evidence.text.lower()
    flat = re.sub(r"[^0-9a-z]", "", source)
    missing: list[str] = []
    covered: list[tuple[int, int]] = []
    for m in _CHECK_DATE.finditer(body):
        covered.append(m.span())
        readings = _dates_in(m.group(0))  # "03/04/2026" reads two ways; "13/45/2026" none
        written = _dates_in(evidence.text)
        literal = any(d == r or (r[0] is None and d[1:] == r[1:])
                      for r in readings for d in written)
        derived = any(d.month == r[1] and d.day == r[2] and r[0] in (None, d.year)
                      for r in readings for d in evidence.days)
        if not (literal or derived):
            missing.append(m.group(0))
    for m in re.finditer(rf"\b{_MONTH_RE}\s+(\d{{4}})\b", body, re.I):
        if any(s <= m.start() < e for s, e in covered):
            continue
        covered.append(m.span())
        if (int(m.group(2)), _month(m.group(1))) not in evidence.months and \
                m.group(0).lower() not in source:
            missing.append(m.group(0))
    for m in _CHECK_CODE.finditer(body):
        if any(s <= m.start() < e for s, e in covered):
            continue
        covered.append(m.span())
        if re.sub(r"[^0-9a-z]", "", m.group(0).lower()) not in flat:
            missing.append(m.group(0))
    for m in _CHECK_NUMBER.finditer(body):
        if any(s <= m.start() < e for s, e in covered):
            continue
        digits = m.group(0)
        plain = digits.replace(",", "")
        if digits in source or plain in source or (len(plain) == 4 and plain.isdigit() and
                                                   int(plain) in evidence.years):
            continue
        missing.append(digits)
    for m in _CHECK_NAME.finditer(body):
        if m.group(0) in _NOT_A_NAME or any(s <= m.start() < e for s, e in covered):
            continue
        if m.group(0).lower() not in source:
            missing.append(m.group(0))
    return missing


# -- running -----------------------------------------------------------------------------------

@dataclass
class Asked:
    category: str
    question: str
    gold: str
    short_answer: str
    answer: str
    abstained: bool
    unsupported: list[str]
    ttft_ms: float
    answer_ms: float
    repeats_identical: bool


class FirstToken:
    """An ``on_token`` callback that notes when the first piece came."""

    def __init__(self) -> None:
        self.at: float | None = None

    def __call__(self, _piece: str) -> None:
        if self.at is None:
            self.at = time.monotonic()


def questions_of(sample: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(category, question, gold answer) for every question, adversarial ones included."""
    out = []
    for qa in sample.get("qa", []):
        category = str(qa.get("category"))
        if qa.get("question") and category in (*CATEGORIES, "5"):
            out.append((category, str(qa["question"]), str(qa.get("answer", ""))))
    return out


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1) if ordered else 0.0


def remember_turns(services: Any, turns: Sequence[Turn], use_model: bool) -> float:
    """Each turn through ``engram remember``'s own function; returns seconds per turn."""
    from memory.extraction.pipeline import remember_text
    from memory.schema import to_iso

    pipeline = services.extraction_pipeline(use_model=use_model)
    started = time.monotonic()
    for turn in turns:
        remember_text(pipeline, f"{turn.speaker}: {turn.text}", to_iso(turn.at))
    return (time.monotonic() - started) / max(1, len(turns))


def ask_all(services: Any, questions: Sequence[tuple[str, str, str]], now: datetime,
            repeats: int, *, asked_at: Sequence[datetime | None] = ()) -> list[Asked]:
    """Every question asked at ``now``, or at its own time in ``asked_at`` where that
    gives one."""
    from app.services import bundled_llm_path
    from memory.chat import ChatService
    from memory.llm import LocalLLM

    path = services.llm_path()
    if path is None or not path.is_file():
        path = bundled_llm_path()  # extraction ran without a model; the chat has the bundled one
    llm = LocalLLM(path, threads=int(services.settings.get("llm_threads")))
    chat = ChatService(services.store, services.retriever, lambda: llm, save_as_memory=False)
    asked = []
    try:
        for index, (category, question, gold) in enumerate(questions):
            when = asked_at[index] if index < len(asked_at) else None
            runs = []
            for _ in range(max(1, repeats)):
                first = FirstToken()
                started = time.monotonic()
                answer = chat.ask(question, now=when or now, on_token=first)
                whole = time.monotonic() - started
                runs.append((answer, (first.at or started + whole) - started, whole))
            answer, ttft, whole = runs[0]
            numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
            shown = [r.memory.id for r in answer.supporting]
            referenced = [shown[n - 1] for n in numbers if 0 < n <= len(shown)]
            cited = list(dict.fromkeys([*answer.citations, *referenced]))
            missing = unsupported_details(answer.answer, evidence_of(services.store, cited)) \
                if cited else unsupported_details(answer.answer, Evidence("", set(), set(), set()))
            identical = len({(a.answer, a.short_answer, tuple(a.citations))
                             for a, _, _ in runs}) == 1
            asked.append(Asked(category, question, gold, answer.short_answer, answer.answer,
                               answer.abstained, missing, ttft * 1000, whole * 1000,
                               identical))
    finally:
        llm.close()
    return asked


def _checks_and_times(asked: Sequence[Asked]) -> dict[str, Any]:
    """What every answer set reports: details its answers did not hold, answers that
    changed between repeats, and time to first token and to the whole answer."""
    ttft = [a.ttft_ms for a in asked]
    whole = [a.answer_ms for a in asked]
    return {
        "unsupported_details": sum(len(a.unsupported) for a in asked),
        "nondeterministic": sum(not a.repeats_identical for a in asked),
        "ttft_ms": {"median": round(statistics.median(ttft), 1) if ttft else 0.0,
                    "p95": _percentile(ttft, 0.95)},
        "answer_ms": {"median": round(statistics.median(whole), 1) if whole else 0.0,
                      "p95": _percentile(whole, 0.95)},
    }


def summarise(asked: Sequence[Asked], seconds: float, remember_s: float,
              extraction_model: bool) -> dict[str, Any]:
    by_category: dict[str, dict[str, Any]] = {}
    f1s, contained = [], []
    for category in CATEGORIES:
        rows = [a for a in asked if a.category == category]
        scores = [score(category, a.short_answer, a.gold) for a in rows]
        if rows:
            by_category[category] = {
                "questions": len(rows),
                "f1": round(sum(f for f, _ in scores) / len(rows), 4),
                "contained": round(sum(c for _, c in scores) / len(rows), 4),
            }
        f1s += [f for f, _ in scores]
        contained += [c for _, c in scores]
    adversarial = [a for a in asked if a.category == "5"]
    return {
        "questions": len(f1s),
        "f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "contained": round(sum(contained) / len(contained), 4) if contained else 0.0,
        "by_category": by_category,
        "adversarial": len(adversarial),
        "adversarial_abstained": round(sum(a.abstained for a in adversarial) / len(adversarial), 4)
        if adversarial else 0.0,
        **_checks_and_times(asked),
        "remember_s_per_turn": round(remember_s, 3),
        "extraction_model": extraction_model,
        "seconds": round(seconds, 1),
    }


def run_locomo(path: Path, *, limit: int | None = None, repeats: int = 3,
               work_dir: Path | None = None, samples_out: list[Asked] | None = None,
               extraction_model: bool = True, questions_per: int | None = None
               ) -> dict[str, Any]:
    from app.services import Services

    started = time.monotonic()
    samples = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(samples, dict):
        samples = [samples]
    asked: list[Asked] = []
    remember_times: list[float] = []
    for sample in samples:
        turns = turns_of(sample["conversation"])
        if limit is not None:
            turns = turns[:limit]
        questions = questions_of(sample)
        if questions_per is not None and len(questions) > questions_per > 0:
            step = len(questions) / questions_per  # spread evenly over every category
            questions = [questions[int(i * step)] for i in range(questions_per)]
        if not turns or not questions:
            continue
        with tempfile.TemporaryDirectory(prefix="answers-", dir=work_dir) as data_dir:
            if not extraction_model:  # as when no model is installed: rules only
                (Path(data_dir) / "settings.json").write_text(json.dumps(
                    {"llm_model_path": str(Path(data_dir) / "no-model-installed.gguf")}))
            services = Services(Path(data_dir))
            try:
                remember_times.append(remember_turns(services, turns, extraction_model))
                now = max(t.at for t in turns) + timedelta(days=1)
                asked += ask_all(services, questions, now.astimezone(UTC), repeats)
            finally:
                services.store.close()
    if samples_out is not None:
        samples_out.extend(asked)
    remember_s = sum(remember_times) / len(remember_times) if remember_times else 0.0
    return summarise(asked, time.monotonic() - started, remember_s, extraction_model)


def run_real_screens(*, model: str, cache: Path | None, repeats: int,
                     work_dir: Path | None = None, samples_out: list[Asked] | None = None,
                     heldout: bool = False) -> dict[str, Any]:
    """The real-application corpus (bench/real_screens): its scenes captured and extracted
    through ``engram capture`` / ``engram ingest`` (capture and OCR from ``cache`` when it
    holds them), then every scene question asked. An answer is correct when an accepted
    answer is in its ``short_answer``, read by the corpus's own normaliser."""
    from app.services import Services
    from bench.real_screens.corpus import HELDOUT_DIR, load_scenes
    from bench.real_screens.harness import build_data_dir, shown_at
    from bench.real_screens.normalise import contains_value

    started = time.monotonic()
    scenes = load_scenes(HELDOUT_DIR if heldout else None)
    with tempfile.TemporaryDirectory(prefix="answers-screens-", dir=work_dir) as tmp:
        data = Path(tmp) / "data"
        build_data_dir(data, scenes, model=model, cache=cache)
        services = Services(data)
        try:
            questions, times = [], []
            for scene in scenes:
                # asked the day after the screen was seen (its frames are dated then too):
                # "next week", "last night" in a question count from there
                seen = shown_at(scene)
                for q in scene.questions:
                    questions.append((q.answer_type, q.question, "\n".join(q.answers)))
                    times.append(seen + timedelta(days=1) if seen is not None else None)
            asked = ask_all(services, questions, datetime.now(UTC), repeats, asked_at=times)
        finally:
            services.store.close()
    if samples_out is not None:
        samples_out.extend(asked)
    by_type: dict[str, dict[str, Any]] = {}
    correct = 0
    for a in asked:
        right = any(contains_value(a.short_answer, gold) for gold in a.gold.split("\n"))
        correct += right
        row = by_type.setdefault(a.category, {"questions": 0, "correct": 0})
        row["questions"] += 1
        row["correct"] += int(right)
    return {
        "corpus": "heldout" if heldout else "development",
        "questions": len(asked),
        "correct": round(correct / len(asked), 4) if asked else 0.0,
        "abstained": sum(a.abstained for a in asked),
        "by_type": by_type,
        **_checks_and_times(asked),
        "extraction_model": model,
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.answers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--locomo", type=Path, help="a LOCOMO-format JSON file")
    parser.add_argument("--real-screens", action="store_true",
                        help="also ask the real-application corpus's questions")
    parser.add_argument("--screens-model", default="none",
                        help="extraction model for the corpus: none (the product's default, "
                        "extract_with_model off), default (the bundled model) or a GGUF path")
    parser.add_argument("--heldout", action="store_true",
                        help="ask the held-out scenes' questions (bench/real_screens/heldout)")
    parser.add_argument("--screens-cache", type=Path,
                        default=Path.home() / ".cache" / "engram-bench" / "real_screens",
                        help="the corpus's capture+OCR cache folder")
    parser.add_argument("--limit", type=int, help="remember only the first N turns of each "
                        "conversation (questions about later turns then go unanswered)")
    parser.add_argument("--extraction-model", choices=("default", "none"), default="none",
                        help="'none' (the product's default, extract_with_model off) remembers "
                        "the turns with rule extraction only; 'default' also asks the bundled "
                        "model while remembering (about 7 s a turn here); answers always use "
                        "the bundled model")
    parser.add_argument("--questions", type=int, help="ask only N questions of each "
                        "conversation, spread evenly over its list")
    parser.add_argument("--repeats", type=int, default=3, help="asks per question (default 3)")
    parser.add_argument("--work-dir", type=Path, help="where the temporary data folders go")
    parser.add_argument("--answers", type=Path, help="also write every answer to this JSONL file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.locomo is None and not args.real_screens:
        parser.error("give --locomo PATH, --real-screens, or both")
    asked: list[Asked] = []
    result: dict[str, Any] = {}
    if args.locomo is not None:
        result["locomo"] = run_locomo(args.locomo, limit=args.limit, repeats=args.repeats,
                                      work_dir=args.work_dir, samples_out=asked,
                                      extraction_model=args.extraction_model == "default",
                                      questions_per=args.questions)
    if args.real_screens:
        result["real_screens"] = run_real_screens(
            model=args.screens_model, cache=args.screens_cache, repeats=args.repeats,
            work_dir=args.work_dir, samples_out=asked, heldout=args.heldout)
    if args.answers:
        with args.answers.open("w", encoding="utf-8") as out:
            for a in asked:
                out.write(json.dumps(a.__dict__, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(result))
    else:
        if "locomo" in result:
            r = result["locomo"]
            print(f"LOCOMO answers: {r['questions']} questions, F1 {r['f1']:.3f}, contained "
                  f"{r['contained']:.3f}, adversarial abstained "
                  f"{r['adversarial_abstained']:.3f}, unsupported details "
                  f"{r['unsupported_details']} ({r['seconds']} s)")
        if "real_screens" in result:
            r = result["real_screens"]
            print(f"Real-application questions: {r['questions']}, correct {r['correct']:.3f}, "
                  f"unsupported details {r['unsupported_details']} ({r['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
