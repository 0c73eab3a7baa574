#!/usr/bin/python3
"""Twin of `graft-bench allreduce`: averaging gradients shaped like a torchvision model's parameters over ranks on
this machine with torch.distributed (Gloo, loopback): the same buckets as Graft's GradientBuckets (DDP's assignment:
parameters in reverse, 1 MiB first bucket, then the cap), each divided by the world size, flattened, summed in one
all_reduce and copied back, as DDP's reducer does with its flat bucket buffers. The ranks are processes started with
torch.multiprocessing; rank 0 prints the JSON result line. One intra-op thread per rank."""
import argparse
import json
import os
import statistics
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torchvision

import bench_common

FIRST_BUCKET_BYTES = 1024 * 1024


def buckets(tensors, cap_bytes):
    """c10d's compute_bucket_assignment_by_size for one dtype, as Graft's GradientBuckets mirrors it."""
    closed, current, size, cap = [], [], 0, FIRST_BUCKET_BYTES
    for index in reversed(range(len(tensors))):
        current.append(index)
        size += tensors[index].numel() * tensors[index].element_size()
        if size >= cap:
            closed.append(current)
            current, size, cap = [], 0, cap_bytes
    return closed + ([current] if current else [])


def average(gradients, bucket_list, world_size):
    """Replaces each gradient with its mean over the ranks, one all_reduce per bucket (Graft's averageGradients)."""
    for bucket in bucket_list:
        tensors = [gradients[i] for i in bucket]
        for tensor in tensors:
            tensor.div_(world_size)
        flat = torch.cat([tensor.reshape(-1) for tensor in tensors])
        dist.all_reduce(flat)
        offset = 0
        for tensor in tensors:
            tensor.copy_(flat[offset:offset + tensor.numel()].view_as(tensor))
            offset += tensor.numel()


def worker(rank, args, port):
    """One rank: joins the group, makes random gradients shaped like the model's parameters and times averaging them."""
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    torch.manual_seed(rank)
    dist.init_process_group("gloo", rank=rank, world_size=args.world_size)
    gradients = [torch.randn(p.shape) for p in getattr(torchvision.models, args.model)().parameters()]
    bucket_list = buckets(gradients, int(args.bucket_mib * 1024 * 1024))
    timings = []
    for _ in range(args.warmup + args.repeats):
        dist.barrier()
        wall, cpu = time.perf_counter(), time.process_time()
        with torch.no_grad():
            average(gradients, bucket_list, args.world_size)
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    timings = timings[args.warmup:]
    dist.destroy_process_group()
    if rank != 0:
        return
    size = sum(g.numel() * g.element_size() for g in gradients)
    median = statistics.median(wall for wall, _ in timings)
    print(json.dumps(dict(case="allreduce", engine="pytorch", model=args.model, world_size=args.world_size,
                          bucket_mib=args.bucket_mib, buckets=len(bucket_list), tensors=len(gradients), bytes=size,
                          warmup=args.warmup, repeats=args.repeats, threads=torch.get_num_threads(), median_s=median,
                          seconds=[wall for wall, _ in timings], cpu_s=statistics.median(cpu for _, cpu in timings),
                          algorithm_gb_per_s=size / median / 1e9,
                          bus_gb_per_s=size * 2 * (args.world_size - 1) / args.world_size / median / 1e9,
                          peak_rss_mib=bench_common.peak_rss_mib()), sort_keys=True), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", default="resnet50")
    p.add_argument("--world-size", type=int, default=2)
    p.add_argument("--bucket-mib", type=float, default=25.0)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=10)
    args = p.parse_args()
    mp.spawn(worker, args=(args, bench_common.free_port()), nprocs=args.world_size)


if __name__ == "__main__":
    main()
