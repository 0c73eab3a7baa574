#!/usr/bin/python3
"""Twin of `graft-bench infer`: eval-mode inference under torch.no_grad()."""
import torch

import bench_common
import models


def main():
    p = bench_common.parser(__doc__)
    models.add_arguments(p, default_model="resnet50")
    args = p.parse_args()
    bench_common.configure(args)
    model = models.make(args.model)
    model.eval()
    images = torch.randn(args.batch, 3, args.size, args.size)
    model, images, channels_last = models.apply_memory_format(args, model, images)

    def infer():
        with torch.no_grad():
            model(images)

    timings = bench_common.seconds(args, infer)
    bench_common.report("infer", args, timings, args.batch, model=args.model, size=args.size, channels_last=channels_last)


if __name__ == "__main__":
    main()
