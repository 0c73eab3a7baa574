"""Shared parts of the PyTorch twins of graft-bench: options, timing, peak RSS and the JSON result line."""
import argparse
import json
import socket
import statistics
import time

import torch


def parser(description):
    """An argument parser with the options every graft-bench case accepts."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 keeps PyTorch's default")
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--profile", help="after timing, run once more under the autograd profiler and write its Chrome trace here")
    return p


def configure(args):
    """Applies the thread count and seed, as a user would at the top of a script."""
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)


def seconds(args, body, warmup=None):
    """Runs body `warmup` (default args.warmup) times untimed, then args.repeats times timed; returns (wall, process
    CPU) seconds per run; then one profiled run when --profile names a file."""
    for _ in range(args.warmup if warmup is None else warmup):
        body()
    timings = []
    for _ in range(args.repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        body()
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    if getattr(args, "profile", None):
        with torch.autograd.profiler.profile(use_kineto=False) as profile:
            body()
        profile.export_chrome_trace(args.profile)
    return timings


def peak_rss_mib():
    """VmHWM of /proc/self/status in MiB (the main process only, like graft-bench)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def validation_accuracy(model, loader):
    """Top-1 accuracy of `model` in eval mode over `loader`, as the seed tutorial's validation loop computes it."""
    import torch
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for images, labels in loader:
            correct += (model(images).argmax(1) == labels).sum().item()
            total += len(labels)
    return correct / total


def report(case, args, timings, image_count, **parameters):
    """Prints the result as one JSON line with the same keys as graft-bench (cpu_s: this process only, not loader
    worker processes)."""
    median = statistics.median(wall for wall, _ in timings)
    result = dict(parameters, case=case, engine="pytorch", threads=torch.get_num_threads(), batch=args.batch,
                  warmup=args.warmup, repeats=args.repeats, median_s=median, seconds=[wall for wall, _ in timings],
                  cpu_s=statistics.median(cpu for _, cpu in timings),
                  images_per_s=image_count / median if median > 0 else 0, peak_rss_mib=peak_rss_mib())
    print(json.dumps(result, sort_keys=True), flush=True)


def free_port():
    """A TCP port nobody listens on now (bind port 0 and read it back)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
