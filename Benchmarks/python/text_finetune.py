#!/usr/bin/python3
"""PyTorch twin of `graft train --model minilm_l6`'s recipe, written the way a Hugging Face user writes it:
transformers' BertModel and fast tokenizer from the all-MiniLM-L6-v2 folder, mean pooling, a new linear head; the
encoder frozen for HEAD_EPOCHS epochs (recomputed every epoch, as a plain training loop does), then the top
UNFREEZE_DEPTH encoder layers unfrozen deepest first (one per phase) as new AdamW groups with discriminative rates
(LR × LAYER_DECAY^depth; no weight decay on biases and LayerNorm weights, as Hugging Face's Trainer and Graft
exempt them), cosine annealing over the epochs, dynamic padding, validation every epoch. `fine_tune` is the recipe
alone, fed any batches (TextTwinParityTests gives it the batches Graft's learner drew).
Prints one JSON line: whole-run wall seconds, per-epoch seconds and the accuracies. Needs assets/python
(scripts/setup) on PYTHONPATH for transformers 4.30."""
import argparse
import csv
import json
import math
import os
import sys
import time

START = time.perf_counter()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "assets", "python"))
from transformers import BertTokenizerFast  # noqa: E402

import bench_common  # noqa: E402
from text_step import FOLDER as MINILM, MeanPooledClassifier  # noqa: E402

def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [row["text"] for row in rows], [row["label"] for row in rows]


def chunks(order, batch):
    return [order[start:start + batch] for start in range(0, len(order), batch)]


def batches(encodings, labels, groups):
    for rows in groups:
        longest = max(len(encodings[i]) for i in rows)
        ids = torch.zeros(len(rows), longest, dtype=torch.long)
        mask = torch.zeros(len(rows), longest, dtype=torch.long)
        for r, i in enumerate(rows):
            ids[r, :len(encodings[i])] = torch.tensor(encodings[i])
            mask[r, :len(encodings[i])] = 1
        yield ids, torch.zeros_like(ids), mask, torch.tensor([labels[i] for i in rows])


def bucketed(order, encodings, batch, chunk_batches, generator):
    """Graft's `LengthBucketing` (for --bucket-batches): the shuffled order cut into chunks of `chunk_batches`
    batches, each chunk sorted by length (longest first, ties in shuffled order), cut into batches whose order is
    shuffled again; the smaller last batch stays last."""
    size = batch * chunk_batches
    ordered = []
    for start in range(0, len(order), size):
        chunk = order[start:start + size]
        ordered += [i for _, i in sorted(enumerate(chunk), key=lambda p: (-len(encodings[p[1]]), p[0]))]
    full = len(ordered) // batch
    batch_order = torch.randperm(full, generator=generator).tolist()
    return [i for b in batch_order for i in ordered[b * batch:(b + 1) * batch]] + ordered[full * batch:]


def accuracy(model, encodings, labels, batch):
    model.eval()
    correct = 0
    with torch.no_grad():
        for ids, types, mask, y in batches(encodings, labels, chunks(list(range(len(labels))), batch)):
            correct += (model(ids, types, mask).argmax(1) == y).sum().item()
    return correct / len(labels)


def parser():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--train", required=True)
    p.add_argument("--val", required=True)
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--head-epochs", type=int, default=2)
    p.add_argument("--unfreeze-depth", type=int, default=2)
    p.add_argument("--strategy", choices=["progressive", "full"], default="progressive")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--head-lr", type=float, default=3e-3)
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--layer-decay", type=float, default=0.5)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--decay-norm-bias", action="store_true", help="weight decay on biases and LayerNorm weights too")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--bucket-batches", type=int, default=0,
                   help="batch texts of similar length together as Graft's TextLoader does (chunks of N batches); "
                        "0: random batches, as a plain loop draws them")
    return p


def read_split(args, tokenizer):
    """(train encodings, train labels, validation encodings, validation labels, classes) of the CSV files."""
    train_texts, train_names = read(args.train)
    val_texts, val_names = read(args.val)
    classes = sorted(set(train_names))
    encode = lambda texts: tokenizer(texts, truncation=True, max_length=args.max_length)["input_ids"]  # noqa: E731
    return (encode(train_texts), [classes.index(n) for n in train_names], encode(val_texts),
            [classes.index(n) for n in val_names], classes)


