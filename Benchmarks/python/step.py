#!/usr/bin/python3
"""Twin of `graft-bench step`: one training step (forward, cross-entropy, backward, torch.optim.Adam), on --device in
--precision (autocast forward; fp16 scales the loss with GradScaler and skips a step whose gradients overflowed)."""
import torch
import torch.nn as nn

import bench_common
import compute
import models


def main():
    p = bench_common.parser(__doc__)
    models.add_arguments(p, default_model="resnet18")
    compute.add_arguments(p)
    args = p.parse_args()
    bench_common.configure(args)
    device = compute.device(args)
    model = models.make(args.model).to(device)
    model.train()
    images = torch.randn(args.batch, 3, args.size, args.size).to(device)
    labels = torch.randint(0, 1000, (args.batch,)).to(device)
    model, images, channels_last = models.apply_memory_format(args, model, images)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scaler = compute.grad_scaler(args)

    def step():
        optimizer.zero_grad()
        with compute.autocast(args):
            loss = criterion(model(images), labels)
        if scaler is None:
            loss.backward()
            optimizer.step()
        else:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        compute.synchronize(args)

    timings = bench_common.seconds(args, step)
    bench_common.report("step", args, timings, args.batch, model=args.model, size=args.size, channels_last=channels_last,
                        **compute.reported(args))


if __name__ == "__main__":
    main()
