import GraftTensor

/// max(x, 0) (`nn.ReLU`).
public final class ReLU: Module {
    /// Whether inference overwrites the input, like `nn.ReLU(inplace=True)`.
    public let inPlace: Bool

    /// A ReLU that returns a new tensor and leaves its input alone. With `inPlace`, it overwrites its input while no
    /// gradient is recorded, saving a pass over memory; set it only where the input is always an intermediate the
    /// enclosing network produced itself (e.g. a batch-norm output), never where it may be a caller's tensor.
    public init(inPlace: Bool = false) {
        self.inPlace = inPlace
        super.init()
    }

    /// max(x, 0); with gradients on always a new tensor, so autograd keeps what backward needs.
    public override func forward(_ input: Tensor) throws -> Tensor {
        guard inPlace else { return try input.relu() }
        return try input.overwrittenDuringInference({ try $0.clampMin_(0) }, otherwise: { try $0.relu() })
    }

    public override var extraDescription: String { inPlace ? "inplace=True" : "" }
}

/// min(max(x, 0), 6) (`nn.ReLU6`).
public final class ReLU6: Module {
    /// Whether inference overwrites the input, like `nn.ReLU6(inplace=True)`.
    public let inPlace: Bool

    /// A ReLU6 that returns a new tensor and leaves its input alone; `inPlace` as for `ReLU`: only where the input is
    /// always an intermediate the enclosing network produced itself.
    public init(inPlace: Bool = false) {
        self.inPlace = inPlace
        super.init()
    }

    /// min(max(x, 0), 6); with gradients on always a new tensor.
    public override func forward(_ input: Tensor) throws -> Tensor {
        guard inPlace else { return try input.relu6() }
        return try input.overwrittenDuringInference({ try $0.clamp_(0, 6) }, otherwise: { try $0.relu6() })
    }

    public override var extraDescription: String { inPlace ? "inplace=True" : "" }
}

/// x · min(max(x + 3, 0), 6) / 6 (`nn.Hardswish`).
public final class Hardswish: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.hardswish() }
}

/// min(max(x + 3, 0), 6) / 6 (`nn.Hardsigmoid`).
public final class Hardsigmoid: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.hardsigmoid() }
}

/// x · sigmoid(x) (`nn.SiLU`, also called swish).
public final class SiLU: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.silu() }
}

/// 1 / (1 + e^-x) (`nn.Sigmoid`).
public final class Sigmoid: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.sigmoid() }
}

/// Passes its input through (`nn.Identity`).
public final class Identity: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { input }
}

/// Merges all dimensions after the batch dimension (`nn.Flatten`).
public final class Flatten: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.flatten(start: 1) }
    public override var extraDescription: String { "start_dim=1, end_dim=-1" }
}

/// Zeroes elements with probability `p` during training (`nn.Dropout`).
public final class Dropout: Module {
    public let p: Double

    /// A dropout layer; `p` must be in [0, 1).
    public init(p: Double = 0.5) throws {
        guard (0..<1).contains(p) else { throw NNError.invalidConfiguration("Dropout: p must be in [0, 1), got \(p)") }
        self.p = p
        super.init()
    }

    public override func forward(_ input: Tensor) throws -> Tensor { try input.dropout(p: p, training: isTraining) }
    public override var extraDescription: String { "p=\(pythonRepr(p)), inplace=False" }
}

/// 2-D max pooling (`nn.MaxPool2d`).
public final class MaxPool2d: Module {
    public let kernelSize: Int, stride: Int, padding: Int

    /// A pooling window of `kernelSize` moved by `stride`.
    public init(kernelSize: Int, stride: Int, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        super.init()
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.maxPool2d(kernel: (kernelSize, kernelSize), stride: (stride, stride), padding: (padding, padding))
    }

    public override var extraDescription: String {
        "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), dilation=1, ceil_mode=False"
    }
}

