#!/usr/bin/python3
"""Twin of `graft-bench parity`: PyTorch's own CUDA-vs-CPU differences on the same kind of model and batch (eval
logits; every parameter's gradient of one train-mode backward with batch norms on batch statistics and dropout off),
so that graft-bench parity's errors can be read against what PyTorch itself shows on the same machine (cuDNN computes
float32 convolutions in TF32 by default, for instance). Random weights of the same seed, not Graft's. Exits 1 when a
comparison exceeds its tolerance (1e-4 in fp32, 3e-2 in bf16, as graft-bench's) or fails."""
import argparse
import copy
import json
import sys

import torch
import torch.nn as nn

import models

TOLERANCE = {"fp32": 1e-4, "bf16": 3e-2}
DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


def relative_error(actual, expected):
    """max |actual - expected| / max |expected| in float32 on the CPU."""
    actual, expected = actual.float().cpu(), expected.float().cpu()
    scale = expected.abs().max().item()
    return (actual - expected).abs().max().item() / (scale if scale > 0 else 1)


def autocast(precision, device):
    """torch.autocast on the device's type in the precision's dtype; disabled for fp32."""
    return torch.autocast(device_type=device.type, dtype=DTYPES.get(precision, torch.bfloat16), enabled=precision != "fp32")


def outputs(model, images, labels, precision, device):
    """(eval logits, {parameter: gradient}) of a copy of `model` on `device`."""
    model = copy.deepcopy(model).to(device)
    images, labels = images.to(device), labels.to(device)
    model.eval()
    with torch.no_grad(), autocast(precision, device):
        logits = model(images).float().cpu()
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.train()
    with autocast(precision, device):
        loss = nn.functional.cross_entropy(model(images), labels)
    loss.backward()
    return logits, {name: p.grad.cpu() for name, p in model.named_parameters() if p.grad is not None}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", nargs="+", default=["resnet18", "efficientnet_lite0"])
    p.add_argument("--precision", nargs="+", choices=["fp32", "bf16"], default=["fp32", "bf16"])
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--device", default="cuda:0")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tf32", action="store_true", help="let float32 CUDA convolutions and products use TensorFloat-32")
    args = p.parse_args()
    torch.backends.cudnn.allow_tf32 = args.tf32
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    device = torch.device(args.device)
    all_passed = True
    for name in args.model:
        torch.manual_seed(args.seed)
        model = models.make(name)
        images = torch.randn(args.batch, 3, args.size, args.size)
        labels = torch.randint(0, 1000, (args.batch,))
        for precision in args.precision:
            tolerance = TOLERANCE[precision]
            line = {"case": "parity", "engine": "pytorch", "model": name, "precision": precision, "device": str(device),
                    "size": args.size, "batch": args.batch, "tolerance": tolerance}
            try:
                cpu_logits, cpu_gradients = outputs(model, images, labels, precision, torch.device("cpu"))
                device_logits, device_gradients = outputs(model, images, labels, precision, device)
                errors = {k: relative_error(device_gradients[k], g) for k, g in sorted(cpu_gradients.items())}
                worst = max(errors, key=lambda k: errors[k])
                logits_error = relative_error(device_logits, cpu_logits)
                line.update(logits_rel_error=logits_error, gradient_rel_error=errors[worst], worst_gradient=worst,
                            gradients=len(errors), **{"pass": logits_error <= tolerance and errors[worst] <= tolerance})
            except RuntimeError as error:  # reported; the other comparisons still run
                line.update(error=str(error).splitlines()[0], **{"pass": False})
            all_passed = all_passed and line["pass"]
            print(json.dumps(line, sort_keys=True), flush=True)
    sys.exit(0 if all_passed else 1)


if __name__ == "__main__":
    main()
