#!/usr/bin/python3
"""Data-pipeline benchmark helpers (run by scripts/bench-data).

  bench_data.py generate DIR [COUNT]   writes COUNT (default 512) 640x480 JPEGs made from the skimage photos
                                       (random crops and rescales, seed 0) as an ImageFolder tree, one class per photo
  bench_data.py torchvision DIR        one epoch of torchvision ImageFolder + DataLoader(num_workers=2, batch 32) with
                                       Resize(256) / RandomCrop(224) / RandomHorizontalFlip / ToTensor / Normalize;
                                       prints "images_per_second N"
"""
import os
import random
import sys
import time

PHOTOS = "/usr/lib/python3/dist-packages/skimage/data"
SOURCES = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png", "horse.png",
           "hubble_deep_field.jpg", "retina.jpg"]


def generate(directory, count):
    from PIL import Image
    rng = random.Random(0)
    photos = []
    for name in SOURCES:
        path = os.path.join(PHOTOS, name)
        if os.path.exists(path):
            photos.append((os.path.splitext(name)[0], Image.open(path).convert("RGB")))
    for index in range(count):
        label, photo = photos[index % len(photos)]
        scale = rng.uniform(1.0, 2.5)
        big = photo.resize((max(640, int(photo.width * scale)), max(480, int(photo.height * scale))), Image.BILINEAR)
        left, top = rng.randint(0, big.width - 640), rng.randint(0, big.height - 480)
        image = big.crop((left, top, left + 640, top + 480))
        if rng.random() < 0.5:
            image = image.transpose(Image.FLIP_LEFT_RIGHT)
        os.makedirs(os.path.join(directory, label), exist_ok=True)
        image.save(os.path.join(directory, label, "%04d.jpg" % index), quality=rng.randint(80, 95))


def torchvision_epoch(directory):
    import torch
    from torchvision import datasets, transforms
    transform = transforms.Compose([
        transforms.Resize(256), transforms.RandomCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
    dataset = datasets.ImageFolder(directory, transform=transform)
    loader = torch.utils.data.DataLoader(dataset, batch_size=32, shuffle=True, num_workers=2,
                                         generator=torch.Generator().manual_seed(0))
    start = time.perf_counter()
    seen = 0
    for images, labels in loader:
        assert images.shape[1:] == (3, 224, 224)
        seen += images.shape[0]
    elapsed = time.perf_counter() - start
    print("images %d seconds %.3f images_per_second %.1f" % (seen, elapsed, seen / elapsed))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 512)
    elif len(sys.argv) == 3 and sys.argv[1] == "torchvision":
        torchvision_epoch(sys.argv[2])
    else:
        sys.exit(__doc__)
