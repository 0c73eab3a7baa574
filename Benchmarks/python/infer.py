#!/usr/bin/python3
"""Twin of `graft-bench infer`: eval-mode inference under torch.no_grad(), on --device in --precision (autocast)."""
import torch

import bench_common
import compute
import models


def main():
    p = bench_common.parser(__doc__)
    models.add_arguments(p, default_model="resnet50")
    compute.add_arguments(p)
    args = p.parse_args()
    bench_common.configure(args)
    device = compute.device(args)
    model = models.make(args.model).to(device)
    model.eval()
    images = torch.randn(args.batch, 3, args.size, args.size).to(device)
    model, images, channels_last = models.apply_memory_format(args, model, images)

    def infer():
        with torch.no_grad(), compute.autocast(args):
            model(images)
        compute.synchronize(args)

    timings = bench_common.seconds(args, infer)
    bench_common.report("infer", args, timings, args.batch, model=args.model, size=args.size, channels_last=channels_last,
                        **compute.reported(args))


if __name__ == "__main__":
    main()
