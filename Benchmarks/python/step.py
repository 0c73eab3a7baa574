#!/usr/bin/python3
"""Twin of `graft-bench step`: one training step (forward, cross-entropy, backward, torch.optim.Adam)."""
import torch
import torch.nn as nn

import bench_common
import models


def main():
    p = bench_common.parser(__doc__)
    p.add_argument("--model", default="resnet18")
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--memory-format", choices=["nchw", "channels-last"], default="nchw",
                   help="channels-last converts model and batch as in PyTorch's channels-last tutorial")
    args = p.parse_args()
    bench_common.configure(args)
    model = models.make(args.model)
    model.train()
    images = torch.randn(args.batch, 3, args.size, args.size)
    labels = torch.randint(0, 1000, (args.batch,))
    channels_last = args.memory_format == "channels-last"
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        images = images.contiguous(memory_format=torch.channels_last)
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
