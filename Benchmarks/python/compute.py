"""--device and --precision of the model twins, as graft-bench's ComputeOptions: where the model runs and the
precision autocast computes its forward pass in (torch.autocast), with torch's GradScaler for float16 training."""
import contextlib

import torch

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


def add_arguments(parser):
    """--device cpu|cuda|cuda:N and --precision fp32|bf16|fp16."""
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    parser.add_argument("--precision", choices=["fp32", "bf16", "fp16"], default="fp32",
                        help="autocast the forward pass to bf16 or fp16 (fp16 training scales the loss with GradScaler)")


def device(args):
    """The torch.device --device names (torch raises for an unavailable CUDA device when a tensor is moved there)."""
    return torch.device(args.device)


def autocast(args):
    """A context manager: torch.autocast on the device's type in --precision's dtype, or nothing for fp32."""
    if args.precision == "fp32":
        return contextlib.nullcontext()
    return torch.autocast(device_type=device(args).type, dtype=DTYPES[args.precision])


def grad_scaler(args):
    """torch's GradScaler for fp16 training, else None (torch.amp's on 2.x, torch.cuda.amp's on 1.x)."""
    if args.precision != "fp16":
        return None
    if hasattr(torch, "amp") and hasattr(torch.amp, "GradScaler"):
        return torch.amp.GradScaler(device(args).type)
    return torch.cuda.amp.GradScaler()


def synchronize(args):
    """Waits for the device's queued work (torch.cuda.synchronize), so a timed repetition measures GPU time."""
    if device(args).type == "cuda":
        torch.cuda.synchronize(device(args))


def reported(args):
    """The keys a result line carries, as graft-bench prints them (device in PyTorch's cuda:N spelling)."""
    d = device(args)
    name = "cuda:%d" % (d.index or 0) if d.type == "cuda" else d.type
    return {"device": name, "precision": args.precision}
