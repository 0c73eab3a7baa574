#!/usr/bin/python3
"""Runs graft-bench cases and their PyTorch twins alternately, prints a comparison table and writes
bench-results/<timestamp>.json. Called by scripts/bench, which builds graft-bench first.

  suite.py --graft BIN --images DIR [--quick] [--threads 2] [--repeats N] [CASE ...]

CASE is any of overhead, step, infer, predict, data, head-phase, finetune, seed-recipe, learner, text-step, tokenize,
text-finetune, allreduce, ddp-throughput, zoo (default: all that this checkout can run; zoo: issue 16's five architectures, eval and
training step). `learner` compares Graft with itself: a Learner epoch against the seed
tutorial's hand-written loop (in the torch columns), in one process. `tokenize` compares BertTokenizer with Hugging Face
`tokenizers` (in the torch columns).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import machine

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PYTHON = "/usr/bin/python3"
CASES = ["overhead", "step", "infer", "predict", "data", "head-phase", "finetune", "seed-recipe", "learner", "text-step",
         "tokenize", "text-finetune", "allreduce", "ddp-throughput", "zoo"]


ZOO_MODELS = ["convnext_tiny", "vit_b_16", "swin_t", "efficientnet_b0", "mobilenet_v3_large"]


def entries(case, quick):
    """The configurations of one case: a list of (label, graft-bench/twin arguments)."""
    if case == "overhead":
        return [("overhead resnet18-ops 112px", ["--size", "112"])]
    if case == "step":
        sizes = [112] if quick else [112, 224]
        return [("step %s %dpx" % (m, s), ["--model", m, "--size", str(s)])
                for m in ["resnet18", "efficientnet_lite0"] for s in sizes]
    if case == "infer":
        return [("infer %s 224px" % m, ["--model", m, "--size", "224"])
                for m in ["resnet50", "mobilenet_v2", "efficientnet_lite0"]]
    if case == "predict":
        return [("predict %s jpeg" % m, ["--model", m]) for m in ["resnet50", "efficientnet_lite0"]]
    if case == "text-step":
        return [("text-step minilm_l6 %d tokens" % n, ["--length", str(n)]) for n in ([64] if quick else [64, 128])]
    return []


def run_process(command):
    """Runs a whole program; returns (wall seconds, peak RSS MiB of that process, its standard output)."""
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.TemporaryFile(mode="w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (" ".join(command), process.returncode, err.read()[-2000:]))
        return wall, usage.ru_maxrss / 1024, out.read()


def run_head_phase(options):
    """`graft train --strategy head` (frozen backbone, cached features) vs head_phase.py (backbone recomputed), whole
    runs of EfficientNet-Lite0 with its pretrained weights over the benchmark JPEGs, wall time and final accuracy; and
    the cost of one head-only epoch once Graft's cache exists (its later epochs) against one of PyTorch's epochs."""
    epochs = 2 if options.quick else 3
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as run:
        wall, rss, _ = run_process([options.graft_cli, "train", "--data", options.images, "--model", "efficientnet_lite0",
                                    "--strategy", "head", "--epochs", str(epochs), "--batch-size", str(options.batch),
                                    "--threads", str(options.threads), "--workers", "2", "--seed", "0",
                                    "--output", os.path.join(run, "graft")])
        with open(os.path.join(run, "graft", "history.json")) as history:
            records = json.load(history)["epochs"]
    graft = {"case": "head-phase", "engine": "graft", "median_s": wall, "peak_rss_mib": rss,
             "accuracy": records[-1].get("validationAccuracy"), "epochs": epochs, "threads": options.threads}
    twin = [PYTHON, os.path.join(HERE, "head_phase.py"), "--data", options.images, "--epochs", str(epochs),
            "--batch", str(options.batch), "--threads", str(options.threads)]
    wall, rss, output = run_process(twin)
    torch = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    torch.update(median_s=wall, peak_rss_mib=rss)
    cached_epoch = statistics.median(record["seconds"] for record in records[1:])
    per_epoch = {"label": "head-phase lite0 one cached epoch", "load_before": load,
                 "graft": {"median_s": cached_epoch, "engine": "graft"},
                 "pytorch": {"median_s": wall / epochs, "engine": "pytorch"}, "pytorch_default": None}
    whole = {"label": "head-phase lite0 %d epochs" % epochs, "load_before": load, "graft": graft, "pytorch": torch,
             "pytorch_default": None}
    return [whole, per_epoch]


def run_finetune(options):
    """The seed tutorial's recipe (`make demo`'s until graft's defaults changed; its rates, BatchNorm and weight decay
    pinned to the tutorial's): (EfficientNet-Lite0, progressive: 2 head epochs, then the last stage at lr 3e-4, cosine,
    validation each epoch, best checkpoint) through `graft train` vs the same recipe in PyTorch (finetune.py), on the
    same balanced Fashion-MNIST ImageFolder of PNG files: whole-run wall time and validation accuracy."""
    per_class, per_class_val, epochs, head_epochs = (100, 20, 3, 1) if options.quick else (1000, 100, 8, 2)
    data = os.path.join(ROOT, "bench-data", "fashion")
    subprocess.run([PYTHON, os.path.join(HERE, "make_fashion_folder.py"), data, str(per_class), str(per_class_val)],
                   check=True, cwd=ROOT)
    train, val = os.path.join(data, "train"), os.path.join(data, "val")
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as run:
        wall, rss, _ = run_process([options.graft_cli, "train", "--data", train, "--val", val, "--model", "efficientnet_lite0",
                                    "--image-size", "96", "--epochs", str(epochs), "--head-epochs", str(head_epochs),
                                    "--unfreeze-depth", "1", "--head-lr", "1e-3", "--lr", "3e-4", "--bn", "train",
                                    "--decay-norm-bias", "--threads", str(options.threads),
                                    "--workers", "2", "--output", os.path.join(run, "graft")])
        with open(os.path.join(run, "graft", "history.json")) as history:
            accuracies = [record.get("validationAccuracy") for record in json.load(history)["epochs"]]
        graft = {"case": "finetune", "engine": "graft", "median_s": wall, "peak_rss_mib": rss, "accuracy": accuracies[-1],
                 "best_accuracy": max(accuracies), "accuracies": accuracies, "threads": options.threads}
        wall, rss, output = run_process([PYTHON, os.path.join(HERE, "finetune.py"), "--train", train, "--val", val,
                                         "--output", run, "--epochs", str(epochs), "--head-epochs", str(head_epochs)])
    torch = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    torch.update(median_s=wall, peak_rss_mib=rss, accuracy=torch["final_accuracy"])
    return [{"label": "finetune lite0 fashion %d epochs" % epochs, "load_before": load, "graft": graft, "pytorch": torch,
             "pytorch_default": None}]


def run_seed_recipe(options):
    """`graft train` with its defaults (only data, image size, epochs and batch size given) against the PyTorch seed
    recipe as the tutorial writes it (finetune.py: EfficientNet-Lite0, 2 head epochs, then the last stage, AdamW,
    cosine), on Fashion-MNIST 500 train / 100 validation images per class as PNG files at 96 px, 6 epochs, batch 32:
    best validation accuracy of each and the whole-run wall time."""
    per_class, per_class_val, epochs = (100, 20, 2) if options.quick else (500, 100, 6)
    data = os.path.join(ROOT, "bench-data", "fashion-%dx%d" % (per_class, per_class_val))
    subprocess.run([PYTHON, os.path.join(HERE, "make_fashion_folder.py"), data, str(per_class), str(per_class_val)],
                   check=True, cwd=ROOT)
    train, val = os.path.join(data, "train"), os.path.join(data, "val")
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as run:
        wall, rss, _ = run_process([options.graft_cli, "train", "--data", train, "--val", val, "--image-size", "96",
                                    "--epochs", str(epochs), "--batch-size", "32", "--threads", str(options.threads),
                                    "--workers", "2", "--output", os.path.join(run, "graft")])
        with open(os.path.join(run, "graft", "history.json")) as history:
            accuracies = [record.get("validationAccuracy") for record in json.load(history)["epochs"]]
        graft = {"case": "seed-recipe", "engine": "graft", "median_s": wall, "peak_rss_mib": rss,
                 "accuracy": max(accuracies), "final_accuracy": accuracies[-1], "accuracies": accuracies,
                 "threads": options.threads}
        wall, rss, output = run_process([PYTHON, os.path.join(HERE, "finetune.py"), "--train", train, "--val", val,
                                         "--output", run, "--epochs", str(epochs), "--image-size", "96", "--batch", "32"])
    torch = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    torch.update(case="seed-recipe", median_s=wall, peak_rss_mib=rss, accuracy=torch["best_accuracy"])
    return [{"label": "seed-recipe defaults fashion %d ep" % epochs, "load_before": load, "graft": graft, "pytorch": torch,
             "pytorch_default": None}]


# The trainer cases of issues 6 and 12: whole `graft train` runs against their PyTorch twins.
def run_text_finetune(options):
    """`graft train --model minilm_l6` with its default text recipe against the same recipe in PyTorch +
    transformers (text_finetune.py) on the same Rotten Tomatoes split (text_data.py: 2,000 training and 500 validation
    snippets, fresh vs rotten; --quick: 300 / 100): whole-run wall time and validation accuracy, plus one head-only
    epoch (Graft: on cached embeddings, the twin: recomputing the frozen encoder as a plain loop does). With
    --seeds N both sides run with seeds 42 … 41+N (--first-seed moves the start; head initialisation, batch order, dropout): the accuracy is then the
    mean of the runs' best accuracies (one validation text is 0.2 points, so one seed cannot separate two equal
    recipes) and the wall time their median."""
    train_n, val_n, epochs, head_epochs = (300, 100, 3, 2) if options.quick else (2000, 500, 4, 2)
    data = os.path.join(ROOT, "bench-data", "text", "rotten-tomatoes-%d" % train_n)
    subprocess.run([PYTHON, os.path.join(HERE, "text_data.py"), "rotten-tomatoes", data, "--limit", str(train_n),
                    "--val-limit", str(val_n)], check=True, cwd=ROOT)
    train, val = os.path.join(data, "train.csv"), os.path.join(data, "val.csv")
    load = os.getloadavg()[0]
    recipe = ["--epochs", str(epochs), "--head-epochs", str(head_epochs), "--unfreeze-depth", "1"]
    graft_runs, torch_runs = [], []
    for seed in range(options.first_seed, options.first_seed + options.seeds):
        with tempfile.TemporaryDirectory() as run:
            wall, rss, _ = run_process([options.graft_cli, "train", "--model", "minilm_l6", "--data", train, "--val", val,
                                        "--threads", str(options.threads), "--seed", str(seed),
                                        "--output", os.path.join(run, "graft")] + recipe)
            with open(os.path.join(run, "graft", "history.json")) as history:
                records = json.load(history)["epochs"]
        accuracies = [record.get("validationAccuracy") for record in records]
        graft_runs.append({"seed": seed, "wall_s": wall, "peak_rss_mib": rss, "accuracies": accuracies,
                           "epoch_seconds": [record["seconds"] for record in records]})
        wall, rss, output = run_process([PYTHON, os.path.join(HERE, "text_finetune.py"), "--train", train, "--val", val,
                                         "--threads", str(options.threads), "--seed", str(seed)] + recipe)
        twin = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
        twin.update(seed=seed, wall_s=wall, peak_rss_mib=rss)
        torch_runs.append(twin)
        print("text-finetune seed %d: graft best %.4f in %.1f s, twin best %.4f in %.1f s" % (
            seed, max(accuracies), graft_runs[-1]["wall_s"], max(twin["accuracies"]), wall), file=sys.stderr, flush=True)

    def summary(engine, runs):
        return {"case": "text-finetune", "engine": engine, "threads": options.threads,
                "median_s": statistics.median(r["wall_s"] for r in runs),
                "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
                "accuracy": statistics.mean(max(r["accuracies"]) for r in runs), "runs": runs}

    graft, torch = summary("graft", graft_runs), summary("pytorch", torch_runs)
    # The second head epoch of the first seed: Graft's runs on the cached embeddings (the first one builds the cache).
    head = {"label": "text head epoch minilm rt %d" % train_n, "load_before": load,
            "graft": {"engine": "graft", "median_s": graft_runs[0]["epoch_seconds"][1]},
            "pytorch": {"engine": "pytorch", "median_s": torch_runs[0]["epoch_seconds"][1]}, "pytorch_default": None}
    seeds = "" if options.seeds == 1 else " x%d seeds" % options.seeds
    whole = {"label": "text-finetune minilm rt %d %d ep%s" % (train_n, epochs, seeds), "load_before": load,
             "graft": graft, "pytorch": torch, "pytorch_default": None}
    return [whole, head]


# The data-parallel cases of issue 14 (see docs/distributed.md, "Expected scaling").
def run_allreduce(options):
    """`graft-bench allreduce` against allreduce.py: averaging ResNet-50-shaped gradients (25.6 M float32) over 2
    worker processes on loopback Gloo, DDP's buckets with caps of 1, 5, 25 and 100 MiB, median of the repetitions; the
    bucket counts and bytes must agree."""
    rows = []
    for cap in ([25] if options.quick else [1, 5, 25, 100]):
        arguments = ["--model", "resnet50", "--world-size", "2", "--bucket-mib", str(cap),
                     "--repeats", str(3 if options.quick else 10)]
        print("running allreduce %d MiB ..." % cap, file=sys.stderr, flush=True)
        load = os.getloadavg()[0]
        graft = run_json([options.graft, "allreduce"] + arguments)
        torch = run_json([PYTHON, os.path.join(HERE, "allreduce.py")] + arguments)
        if (graft["buckets"], graft["bytes"]) != (torch["buckets"], torch["bytes"]):
            raise RuntimeError("allreduce: graft made %d buckets of %d bytes, the twin %d of %d" % (
                graft["buckets"], graft["bytes"], torch["buckets"], torch["bytes"]))
        rows.append({"label": "allreduce resnet50 2 ranks %d MiB" % cap, "load_before": load, "graft": graft,
                     "pytorch": torch, "pytorch_default": None})
    return rows


def run_ddp_throughput(options):
    """One training epoch of ResNet-18 from scratch at 64 px, global batch 32, on Fashion-MNIST 2,000 PNG images
    (--quick: 500), with 1 and 2 processes on this machine: `graft train --nproc-per-node N` (images/s of the epoch
    from history.json) against PyTorch DDP (ddp_throughput.py). Both give each process cores / N intra-op threads and
    one loader worker; with 2 processes on a 2-core machine the ranks share the cores, so this measures the
    overhead of data parallelism, not a speed-up."""
    per_class = 50 if options.quick else 200
    data = os.path.join(ROOT, "bench-data", "fashion-%dx20" % per_class)
    subprocess.run([PYTHON, os.path.join(HERE, "make_fashion_folder.py"), data, str(per_class), "20"], check=True, cwd=ROOT)
    train, val = os.path.join(data, "train"), os.path.join(data, "val")
    cores = os.cpu_count()
    rows = []
    for nproc in [1, 2]:
        print("running ddp-throughput %d process(es) ..." % nproc, file=sys.stderr, flush=True)
        load = os.getloadavg()[0]
        with tempfile.TemporaryDirectory() as run:
            command = [options.graft_cli, "train", "--data", train, "--val", val, "--model", "resnet18", "--from-scratch",
                       "--strategy", "full", "--image-size", "64", "--epochs", "1", "--batch-size", "32", "--workers", "1",
                       "--seed", "0", "--output", os.path.join(run, "graft")]
            if nproc == 1:
                command += ["--threads", str(cores)]  # what the launcher's OMP_NUM_THREADS gives each of N workers
            else:
                command += ["--nproc-per-node", str(nproc), "--master-port", "0"]
            wall, rss, _ = run_process(command)
            with open(os.path.join(run, "graft", "history.json")) as history:
                record = json.load(history)["epochs"][0]
        # The training pass alone, as the twin times it (the epoch's "seconds" include validation).
        graft = {"case": "ddp-throughput", "engine": "graft", "nproc": nproc, "images_per_s": record["imagesPerSecond"],
                 "median_s": per_class * 10 / record["imagesPerSecond"], "epoch_s": record["seconds"], "run_s": wall,
                 "peak_rss_mib": rss}
        torch = run_json([PYTHON, os.path.join(HERE, "ddp_throughput.py"), "--train", train, "--nproc", str(nproc),
                          "--model", "resnet18", "--image-size", "64", "--batch", "32"])
        torch["median_s"] = torch["epoch_s"]
        rows.append({"label": "ddp-throughput resnet18 64px %d proc" % nproc, "load_before": load, "graft": graft,
                     "pytorch": torch, "pytorch_default": None})
    return rows


TRAINER_CASES = {"head-phase": run_head_phase, "finetune": run_finetune, "seed-recipe": run_seed_recipe,
                 "text-finetune": run_text_finetune, "ddp-throughput": run_ddp_throughput}



def run_json(command):
    """Runs a benchmark process and returns its JSON result line (the last line starting with '{')."""
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(command), completed.returncode, completed.stderr.strip()[-2000:]))
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError("%s printed no result line" % " ".join(command))
    return json.loads(lines[-1])


def merged_rounds(results):
    """One result from the result lines of several processes of the same case (--rounds): every timed repetition
    pooled, the median over all of them, the median of the processes' CPU medians and the highest peak RSS."""
    if len(results) == 1:
        return results[0]
    merged = dict(results[0])
    seconds = [wall for result in results for wall in result["seconds"]]
    merged.update(seconds=seconds, median_s=statistics.median(seconds), rounds=len(results),
                  cpu_s=statistics.median(result["cpu_s"] for result in results),
                  peak_rss_mib=max((result.get("peak_rss_mib") or 0) for result in results) or None)
    if results[0].get("images_per_s") is not None and merged["median_s"] > 0:
        merged["images_per_s"] = results[0]["images_per_s"] * results[0]["median_s"] / merged["median_s"]
    return merged


