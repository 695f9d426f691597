"""The English inflection Sequelize 6 names tables and keys with: npm `inflection` 1.13.4, ported.

Sequelize's `Utils.pluralize`, `singularize` and `underscore` (`lib/utils.js`) call this package
(`lib/inflection.js`), so a model `Category` lives in `Categories`, `Data` stays `Data` and
`belongsTo(Media)` adds `MediumId`. Every rule and uncountable word below is the package's own, in
its order; the test runs the package itself on the same inputs
(`tests/codegen/orms/test_sequelize_naming.py`).

JavaScript regular expressions are not Python's, and the port keeps JavaScript's meaning:
- the rules are written `/.../gi` without the `u` flag: case-insensitive for ASCII letters only
  (no long s U+017F for `s`, no Kelvin sign for `k`), which is `re.IGNORECASE | re.ASCII`;
- JavaScript's `$` (no `m` flag) is the end of the text, Python's `\\Z` (Python's `$` also matches
  before a final newline);
- a group that took no part in the match is replaced by nothing in both languages.
"""

from __future__ import annotations

import re

UNCOUNTABLE_WORDS = frozenset(
    (
        "accommodation",
        "adulthood",
        "advertising",
        "advice",
        "aggression",
        "aid",
        "air",
        "aircraft",
        "alcohol",
        "anger",
        "applause",
        "arithmetic",
        "assistance",
        "athletics",
        "bacon",
        "baggage",
        "beef",
        "biology",
        "blood",
        "botany",
        "bread",
        "butter",
        "carbon",
        "cardboard",
        "cash",
        "chalk",
        "chaos",
        "chess",
        "crossroads",
        "countryside",
        "dancing",
        "deer",
        "dignity",
        "dirt",
        "dust",
        "economics",
        "education",
        "electricity",
        "engineering",
        "enjoyment",
        "envy",
        "equipment",
        "ethics",
        "evidence",
        "evolution",
        "fame",
        "fiction",
        "flour",
        "flu",
        "food",
        "fuel",
        "fun",
        "furniture",
        "gallows",
        "garbage",
        "garlic",
        "genetics",
        "gold",
        "golf",
        "gossip",
        "gratitude",
        "grief",
        "guilt",
        "gymnastics",
        "happiness",
        "hardware",
        "harm",
        "hate",
        "hatred",
        "health",
        "heat",
        "help",
        "homework",
        "honesty",
        "honey",
        "hospitality",
        "housework",
        "humour",
        "hunger",
        "hydrogen",
        "ice",
        "importance",
        "inflation",
        "information",
        "innocence",
        "iron",
        "irony",
        "jam",
        "jewelry",
        "judo",
        "karate",
        "knowledge",
        "lack",
        "laughter",
        "lava",
        "leather",
        "leisure",
        "lightning",
        "linguine",
        "linguini",
        "linguistics",
        "literature",
        "litter",
        "livestock",
        "logic",
        "loneliness",
        "luck",
        "luggage",
        "macaroni",
        "machinery",
        "magic",
        "management",
        "mankind",
        "marble",
        "mathematics",
        "mayonnaise",
        "measles",
        "methane",
        "milk",
        "minus",
        "money",
        "mud",
        "music",
        "mumps",
        "nature",
        "news",
        "nitrogen",
        "nonsense",
        "nurture",
        "nutrition",
        "obedience",
        "obesity",
        "oxygen",
        "pasta",
        "patience",
        "physics",
        "poetry",
        "pollution",
        "poverty",
        "pride",
        "psychology",
        "publicity",
        "punctuation",
        "quartz",
        "racism",
        "relaxation",
        "reliability",
        "research",
        "respect",
        "revenge",
        "rice",
        "rubbish",
        "rum",
        "safety",
        "scenery",
        "seafood",
        "seaside",
        "series",
        "shame",
        "sheep",
        "shopping",
        "sleep",
        "smoke",
        "smoking",
        "snow",
        "soap",
        "software",
        "soil",
        "spaghetti",
        "species",
        "steam",
        "stuff",
        "stupidity",
        "sunshine",
        "symmetry",
        "tennis",
        "thirst",
        "thunder",
        "timber",
        "traffic",
        "transportation",
        "trust",
        "underwear",
        "unemployment",
        "unity",
        "validity",
        "veal",
        "vegetation",
        "vegetarianism",
        "vengeance",
        "violence",
        "vitality",
        "warmth",
        "wealth",
        "weather",
        "welfare",
        "wheat",
        "wildlife",
        "wisdom",
        "yoga",
        "zinc",
        "zoology",
    )
)
"""`uncountable_words`: a word that is one of these, whole and in any case, is never inflected
(`News`, `Equipment`, `Information`; but `UserInformation` becomes `UserInformations`)."""


