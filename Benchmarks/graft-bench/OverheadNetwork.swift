import GraftTensor

/// ResNet-18's computation written directly with `Tensor` operations (no modules), to measure what the Swift layer
/// adds on top of libtorch's kernels. `Benchmarks/python/overhead.py` performs the same operations with
/// `torch.nn.functional`.
struct OverheadNetwork {
    /// A convolution weight with its batch-norm affine parameters and running statistics.
    struct ConvBN {
        let weight: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVar: Tensor
        let stride: Int, padding: Int

        init(_ input: Int, _ output: Int, kernel: Int, stride: Int) throws {
            weight = try (Tensor.randn([output, input, kernel, kernel]) * (2.0 / Double(input * kernel * kernel)).squareRoot())
                .requiresGrad_()
            gamma = try Tensor.ones([output]).requiresGrad_()
            beta = try Tensor.zeros([output]).requiresGrad_()
            runningMean = try Tensor.zeros([output])
            runningVar = try Tensor.ones([output])
            self.stride = stride
            padding = kernel / 2
        }

        func callAsFunction(_ x: Tensor) throws -> Tensor {
            try x.conv2d(weight: weight, stride: (stride, stride), padding: (padding, padding))
                .batchNorm(weight: gamma, bias: beta, runningMean: runningMean, runningVar: runningVar, training: true)
        }

        var parameters: [Tensor] { [weight, gamma, beta] }
    }

    /// Two 3×3 conv-bn layers with an identity or 1×1 projection shortcut.
    struct Block {
        let first: ConvBN, second: ConvBN, shortcut: ConvBN?

        init(_ input: Int, _ output: Int, stride: Int) throws {
            first = try ConvBN(input, output, kernel: 3, stride: stride)
            second = try ConvBN(output, output, kernel: 3, stride: 1)
            shortcut = stride != 1 || input != output ? try ConvBN(input, output, kernel: 1, stride: stride) : nil
        }

        func callAsFunction(_ x: Tensor) throws -> Tensor {
            let out = try second(first(x).relu())
            return try (out + (shortcut.map { try $0(x) } ?? x)).relu()
        }

        var parameters: [Tensor] { first.parameters + second.parameters + (shortcut?.parameters ?? []) }
    }

    let stem: ConvBN
    let blocks: [Block]
    let fcWeight: Tensor, fcBias: Tensor

    /// ResNet-18's layout: 7×7 stem, four stages of two blocks (64, 128, 256, 512 channels), a 1000-way linear layer.
    init(classes: Int = 1000) throws {
        stem = try ConvBN(3, 64, kernel: 7, stride: 2)
        var blocks: [Block] = []
        var channels = 64
        for (stage, width) in [64, 128, 256, 512].enumerated() {
            blocks.append(try Block(channels, width, stride: stage == 0 ? 1 : 2))
            blocks.append(try Block(width, width, stride: 1))
            channels = width
        }
        self.blocks = blocks
        fcWeight = try (Tensor.randn([classes, 512]) * 0.01).requiresGrad_()
        fcBias = try Tensor.zeros([classes]).requiresGrad_()
    }

    /// Every trainable tensor.
    var parameters: [Tensor] { stem.parameters + blocks.flatMap(\.parameters) + [fcWeight, fcBias] }

    /// Logits [N, classes] for images [N, 3, H, W].
    func callAsFunction(_ images: Tensor) throws -> Tensor {
        var x = try stem(images).relu().maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1))
        for block in blocks { x = try block(x) }
        return try x.adaptiveAvgPool2d((1, 1)).flatten(start: 1).linear(weight: fcWeight, bias: fcBias)
    }

    /// Forward, cross-entropy and backward; gradients are dropped first so runs do not accumulate.
    func forwardBackward(_ images: Tensor, _ labels: Tensor) throws {
        for parameter in parameters { try parameter.clearGrad() }
        try self(images).crossEntropy(targets: labels).backward()
    }
}