def run_pair(case, label, arguments, options, batch=None):
    """Graft and its twin at the same thread count, then the twin at PyTorch's default thread count; `batch`
    overrides the suite's batch size."""
    common = ["--repeats", str(options.repeats), "--warmup", str(options.warmup), "--batch", str(batch or options.batch)]
    extra = ["--images", options.images, "--limit", str(options.limit)] if case == "predict" else []
    load = os.getloadavg()[0]
    twin = [PYTHON, os.path.join(HERE, case.replace("-", "_") + ".py")] + arguments + common + extra
    graft_rounds, torch_rounds = [], []
    for _ in range(options.rounds):
        graft_rounds.append(run_json([options.graft, case] + arguments + common + extra + ["--threads", str(options.threads)]))
        torch_rounds.append(run_json(twin + ["--threads", str(options.threads)]))
    graft, torch = merged_rounds(graft_rounds), merged_rounds(torch_rounds)
    if not options.with_default:
        default = None
    elif options.threads == options.torch_default_threads:
        default = torch  # the same configuration: PyTorch's default thread count is the one compared
    else:
        default = run_json(twin + ["--threads", "0"])
    return {"label": label, "load_before": load, "graft": graft, "pytorch": torch, "pytorch_default": default}


def run_data(options):
    """The data benchmark of scripts/bench-data (decode + augment + batch), when this checkout has it."""
    binary = os.path.join(os.path.dirname(options.graft), "graft-bench-data")
    if not os.path.exists(binary):
        return None
    load = os.getloadavg()[0]

    def rate(command):
        output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
        fields = output.split()
        return float(fields[fields.index("images_per_second") + 1]), float(fields[fields.index("seconds") + 1])

    graft, torch = [], []
    for _ in range(options.repeats):
        graft.append(rate([binary, options.images, "2"]))
        torch.append(rate([PYTHON, os.path.join(ROOT, "scripts", "bench_data.py"), "torchvision", options.images]))

    def line(engine, values):
        return {"case": "data", "engine": engine, "median_s": statistics.median(v[1] for v in values),
                "images_per_s": statistics.median(v[0] for v in values), "peak_rss_mib": None, "threads": None}

    return {"label": "data decode+augment+batch", "load_before": load, "graft": line("graft", graft),
            "pytorch": line("pytorch", torch), "pytorch_default": None}


