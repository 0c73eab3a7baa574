#!/usr/bin/python3
"""Twin of `graft-bench tokenize`: Hugging Face `tokenizers` (0.13.3, from assets/python) encoding the same texts on one
thread (RAYON_NUM_THREADS=1, TOKENIZERS_PARALLELISM=false), truncated to --max-length, unpadded; `--mode batch` times
`encode_batch`, `--mode loop` a Python loop of `encode`.

  tokenize_text.py --texts FILE.json [--tokenizer DIR] [--mode batch|loop] [--max-length 128] [--warmup 1] [--repeats 3]
  tokenize_text.py --write-corpus FILE.json   (rotten-tomatoes texts and BBC news paragraphs, see text_corpus.py)
"""
import argparse
import json
import os
import statistics
import sys
import time

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "assets", "python"))

import text_corpus  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--texts", help="JSON array of texts")
    p.add_argument("--write-corpus", help="write the benchmark texts to this JSON file and exit")
    p.add_argument("--tokenizer", default=text_corpus.MINILM, help="folder holding tokenizer.json")
    p.add_argument("--mode", choices=["batch", "loop"], default="batch")
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    if args.write_corpus:
        with open(args.write_corpus, "w") as out:
            json.dump(text_corpus.rotten_tomatoes() + text_corpus.bbc_paragraphs(), out)
        return
    from tokenizers import Tokenizer
    with open(args.texts) as stream:
        texts = json.load(stream)
    start = time.perf_counter()
    tokenizer = Tokenizer.from_file(os.path.join(args.tokenizer, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=args.max_length)
    load = time.perf_counter() - start
    counts = []

    def encode():
        if args.mode == "batch":
            encodings = tokenizer.encode_batch(texts)
        else:
            encodings = [tokenizer.encode(text) for text in texts]
        counts.append(sum(len(encoding.ids) for encoding in encodings))

    for _ in range(args.warmup):
        encode()
    timings = []
    for _ in range(args.repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        encode()
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    median = statistics.median(wall for wall, _ in timings)
    print(json.dumps({"case": "tokenize", "engine": "tokenizers-" + args.mode, "texts": len(texts), "tokens": counts[-1],
                      "max_length": args.max_length, "warmup": args.warmup, "repeats": args.repeats, "load_s": load,
                      "median_s": median, "seconds": [wall for wall, _ in timings],
                      "cpu_s": statistics.median(cpu for _, cpu in timings), "threads": 1,
                      "texts_per_s": len(texts) / median if median > 0 else 0, "peak_rss_mib": None}, sort_keys=True))


if __name__ == "__main__":
    main()
