#!/usr/bin/python3
"""Twin of `graft-bench step`: one training step (forward, cross-entropy, backward, torch.optim.Adam)."""
import torch
import torch.nn as nn

import bench_common
import models


def main():
    p = bench_common.parser(__doc__)
    models.add_arguments(p, default_model="resnet18")
    args = p.parse_args()
    bench_common.configure(args)
    model = models.make(args.model)
    model.train()
    images = torch.randn(args.batch, 3, args.size, args.size)
    labels = torch.randint(0, 1000, (args.batch,))
    model, images, channels_last = models.apply_memory_format(args, model, images)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()

    timings = bench_common.seconds(args, step)
    bench_common.report("step", args, timings, args.batch, model=args.model, size=args.size, channels_last=channels_last)


if __name__ == "__main__":
    main()
