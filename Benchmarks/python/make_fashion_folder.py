#!/usr/bin/python3
"""Writes a balanced Fashion-MNIST subset as an ImageFolder of PNG files (what a user brings): OUT/train/<class>/*.png
with PER_CLASS_TRAIN images per class from the training set and OUT/val/<class>/*.png with PER_CLASS_VAL per class
from the test set, both taken in file order. Usage: make_fashion_folder.py OUT [PER_CLASS_TRAIN] [PER_CLASS_VAL]"""
import gzip
import os
import sys

from PIL import Image

SOURCE = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle_boot"]


def read(part):
    with gzip.open(os.path.join(SOURCE, part + "-images-idx3-ubyte.gz")) as f:
        images = f.read()[16:]
    with gzip.open(os.path.join(SOURCE, part + "-labels-idx1-ubyte.gz")) as f:
        labels = f.read()[8:]
    return images, labels


def export(part, folder, per_class):
    images, labels = read(part)
    taken = [0] * len(CLASSES)
    for index, label in enumerate(labels):
        if taken[label] >= per_class:
            continue
        directory = os.path.join(folder, CLASSES[label])
        os.makedirs(directory, exist_ok=True)
        Image.frombytes("L", (28, 28), images[index * 784:(index + 1) * 784]).save(os.path.join(directory, "%05d.png" % index))
        taken[label] += 1
        if min(taken) >= per_class:
            break


def main():
    out = sys.argv[1]
    per_train = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    per_val = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    marker = os.path.join(out, "done-%d-%d" % (per_train, per_val))
    if os.path.exists(marker):
        return
    export("train", os.path.join(out, "train"), per_train)
    export("t10k", os.path.join(out, "val"), per_val)
    open(marker, "w").close()


if __name__ == "__main__":
    main()