def run_learner(options):
    """The training object's epoch against the hand-written tutorial loop, alternating in one graft-bench process."""
    load = os.getloadavg()[0]
    line = run_json([options.graft, "learner", "--threads", str(options.threads), "--repeats", str(max(options.repeats, 3))])
    loop = dict(line, engine="graft-hand-loop", median_s=line["hand_loop_median_s"], seconds=line["hand_loop_s"], cpu_s=None)
    return [{"label": "learner epoch vs hand loop", "load_before": load, "graft": line, "pytorch": loop, "pytorch_default": None}]


def run_tokenize(options):
    """`graft-bench tokenize` (BertTokenizer, one thread) against `tokenizers`' `encode_batch` and a Python loop of
    `encode`, both on one thread, over every rotten-tomatoes text and BBC news paragraph with the all-MiniLM-L6-v2
    tokenizer.json, truncated to 128 tokens; the token totals must agree. Returns no rows when the assets are missing."""
    import text_corpus
    if not (os.path.exists(text_corpus.MINILM) and os.path.exists(text_corpus.ROTTEN_TOMATOES)):
        print("skipped tokenize: the MiniLM and rotten-tomatoes assets are missing (scripts/setup)", file=sys.stderr)
        return []
    twin = os.path.join(HERE, "tokenize_text.py")
    corpus = os.path.join(ROOT, "bench-data", "tokenize-corpus.json")
    if not os.path.exists(corpus):
        os.makedirs(os.path.dirname(corpus), exist_ok=True)
        subprocess.run([PYTHON, twin, "--write-corpus", corpus], check=True, cwd=ROOT)
    common = ["--texts", corpus, "--repeats", str(options.repeats), "--warmup", "1"]
    load = os.getloadavg()[0]
    graft = run_json([options.graft, "tokenize"] + common)
    rows = []
    for mode in ["batch", "loop"]:
        reference = run_json([PYTHON, twin, "--mode", mode] + common)
        if reference["tokens"] != graft["tokens"]:
            raise RuntimeError("tokenize: graft produced %d tokens, tokenizers %d" % (graft["tokens"], reference["tokens"]))
        rows.append({"label": "tokenize minilm rt+bbc %s" % mode, "load_before": load, "graft": graft, "pytorch": reference,
                     "pytorch_default": None})
    return rows