/// Average pooling to a fixed output size (`nn.AdaptiveAvgPool2d`).
public final class AdaptiveAvgPool2d: Module {
    public let outputSize: (Int, Int)

    /// Pools every input to `outputSize`.
    public init(_ outputSize: (Int, Int) = (1, 1)) {
        self.outputSize = outputSize
        super.init()
    }

    public override func forward(_ input: Tensor) throws -> Tensor { try input.adaptiveAvgPool2d(outputSize) }
    public override var extraDescription: String { "output_size=\(pair(outputSize))" }
}

/// Runs its children in order (`nn.Sequential`); children are named "0", "1", … unless given names (as
/// `nn.Sequential(OrderedDict(…))` names them).
public final class Sequential: Module {
    /// The layers, in order.
    public private(set) var layers: [Module]
    /// The children's names, one per layer.
    public let names: [String]
    private let displayName: String

    /// A chain of `layers` named "0", "1", …; `typeName` names it in printouts (torchvision's `Conv2dNormActivation`
    /// is a Sequential).
    public init(_ layers: [Module], typeName: String = "Sequential") {
        self.layers = layers
        names = layers.indices.map(String.init)
        self.displayName = typeName
        super.init()
    }

    /// A chain of `layers` with their child names, in order (e.g. torchvision RegNet's `a`, `b`, `se`, `c`).
    public init(named layers: [(String, Module)], typeName: String = "Sequential") {
        self.layers = layers.map(\.1)
        names = layers.map(\.0)
        self.displayName = typeName
        super.init()
    }

    public override var typeName: String { displayName }

    /// Replaces the layer at `index` (e.g. a classifier head).
    public func replace(at index: Int, with module: Module) throws {
        guard layers.indices.contains(index) else {
            throw NNError.invalidConfiguration("Sequential has no layer \(index) (it has \(layers.count))")
        }
        layers[index] = module
    }

    public override var namedChildren: [(String, Module)] { Array(zip(names, layers)) }

    /// Runs the layers in order; a `Conv2d` directly followed by a `BatchNorm2d` runs as
    /// `Conv2d.forward(_:normalizedBy:)`, which folds the norm into the convolution where that is exact.
    public override func forward(_ input: Tensor) throws -> Tensor {
        var x = input
        var index = layers.startIndex
        while index < layers.endIndex {
            if let conv = layers[index] as? Conv2d, index + 1 < layers.endIndex, let norm = layers[index + 1] as? BatchNorm2d {
                x = try conv.forward(x, normalizedBy: norm)
                index += 2
            } else {
                x = try layers[index](x)
                index += 1
            }
        }
        return x
    }
}

/// 2-D average pooling over windows with no padding (`nn.AvgPool2d(kernel_size, stride)`).
public final class AvgPool2d: Module {
    public let kernelSize: Int, stride: Int

    /// A pooling window of `kernelSize` moved by `stride`.
    public init(kernelSize: Int, stride: Int) {
        self.kernelSize = kernelSize
        self.stride = stride
        super.init()
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.avgPool2d(kernel: (kernelSize, kernelSize), stride: (stride, stride))
    }

    public override var extraDescription: String { "kernel_size=\(kernelSize), stride=\(stride), padding=0" }
}

/// x · Φ(x) with the exact (erf) Gaussian CDF (`nn.GELU()`, approximate="none").
public final class GELU: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.gelu() }
    public override var extraDescription: String { "approximate='none'" }
}

/// Reorders dimensions (torchvision's `ops.misc.Permute`), e.g. [0, 2, 3, 1] for NCHW → NHWC.
public final class Permute: Module {
    /// The source dimension of each output dimension.
    public let dims: [Int]

    /// A permutation by `dims`.
    public init(_ dims: [Int]) {
        self.dims = dims
        super.init()
    }

    public override func forward(_ input: Tensor) throws -> Tensor { try input.permute(dims) }
}
