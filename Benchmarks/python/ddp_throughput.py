#!/usr/bin/python3
"""Twin of the `ddp-throughput` case (`graft train --from-scratch --strategy full --nproc-per-node N`): one training
epoch of a torchvision model from scratch over an ImageFolder with PyTorch's DistributedDataParallel (Gloo) on N
processes started with torch.multiprocessing (plain training for N = 1). The global batch is --batch (each rank takes
batch / N samples of it through DistributedSampler), every rank gets cores / N intra-op threads and one loader worker,
as Graft's launcher gives its workers. Rank 0 prints one JSON line: the epoch's wall seconds and images/s."""
import argparse
import json
import os
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torchvision
from torchvision import datasets, transforms

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def worker(rank, args, port):
    """One rank: its loader share, the (DDP-wrapped) model, one timed epoch; rank 0 prints the result line."""
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(max(1, os.cpu_count() // args.nproc))
    torch.manual_seed(args.seed)
    distributed = args.nproc > 1
    if distributed:
        dist.init_process_group("gloo", rank=rank, world_size=args.nproc)
    resize = round(args.image_size * 256 / 224)
    train_tf = transforms.Compose([transforms.Resize(resize), transforms.RandomCrop(args.image_size),
                                   transforms.RandomHorizontalFlip(), transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    train_set = datasets.ImageFolder(args.train, train_tf)
    sampler = torch.utils.data.DistributedSampler(train_set, seed=args.seed) if distributed else None
    loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch // args.nproc, shuffle=sampler is None,
                                         sampler=sampler, num_workers=args.workers)
    model = getattr(torchvision.models, args.model)(num_classes=len(train_set.classes)).train()
    if distributed:
        model = torch.nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    criterion = torch.nn.CrossEntropyLoss()
    if distributed:
        dist.barrier()
    start = time.perf_counter()
    for images, labels in loader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    if distributed:
        dist.destroy_process_group()
    if rank == 0:
        print(json.dumps(dict(case="ddp-throughput", engine="pytorch", model=args.model, nproc=args.nproc,
                              image_size=args.image_size, batch=args.batch, images=len(train_set),
                              threads=torch.get_num_threads(), epoch_s=seconds, images_per_s=len(train_set) / seconds),
                         sort_keys=True), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--train", required=True)
    p.add_argument("--model", default="resnet18")
    p.add_argument("--nproc", type=int, default=1)
    p.add_argument("--image-size", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    if args.batch % args.nproc:
        p.error("--batch must divide by --nproc")
    mp.spawn(worker, args=(args, bench_common.free_port()), nprocs=args.nproc)


if __name__ == "__main__":
    main()