def param_groups(params, rate, args):
    """AdamW groups of `params` at `rate`: biases and LayerNorm weights (one dimension) without weight decay."""
    decayed = [p for p in params if args.decay_norm_bias or p.dim() > 1]
    exempt = [p for p in params if not (args.decay_norm_bias or p.dim() > 1)]
    return [{"params": group, "lr": rate, "initial_lr": rate, "weight_decay": decay}
            for group, decay in [(decayed, args.weight_decay), (exempt, 0.0)] if group]


def fine_tune(model, data, args, epoch_batches, on_batch=lambda loss: None):
    """The recipe on `data` (read_split's first four), training epoch E on the index groups `epoch_batches(E)`; calls
    `on_batch` with each training batch's loss. Returns (validation accuracies, epoch seconds)."""
    train_encodings, train_labels, val_encodings, val_labels = data
    for parameter in model.bert.parameters():
        parameter.requires_grad = False
    layers = model.bert.encoder.layer
    deepest_first = list(reversed(layers))[:args.unfreeze_depth] if args.strategy == "progressive" \
        else list(reversed(layers)) + [model.bert.embeddings]
    remaining = args.epochs - args.head_epochs
    every = max(1, remaining // max(1, len(deepest_first)))
    unfreeze_at = {args.head_epochs + k * every: k for k in range(len(deepest_first))} if args.strategy == "progressive" \
        else {0: None}
    optimizer = torch.optim.AdamW(param_groups(list(model.classifier.parameters()), args.head_lr, args))
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    criterion = nn.CrossEntropyLoss()
    history, seconds, unfrozen = [], [], []
    for epoch in range(args.epochs):
        clock = time.perf_counter()
        if epoch in unfreeze_at:
            k = unfreeze_at[epoch]
            for depth, module in ([(k, deepest_first[k])] if k is not None else enumerate(deepest_first)):
                unfrozen.append(module)
                params = list(module.parameters())
                for parameter in params:
                    parameter.requires_grad = True
                rate = args.lr * args.layer_decay ** depth
                factor = 0.5 * (1 + math.cos(math.pi * epoch / args.epochs))
                for group in param_groups(params, rate, args):
                    optimizer.add_param_group(dict(group, lr=rate * factor))
                    scheduler.base_lrs.append(rate)
        # Dropout where weights train (the head and the unfrozen layers), inference mode in the frozen part.
        model.train()
        model.bert.eval()
        for module in unfrozen:
            module.train()
        for ids, types, mask, y in batches(train_encodings, train_labels, epoch_batches(epoch)):
            optimizer.zero_grad()
            loss = criterion(model(ids, types, mask), y)
            loss.backward()
            optimizer.step()
            on_batch(loss.item())
        scheduler.step()
        history.append(accuracy(model, val_encodings, val_labels, max(args.batch, 64)))
        seconds.append(time.perf_counter() - clock)
        print("epoch %d val acc %.4f (%.1f s)" % (epoch + 1, history[-1], seconds[-1]), file=sys.stderr, flush=True)
    return history, seconds


def main():
    args = parser().parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    *data, classes = read_split(args, BertTokenizerFast.from_pretrained(MINILM))
    model = MeanPooledClassifier(len(classes))
    generator = torch.Generator().manual_seed(args.seed)

    def epoch_batches(epoch):
        order = torch.randperm(len(data[1]), generator=generator).tolist()
        if args.bucket_batches > 0:
            order = bucketed(order, data[0], args.batch, args.bucket_batches, generator)
        return chunks(order, args.batch)

    history, seconds = fine_tune(model, data, args, epoch_batches)
    wall = time.perf_counter() - START
    print(json.dumps({"case": "text-finetune", "engine": "pytorch", "threads": torch.get_num_threads(), "median_s": wall,
                      "epoch_seconds": seconds, "final_accuracy": history[-1], "best_accuracy": max(history),
                      "accuracies": history, "peak_rss_mib": bench_common.peak_rss_mib()}, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
