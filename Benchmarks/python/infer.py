#!/usr/bin/python3
"""Twin of `graft-bench infer`: eval-mode inference under torch.no_grad()."""
import torch

import bench_common
import models


def main():
    p = bench_common.parser(__doc__)
    p.add_argument("--model", default="resnet50")
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--memory-format", choices=["nchw", "channels-last"], default="nchw",
                   help="channels-last converts model and batch as in PyTorch's channels-last tutorial")
    args = p.parse_args()
    bench_common.configure(args)
    model = models.make(args.model)
    model.eval()
    images = torch.randn(args.batch, 3, args.size, args.size)
    channels_last = args.memory_format == "channels-last"
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        images = images.contiguous(memory_format=torch.channels_last)

    def infer():
        with torch.no_grad():
            model(images)

    timings = bench_common.seconds(args, infer)
    bench_common.report("infer", args, timings, args.batch, model=args.model, size=args.size, channels_last=channels_last)


if __name__ == "__main__":
    main()