def _js(pattern: str) -> re.Pattern[str]:
    """A rule of the package, `new RegExp(pattern, 'gi')`, with JavaScript's meaning."""
    return re.compile(pattern.replace("$", r"\Z"), re.IGNORECASE | re.ASCII)


# `regex.plural`: what a plural looks like
_MEN = _js("^(m|wom)en$")
_PEOPLE = _js("(pe)ople$")
_CHILDREN = _js("(child)ren$")
_TIA = _js("([ti])a$")
_ANALYSES = _js("((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)ses$")
_DATABASES = _js("(database)s$")
_DRIVES = _js("(drive)s$")
_HIVES = _js("(hi|ti)ves$")
_CURVES = _js("(curve)s$")
_LRVES = _js("([lr])ves$")
_AVES = _js("([a])ves$")
_FOVES = _js("([^fo])ves$")
_MOVIES = _js("(m)ovies$")
_AEIOUYIES = _js("([^aeiouy]|qu)ies$")
_SERIES = _js("(s)eries$")
_XES = _js("(x|ch|ss|sh)es$")
_MICE = _js("([m|l])ice$")
_BUSES = _js("(bus)es$")
_OES = _js("(o)es$")
_SHOES = _js("(shoe)s$")
_CRISES = _js("(cris|ax|test)es$")
_OCTOPUSES = _js("(octop|vir)uses$")
_ALIASES = _js("(alias|canvas|status|campus)es$")
_SUMMONSES = _js("^(summons|bonus)es$")
_OXEN = _js("^(ox)en")
_MATRICES = _js("(matr)ices$")
_VERTICES = _js("(vert|ind)ices$")
_FEET = _js("^feet$")
_TEETH = _js("^teeth$")
_GEESE = _js("^geese$")
_QUIZZES = _js("(quiz)zes$")
_WHEREASES = _js("^(whereas)es$")
_CRITERIA = _js("^(criteri)a$")
_GENERA = _js("^genera$")
_SS = _js("ss$")
_S_PLURAL = _js("s$")

# `regex.singular`: what a singular looks like
_MAN = _js("^(m|wom)an$")
_PERSON = _js("(pe)rson$")
_CHILD = _js("(child)$")
_DRIVE = _js("(drive)$")
_OX = _js("^(ox)$")
_AXIS = _js("(ax|test)is$")
_OCTOPUS = _js("(octop|vir)us$")
_ALIAS = _js("(alias|status|canvas|campus)$")
_SUMMONS = _js("^(summons|bonus)$")
_BUS = _js("(bu)s$")
_BUFFALO = _js("(buffal|tomat|potat)o$")
_TIUM = _js("([ti])um$")
_SIS = _js("sis$")
_FFE = _js("(?:([^f])fe|([lr])f)$")
_HIVE = _js("(hi|ti)ve$")
_AEIOUYY = _js("([^aeiouy]|qu)y$")
_X = _js("(x|ch|ss|sh)$")
_MATRIX = _js("(matr)ix$")
_VERTEX = _js("(vert|ind)ex$")
_MOUSE = _js("([m|l])ouse$")
_FOOT = _js("^foot$")
_TOOTH = _js("^tooth$")
_GOOSE = _js("^goose$")
_QUIZ = _js("(quiz)$")
_WHEREAS = _js("^(whereas)$")
_CRITERION = _js("^(criteri)on$")
_GENUS = _js("^genus$")
_S_SINGULAR = _js("s$")
_COMMON = _js("$")

