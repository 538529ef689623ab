"""Numbers written in words, as protocols repeat each figure ("прописью" / "жазбаша"): Russian
and Kazakh, both ways. Reading tolerates OCR's typos: each word is matched to the nearest
number word, and anything that is not one is ignored."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

_RU_UNITS = ("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_RU_TEENS = (
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
)
_RU_TENS = (
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
)
_RU_HUNDREDS = (
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
)

_KK_UNITS = ("нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
_KK_TENS = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")

# word → (value, kind): "add" adds to the group, "hundred" multiplies the group's units (kk
# "екі жүз"), "thousand" closes the group (× 1000).
_VOCABULARY: dict[str, tuple[int, str]] = {}
for _value, _word in enumerate(_RU_UNITS):
    _VOCABULARY[_word] = (_value, "add")
_VOCABULARY.update({"одна": (1, "add"), "две": (2, "add")})
for _value, _word in enumerate(_RU_TEENS, 10):
    _VOCABULARY[_word] = (_value, "add")
for _value, _word in enumerate(_RU_TENS):
    if _word:
        _VOCABULARY[_word] = (_value * 10, "add")
for _value, _word in enumerate(_RU_HUNDREDS):
    if _word:
        _VOCABULARY[_word] = (_value * 100, "add")
for _word in ("тысяча", "тысячи", "тысяч"):
    _VOCABULARY[_word] = (1000, "thousand")
for _value, _word in enumerate(_KK_UNITS):
    _VOCABULARY[_word] = (_value, "add")
for _value, _word in enumerate(_KK_TENS):
    if _word:
        _VOCABULARY[_word] = (_value * 10, "add")
_VOCABULARY["жүз"] = (100, "hundred")
_VOCABULARY["мың"] = (1000, "thousand")
# OCR often reads Kazakh letters as their Russian look-alikes (ү → у, қ → к): matching is done
# on words folded that way, so "жуз" is still "жүз".
_FOLD = str.maketrans("үұөәқғңһіё", "ууоакгнхие")
_FOLDED = {word.translate(_FOLD): word for word in _VOCABULARY}
_WORDS = tuple(_FOLDED)


def _ru_below_thousand(number: int, feminine: bool) -> list[str]:
    words = []
    hundreds, rest = divmod(number, 100)
    if hundreds:
        words.append(_RU_HUNDREDS[hundreds])
    if 10 <= rest < 20:
        words.append(_RU_TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        if tens:
            words.append(_RU_TENS[tens])
        if units:
            words.append(
                ("одна", "две")[units - 1] if feminine and units in (1, 2) else _RU_UNITS[units]
            )
    return words


def _kk_below_thousand(number: int) -> list[str]:
    words = []
    hundreds, rest = divmod(number, 100)
    if hundreds:
        words += [_KK_UNITS[hundreds], "жүз"]
    tens, units = divmod(rest, 10)
    if tens:
        words.append(_KK_TENS[tens])
    if units:
        words.append(_KK_UNITS[units])
    return words


def to_words(number: int, locale: str) -> str:
    """0 ≤ number < 1,000,000, as a protocol writes it."""
    if not 0 <= number < 1_000_000:
        raise ValueError("only 0 to 999,999")
    if number == 0:
        return "ноль" if locale == "ru" else "нөл"
    thousands, rest = divmod(number, 1000)
    words: list[str] = []
    if locale == "ru":
        if thousands:
            words += _ru_below_thousand(thousands, feminine=True)
            last_two, last = thousands % 100, thousands % 10
            words.append(
                "тысяч"
                if 10 <= last_two < 20 or last in (0, 5, 6, 7, 8, 9)
                else "тысяча"
                if last == 1
                else "тысячи"
            )
        words += _ru_below_thousand(rest, feminine=False)
    else:
        if thousands:
            words += _kk_below_thousand(thousands) + ["мың"]
        words += _kk_below_thousand(rest)
    return " ".join(words)


def parse_words(text: str, min_score: float = 78.0) -> int | None:
    """The number a line of number words says, in either language; None if it says none, or if
    a word in it is not a number word: "он үш" (13) with "он" misread would otherwise say 3, and
    agree with digit readers that lost the same leading "1"."""
    total, group, seen = 0, 0, False
    for token in re.findall(r"[^\W\d_]+", text.lower()):
        if len(token) < 2:
            continue
        match = process.extractOne(
            token.translate(_FOLD), _WORDS, scorer=fuzz.ratio, score_cutoff=min_score
        )
        if match is None:
            return None
        value, kind = _VOCABULARY[_FOLDED[match[0]]]
        seen = True
        if kind == "add":
            group += value
        elif kind == "hundred":
            group = (group or 1) * 100
        else:
            total += (group or 1) * 1000
            group = 0
    return total + group if seen else None
