#!/usr/bin/python3
"""Twin of `graft-bench overhead`: ResNet-18's computation from torch.nn.functional ops, forward + backward."""
import math

import torch
import torch.nn.functional as F

import bench_common


class ConvBN:
    def __init__(self, cin, cout, kernel, stride):
        self.weight = (torch.randn(cout, cin, kernel, kernel) * math.sqrt(2.0 / (cin * kernel * kernel))).requires_grad_()
        self.gamma = torch.ones(cout, requires_grad=True)
        self.beta = torch.zeros(cout, requires_grad=True)
        self.running_mean, self.running_var = torch.zeros(cout), torch.ones(cout)
        self.stride, self.padding = stride, kernel // 2

    def __call__(self, x):
        x = F.conv2d(x, self.weight, stride=self.stride, padding=self.padding)
        return F.batch_norm(x, self.running_mean, self.running_var, self.gamma, self.beta, training=True)

    def parameters(self):
        return [self.weight, self.gamma, self.beta]


class Block:
    def __init__(self, cin, cout, stride):
        self.first, self.second = ConvBN(cin, cout, 3, stride), ConvBN(cout, cout, 3, 1)
        self.shortcut = ConvBN(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def __call__(self, x):
        out = self.second(F.relu(self.first(x)))
        return F.relu(out + (self.shortcut(x) if self.shortcut else x))

    def parameters(self):
        return self.first.parameters() + self.second.parameters() + (self.shortcut.parameters() if self.shortcut else [])


class Network:
    def __init__(self, classes=1000):
        self.stem = ConvBN(3, 64, 7, 2)
        self.blocks, channels = [], 64
        for stage, width in enumerate([64, 128, 256, 512]):
            self.blocks += [Block(channels, width, 1 if stage == 0 else 2), Block(width, width, 1)]
            channels = width
        self.fc_weight = (torch.randn(classes, 512) * 0.01).requires_grad_()
        self.fc_bias = torch.zeros(classes, requires_grad=True)

    def parameters(self):
        return self.stem.parameters() + [p for b in self.blocks for p in b.parameters()] + [self.fc_weight, self.fc_bias]

    def __call__(self, x):
        x = F.max_pool2d(F.relu(self.stem(x)), 3, 2, 1)
        for block in self.blocks:
            x = block(x)
        return F.linear(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1), self.fc_weight, self.fc_bias)


def main():
    p = bench_common.parser(__doc__)
    p.add_argument("--size", type=int, default=112)
    args = p.parse_args()
    bench_common.configure(args)
    network = Network()
    images = torch.randn(args.batch, 3, args.size, args.size)
    labels = torch.randint(0, 1000, (args.batch,))

    def forward_backward():
        for parameter in network.parameters():
            parameter.grad = None
        F.cross_entropy(network(images), labels).backward()

    timings = bench_common.seconds(args, forward_backward)
    bench_common.report("overhead", args, timings, args.batch, model="resnet18-ops", size=args.size)


if __name__ == "__main__":
    main()