Rule = tuple[re.Pattern[str], str | None]
"""A rule: where it applies, and the replacement (JavaScript `$1` syntax), or None for "already
inflected: leave the word as it is"."""

_ALREADY_PLURAL = (
    _MEN,
    _PEOPLE,
    _CHILDREN,
    _TIA,
    _ANALYSES,
    _DATABASES,
    _DRIVES,
    _HIVES,
    _CURVES,
    _LRVES,
    _FOVES,
    _AEIOUYIES,
    _SERIES,
    _MOVIES,
    _XES,
    _MICE,
    _BUSES,
    _OES,
    _SHOES,
    _CRISES,
    _OCTOPUSES,
    _ALIASES,
    _SUMMONSES,
    _OXEN,
    _MATRICES,
    _FEET,
    _TEETH,
    _GEESE,
    _QUIZZES,
    _WHEREASES,
    _CRITERIA,
    _GENERA,
)
"""The first rules of `plural_rules`: "do not replace if its already a plural word"."""

PLURAL_RULES: tuple[Rule, ...] = (
    *((pattern, None) for pattern in _ALREADY_PLURAL),
    (_MAN, "$1en"),
    (_PERSON, "$1ople"),
    (_CHILD, "$1ren"),
    (_DRIVE, "$1s"),
    (_OX, "$1en"),
    (_AXIS, "$1es"),
    (_OCTOPUS, "$1uses"),
    (_ALIAS, "$1es"),
    (_SUMMONS, "$1es"),
    (_BUS, "$1ses"),
    (_BUFFALO, "$1oes"),
    (_TIUM, "$1a"),
    (_SIS, "ses"),
    (_FFE, "$1$2ves"),
    (_HIVE, "$1ves"),
    (_AEIOUYY, "$1ies"),
    (_MATRIX, "$1ices"),
    (_VERTEX, "$1ices"),
    (_X, "$1es"),
    (_MOUSE, "$1ice"),
    (_FOOT, "feet"),
    (_TOOTH, "teeth"),
    (_GOOSE, "geese"),
    (_QUIZ, "$1zes"),
    (_WHEREAS, "$1es"),
    (_CRITERION, "$1a"),
    (_GENUS, "genera"),
    (_S_SINGULAR, "s"),
    (_COMMON, "s"),
)
"""`plural_rules`, in order: the first rule whose pattern matches decides."""

_ALREADY_SINGULAR = (
    _MAN,
    _PERSON,
    _CHILD,
    _DRIVE,
    _OX,
    _AXIS,
    _OCTOPUS,
    _ALIAS,
    _SUMMONS,
    _BUS,
    _BUFFALO,
    _TIUM,
    _SIS,
    _FFE,
    _HIVE,
    _AEIOUYY,
    _X,
    _MATRIX,
    _MOUSE,
    _FOOT,
    _TOOTH,
    _GOOSE,
    _QUIZ,
    _WHEREAS,
    _CRITERION,
    _GENUS,
)
"""The first rules of `singular_rules`: "do not replace if its already a singular word"."""

SINGULAR_RULES: tuple[Rule, ...] = (
    *((pattern, None) for pattern in _ALREADY_SINGULAR),
    (_MEN, "$1an"),
    (_PEOPLE, "$1rson"),
    (_CHILDREN, "$1"),
    (_DATABASES, "$1"),
    (_DRIVES, "$1"),
    (_GENERA, "genus"),
    (_CRITERIA, "$1on"),
    (_TIA, "$1um"),
    (_ANALYSES, "$1$2sis"),
    (_HIVES, "$1ve"),
    (_CURVES, "$1"),
    (_LRVES, "$1f"),
    (_AVES, "$1ve"),
    (_FOVES, "$1fe"),
    (_MOVIES, "$1ovie"),
    (_AEIOUYIES, "$1y"),
    (_SERIES, "$1eries"),
    (_XES, "$1"),
    (_MICE, "$1ouse"),
    (_BUSES, "$1"),
    (_OES, "$1"),
    (_SHOES, "$1"),
    (_CRISES, "$1is"),
    (_OCTOPUSES, "$1us"),
    (_ALIASES, "$1"),
    (_SUMMONSES, "$1"),
    (_OXEN, "$1"),
    (_MATRICES, "$1ix"),
    (_VERTICES, "$1ex"),
    (_FEET, "foot"),
    (_TEETH, "tooth"),
    (_GEESE, "goose"),
    (_QUIZZES, "$1"),
    (_WHEREASES, "$1"),
    (_SS, "ss"),
    (_S_PLURAL, ""),
)
"""`singular_rules`, in order. The package checks `_VERTEX` nowhere among "already singular" and
`_AVES` / `_VERTICES` nowhere among "already plural"; kept as written."""