def ratio(graft, torch):
    """Graft speed / PyTorch speed (>1: Graft faster)."""
    return torch["median_s"] / graft["median_s"] if graft and torch and graft["median_s"] > 0 else None


def table(rows, threads):
    """The comparison table as text."""
    head = ("case", "graft s", "torch s", "ratio", "cpu ratio", "torch dflt s", "ratio dflt", "RSS graft", "RSS torch",
            "load", "acc graft", "acc torch")
    lines = ["threads: graft and 'torch' at %d; 'torch dflt' at PyTorch's default; ratio = graft speed / torch speed "
             "(>1: Graft faster) from median wall seconds per repetition; cpu ratio = the same from process CPU seconds "
             "(robust to other load; not for predict, whose PyTorch loader works in other processes); RSS = peak MiB; "
             "load = 1-minute load average before the case; acc = final validation accuracy of training cases "
             "(seed-recipe: best)" % threads,
             "%-34s %8s %8s %6s %9s %12s %10s %9s %9s %5s %9s %9s" % head]

    def number(value, form):
        return form % value if value is not None else "-"

    for row in rows:
        g, t, d = row["graft"], row["pytorch"], row["pytorch_default"]
        cpu = t["cpu_s"] / g["cpu_s"] if g.get("cpu_s") and t.get("cpu_s") and g["case"] != "predict" else None
        lines.append("%-34s %8s %8s %6s %9s %12s %10s %9s %9s %5.2f %9s %9s" % (
            row["label"], number(g["median_s"], "%.3f"), number(t["median_s"], "%.3f"), number(ratio(g, t), "%.2f"),
            number(cpu, "%.2f"), number(d and d["median_s"], "%.3f"), number(ratio(g, d), "%.2f"),
            number(g.get("peak_rss_mib"), "%.0f"), number(t.get("peak_rss_mib"), "%.0f"), row["load_before"],
            number(g.get("accuracy"), "%.4f"), number(t.get("accuracy"), "%.4f")))
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cases", nargs="*", help="subset of: " + ", ".join(CASES))
    p.add_argument("--graft", required=True, help="the graft-bench binary")
    p.add_argument("--images", required=True, help="ImageFolder of JPEGs for predict and data")
    p.add_argument("--quick", action="store_true", help="small batches, one timed repetition: for development")
    p.add_argument("--threads", type=int, default=1,
                   help="intra-op threads for both engines (default 1: faster than 2 on the shared 2-core machine, "
                        "see docs/performance.md)")
    p.add_argument("--repeats", type=int, help="timed repetitions per process (default 3, quick 1)")
    p.add_argument("--rounds", type=int, default=1,
                   help="model cases: run Graft and its twin alternately this many times and pool their repetitions "
                        "(on a machine whose speed drifts between runs, alternation keeps the drift out of the ratio)")
    p.add_argument("--seeds", type=int, default=1,
                   help="text-finetune: runs per engine with seeds 42, 43, …; accuracy = the mean of their best (default 1)")
    p.add_argument("--first-seed", type=int, default=42,
                   help="text-finetune: the first of the --seeds seeds (default 42), to add seeds to an earlier run")
    p.add_argument("--no-default", dest="with_default", action="store_false",
                   help="skip the extra PyTorch run at its default thread count")
    options = p.parse_args()
    unknown = [c for c in options.cases if c not in CASES]
    if unknown:
        p.error("unknown case %s; choose from %s" % (", ".join(unknown), ", ".join(CASES)))
    options.graft_cli = os.path.join(os.path.dirname(options.graft), "graft")
    options.repeats = options.repeats or (1 if options.quick else 3)
    options.warmup = 1
    options.batch = 8 if options.quick else 32
    options.limit = 32 if options.quick else 64
    facts = machine.facts()
    options.torch_default_threads = facts["torch_default_threads"]
    selected = options.cases or CASES
    rows = []
    for case in selected:
        if case == "data":
            row = run_data(options)
            if row is None:
                print("skipped data: graft-bench-data is not built in this checkout", file=sys.stderr)
            else:
                rows.append(row)
            continue
        if case == "learner":
            print("running learner ...", file=sys.stderr, flush=True)
            rows.extend(run_learner(options))
            continue
        if case == "tokenize":
            print("running tokenize ...", file=sys.stderr, flush=True)
            rows.extend(run_tokenize(options))
            continue
        if case == "allreduce":
            rows.extend(run_allreduce(options))
            continue
        if case == "zoo":
            # Issue 16's architectures: an eval batch and a training step of 8 images at 224 px (the suite's 32 would
            # take minutes per ViT-B step on two cores).
            for sub in ("infer", "step"):
                for model in ZOO_MODELS:
                    label = "%s %s 224px x8" % (sub, model)
                    print("running %s ..." % label, file=sys.stderr, flush=True)
                    rows.append(run_pair(sub, label, ["--model", model, "--size", "224"], options, batch=8))
            continue
        if case in ("head-phase", "finetune", "seed-recipe", "text-finetune", "ddp-throughput") and (case not in TRAINER_CASES or not os.path.exists(options.graft_cli)):
            print("skipped %s: needs `graft train` and its case in Benchmarks/python/suite.py" % case, file=sys.stderr)
            continue
        if case in TRAINER_CASES:
            print("running %s ..." % case, file=sys.stderr, flush=True)
            rows.extend(TRAINER_CASES[case](options))
            continue
        for label, arguments in entries(case, options.quick):
            print("running %s ..." % label, file=sys.stderr, flush=True)
            rows.append(run_pair(case, label, arguments, options))
    text = table(rows, options.threads)
    print(text)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    os.makedirs(os.path.join(ROOT, "bench-results"), exist_ok=True)
    path = os.path.join(ROOT, "bench-results", stamp + ".json")
    with open(path, "w") as out:
        json.dump({"time_utc": stamp, "quick": options.quick, "threads": options.threads, "machine": facts,
                   "rows": rows, "table": text}, out, indent=1)
    print("results written to", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
