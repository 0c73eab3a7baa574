#!/usr/bin/python3
"""Twin of `graft-bench predict`: JPEG files to class labels with torchvision ImageFolder + DataLoader(num_workers=2),
PIL transforms and an eval-mode model under torch.no_grad()."""
import torch
from torchvision import datasets, transforms

import bench_common
import models


def main():
    p = bench_common.parser(__doc__)
    p.add_argument("--model", default="resnet50")
    p.add_argument("--images", required=True, help="ImageFolder root")
    p.add_argument("--limit", type=int, default=0, help="use only the first N images (0: all)")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    bench_common.configure(args)
    model = models.make(args.model)
    model.eval()
    size, resize, mean, std = models.eval_statistics(args.model)
    transform = transforms.Compose([transforms.Resize(resize), transforms.CenterCrop(size), transforms.ToTensor(),
                                    transforms.Normalize(mean=mean, std=std)])
    dataset = datasets.ImageFolder(args.images, transform=transform)
    if args.limit > 0:
        dataset = torch.utils.data.Subset(dataset, range(min(args.limit, len(dataset))))
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch, shuffle=False, num_workers=args.workers)
    predicted = []

    def predict():
        predicted.clear()
        with torch.no_grad():
            for images, _ in loader:
                predicted.extend(model(images).argmax(dim=1).tolist())

    # Warm-up is one batch through the model, not a whole pass over the files (as in graft-bench predict).
    with torch.no_grad():
        for _ in range(args.warmup):
            model(torch.zeros(args.batch, 3, size, size))
    timings = bench_common.seconds(args, predict, warmup=0)
    bench_common.report("predict", args, timings, len(predicted), model=args.model, size=size, images=len(predicted),
                        workers=args.workers)


if __name__ == "__main__":
    main()
