#!/usr/bin/python3
"""Writes OUT/gpu-check.md from OUT/gpu-check.jsonl and the training runs' history.json (scripts/gpu-check calls it):
the machine, each command's exit status, the CUDA-vs-CPU parity, the fine-tuning curves and the benchmark's
Graft/PyTorch ratios. Usage: gpu_check_summary.py OUT"""
import glob
import json
import os
import sys


def table(header, rows):
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def number(value, form="%.3g"):
    return "—" if value is None else form % value


def bench_rows(lines):
    """One row per (case, model, precision) with Graft's and PyTorch's images/s and their ratio."""
    runs = {}
    for line in lines:
        if line.get("part") == "bench" and "case" in line:
            key = (line["case"], line["model"], line["precision"], line["device"], line["size"], line["batch"])
            runs.setdefault(key, {})[line["engine"]] = line
    rows = []
    for (case, model, precision, device, size, batch), engines in sorted(runs.items()):
        graft, torch = engines.get("graft"), engines.get("pytorch")
        speed = lambda run: run and run.get("images_per_s")
        ratio = speed(graft) / speed(torch) if speed(graft) and speed(torch) else None
        rows.append([case, model, precision, device, "%d px, batch %d" % (size, batch), number(speed(graft), "%.1f"),
                     number(speed(torch), "%.1f"), number(ratio, "%.2f")])
    return rows


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "gpu-check.jsonl")) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    md = ["# GPU check", ""]
    for line in lines:
        if line.get("part") == "machine" and "torch" in line:
            md += ["torch %s (CUDA %s), CUDA available: %s, GPU: %s" % (line["torch"], line["torch_cuda"],
                                                                         line["cuda_available"], line["gpu"]), ""]
    md += ["## Commands", ""]
    md += table(["part", "command", "exit", "seconds"],
                [[l["part"], l["name"], "skipped" if l.get("skipped") else l["exit"], l.get("wall_s", "—")]
                 for l in lines if "exit" in l])
    md += [""] + ["parity: refused without CUDA, as it must (dry run)" for l in lines if l.get("refused_as_expected")]

    parity = [l for l in lines if l.get("case") == "parity"]
    if parity:
        md += ["", "## Parity: %s against the CPU" % parity[0]["device"], ""]
        md += table(["engine", "model", "precision", "logits rel. error", "gradient rel. error (worst parameter)", "tolerance", "pass"],
                    [[l["engine"], l["model"], l["precision"], number(l.get("logits_rel_error")),
                      "%s (%s)" % (number(l.get("gradient_rel_error")), l.get("worst_gradient", l.get("error"))),
                      l["tolerance"], l["pass"]] for l in parity])

    for history_path in sorted(glob.glob(os.path.join(out, "train-*", "history.json"))):
        with open(history_path) as f:
            history = json.load(f)
        run = os.path.basename(os.path.dirname(history_path))
        md += ["", "## Fine-tuning (%s): %s" % (run, history.get("data", "")), ""]
        md += table(["epoch", "phase", "train acc", "val acc", "seconds", "images/s"],
                    [[e["epoch"], e["phase"], number(e.get("trainAccuracy"), "%.4f"), number(e.get("validationAccuracy"), "%.4f"),
                      number(e.get("seconds"), "%.1f"), number(e.get("imagesPerSecond"), "%.0f")] for e in history["epochs"]])

    rows = bench_rows(lines)
    if rows:
        md += ["", "## Benchmark", "", "ratio = Graft images/s ÷ PyTorch images/s (>1: Graft faster), medians of the timed "
               "repetitions, each ending with a device synchronisation.", ""]
        md += table(["case", "model", "precision", "device", "shape", "Graft img/s", "PyTorch img/s", "ratio"], rows)
    with open(os.path.join(out, "gpu-check.md"), "w") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
