#!/usr/bin/python3
"""Diagnostic for issue 13's accuracy comparison: text_finetune.py's recipe (its defaults as `scripts/bench
text-finetune` runs them: 4 epochs, 2 head epochs, the top layer unfrozen) computed the way Graft computes it — the
frozen part run once per text in eval mode and cached (the final embeddings for the head epochs, layer 5's input for
the later ones), then the head and layer 5 trained on the cache with transformers' BertLayer. Same math as the twin,
other random streams. Prints per seed and epoch (train loss, validation loss, validation accuracy) and the means.
Usage: text_cached_twin.py DATA_FOLDER SEED... (DATA_FOLDER holds train.csv and val.csv, as text_data.py writes).
Needs assets/python (scripts/setup) for transformers."""
import copy
import math
import os
import statistics
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "assets", "python"))
from transformers import BertTokenizerFast  # noqa: E402

from text_finetune import read  # noqa: E402
from text_step import FOLDER, MeanPooledClassifier  # noqa: E402

torch.set_num_threads(1)
D = sys.argv[1].rstrip("/") + "/"
cache = D + "layer5-inputs.pt"
if not os.path.exists(cache):
    tok = BertTokenizerFast.from_pretrained(FOLDER)
    m = MeanPooledClassifier(2).eval()
    out = {}
    for split in ["train", "val"]:
        texts, names = read(D + split + ".csv")
        ids = tok(texts, truncation=True, max_length=128)["input_ids"]
        hs = []
        with torch.no_grad():
            for i in ids:
                t = torch.tensor([i])
                h = m.bert(input_ids=t, token_type_ids=torch.zeros_like(t), attention_mask=torch.ones_like(t), output_hidden_states=True).hidden_states
                hs.append((h[5][0].clone(), h[6][0].clone()))  # input to layer 5, final output
        out[split] = hs; out[split + "_names"] = names
    torch.save(out, cache)
d = torch.load(cache)
model = MeanPooledClassifier(2)
base_layer = model.bert.encoder.layer[5]
ext = lambda mask: (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float32).min
classes = sorted(set(d["train_names"]))
ytr = torch.tensor([classes.index(n) for n in d["train_names"]]); yva = torch.tensor([classes.index(n) for n in d["val_names"]])
def pad(rows, which):
    L = max(r[which].shape[0] for r in rows)
    h = torch.zeros(len(rows), L, 384); m = torch.zeros(len(rows), L)
    for k, r in enumerate(rows):
        n = r[which].shape[0]; h[k, :n] = r[which]; m[k, :n] = 1
    return h, m
def pooled(h, m):
    w = m.unsqueeze(-1); return (h * w).sum(1) / w.sum(1).clamp(min=1e-9)
def run(seed):
    torch.manual_seed(seed)
    head = torch.nn.Linear(384, 2); drop = torch.nn.Dropout(0.1)
    layer = copy.deepcopy(base_layer)
    for p in layer.parameters(): p.requires_grad = False
    opt = torch.optim.AdamW(head.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    g = torch.Generator().manual_seed(seed); res = []
    for ep in range(4):
        if ep == 2:
            for p in layer.parameters(): p.requires_grad = True
            rate = 3e-4; factor = 0.5 * (1 + math.cos(math.pi * ep / 4))
            opt.add_param_group({"params": list(layer.parameters()), "lr": rate * factor, "initial_lr": rate, "weight_decay": 1e-4})
            sched.base_lrs.append(rate)
        layer.train(ep >= 2); drop.train()
        order = torch.randperm(2000, generator=g).tolist(); tl = 0
        for s in range(0, 2000, 32):
            rows = [d["train"][i] for i in order[s:s + 32]]
            if ep < 2:
                h, m = pad(rows, 1); feats = pooled(h, m)
            else:
                h, m = pad(rows, 0); feats = pooled(layer(h, attention_mask=ext(m))[0], m)
            opt.zero_grad(); loss = torch.nn.functional.cross_entropy(head(drop(feats)), ytr[order[s:s + 32]]); loss.backward(); opt.step()
            tl += loss.item() * len(rows)
        sched.step()
        layer.eval(); drop.eval(); correct = 0; vl = 0
        with torch.no_grad():
            for s in range(0, 500, 64):
                rows = d["val"][s:s + 64]
                h, m = pad(rows, 0); feats = pooled(layer(h, attention_mask=ext(m))[0], m)
                lg = head(feats); vl += torch.nn.functional.cross_entropy(lg, yva[s:s + 64], reduction="sum").item(); correct += (lg.argmax(1) == yva[s:s + 64]).sum().item()
        res.append((tl / 2000, vl / 500, correct / 500))
    return res
seeds = [int(a) for a in sys.argv[2:]] or list(range(42, 50))
rs = []
for s in seeds:
    r = run(s); rs.append(r); print(s, [(round(a, 4), round(b, 4), c) for a, b, c in r], flush=True)
for ep in range(4):
    print("epoch %d: train loss %.4f val loss %.4f val acc %.4f" % (ep + 1, *[statistics.mean(r[ep][k] for r in rs) for k in range(3)]))
