"""The models of the benchmark as a PyTorch user builds them: torchvision, and lukemelas-style EfficientNet-Lite0."""
import os
import sys

import torch

# $GRAFT_ASSETS first, as Graft looks for its assets (the GPU check carries them in gpu-payload/assets).
ASSETS = os.path.join(os.environ.get("GRAFT_ASSETS") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets"),
                      "efficientnet-lite-pytorch")


def make(name):
    """A randomly initialised 1000-class model by graft-bench's registry name."""
    if name == "efficientnet_lite0":
        if ASSETS not in sys.path:
            sys.path.insert(0, ASSETS)
        from efficientnet_lite_pytorch import EfficientNet  # fetched by scripts/setup
        return EfficientNet.from_name("efficientnet-lite0")
    import torchvision  # here, so EfficientNet-Lite0 needs no torchvision
    return getattr(torchvision.models, name)()


def eval_statistics(name):
    """(input size, resize size, mean, std) each model's pretrained weights expect, as in Graft's pretrained configs."""
    if name == "efficientnet_lite0":
        return 224, 256, [127 / 255] * 3, [128 / 255] * 3
    return 224, 256, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def add_arguments(parser, default_model):
    """--model, --size and --memory-format, the options of the cases that run one model on a random batch."""
    parser.add_argument("--model", default=default_model)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--memory-format", choices=["nchw", "channels-last"], default="nchw",
                        help="channels-last converts model and batch as in PyTorch's channels-last tutorial")


def apply_memory_format(args, model, images):
    """(model, images, channels_last) with both converted when --memory-format is channels-last."""
    if args.memory_format != "channels-last":
        return model, images, False
    return model.to(memory_format=torch.channels_last), images.contiguous(memory_format=torch.channels_last), True