_DOLLAR_GROUP = re.compile(r"\$(\d)")
_UPPERCASE = re.compile("([A-Z])")


def _python_replacement(replacement: str) -> str:
    """JavaScript's `$1` as Python's `\\g<1>` (the rules use no other `$` form)."""
    return _DOLLAR_GROUP.sub(r"\\g<\1>", replacement)


_PLURAL = tuple((p, None if r is None else _python_replacement(r)) for p, r in PLURAL_RULES)
_SINGULAR = tuple((p, None if r is None else _python_replacement(r)) for p, r in SINGULAR_RULES)


def _apply_rules(word: str, rules: tuple[tuple[re.Pattern[str], str | None], ...]) -> str:
    """`_apply_rules`: uncountable words are kept; else the first matching rule applies."""
    if word.lower() in UNCOUNTABLE_WORDS:
        return word
    for pattern, replacement in rules:
        if pattern.search(word):
            return word if replacement is None else pattern.sub(replacement, word)
    return word


def pluralize(word: str) -> str:
    """`inflection.pluralize`: `Category` -> `Categories`, `Person` -> `People`, `Data` -> `Data`,
    `Index` -> `Indices`, `Users` -> `Users`."""
    return _apply_rules(word, _PLURAL)


def singularize(word: str) -> str:
    """`inflection.singularize`: `Categories` -> `Category`, `Data` -> `Datum`, `Status` ->
    `Status`, `News` -> `News`."""
    return _apply_rules(word, _SINGULAR)


def underscore(text: str, all_upper_case: bool = False) -> str:
    """`inflection.underscore`: `_` before every ASCII capital, one leading `_` dropped, `::` as
    `/`, lower-cased: `UserID` -> `user_i_d`, `Users_UserId` -> `users__user_id`."""
    if all_upper_case and text == text.upper():
        return text
    parts = [_UPPERCASE.sub(r"_\1", part).removeprefix("_") for part in text.split("::")]
    return "/".join(parts).lower()


def camelize(text: str, low_first_letter: bool = False) -> str:
    """`inflection.camelize` (not what Sequelize camelizes keys with: see `naming.camelize`):
    `message_properties` -> `MessageProperties`, `/` as `::`."""
    paths = text.split("/")
    for i, path in enumerate(paths):
        words = path.split("_")
        for k, word in enumerate(words):
            if k != 0:
                word = word.lower()
            first = _js_char_at(word, 0)
            first = first.lower() if low_first_letter and i == 0 and k == 0 else first.upper()
            words[k] = first + _js_substring(word, 1)
        paths[i] = "".join(words)
    return _rejoin("::".join(paths))


def _rejoin(text: str) -> str:
    """Halves of astral characters split by `_js_char_at`, joined again into one character."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _js_char_at(text: str, index: int) -> str:
    """`charAt`: one UTF-16 code unit, so half of an astral character (whose case is then kept)."""
    units = text.encode("utf-16-le", "surrogatepass")
    unit = units[2 * index : 2 * index + 2]
    return unit.decode("utf-16-le", "surrogatepass") if unit else ""


def _js_substring(text: str, start: int) -> str:
    return text.encode("utf-16-le", "surrogatepass")[2 * start :].decode(
        "utf-16-le", "surrogatepass"
    )
