import GraftTensor

/// Batch normalisation over channels (`nn.BatchNorm2d`) with running statistics.
///
/// When its parameters are frozen (no gradients) it normalises with the running statistics even in training
/// mode and leaves them untouched, so fine-tuning never drifts a frozen backbone; set
/// `followsFreezing = false` for PyTorch's behaviour, which keeps updating them.
public final class BatchNorm2d: Module {
    public let features: Int
    public let eps: Double, momentum: Double
    public let weight: Tensor, bias: Tensor
    public let runningMean: Tensor, runningVar: Tensor, numBatchesTracked: Tensor
    /// Whether frozen parameters also freeze the running statistics (see the type's documentation).
    public var followsFreezing = true
    /// Whether a preceding convolution may absorb this norm when it normalises with running statistics and no gradient
    /// flows (`Conv2d.forward(_:normalizedBy:)`); off, it always runs as its own pass (for comparisons).
    public var foldsIntoConvolution = true

    /// A batch norm with PyTorch's defaults (weight 1, bias 0, running mean 0 and variance 1).
    public init(_ features: Int, eps: Double = 1e-5, momentum: Double = 0.1) throws {
        self.features = features
        self.eps = eps
        self.momentum = momentum
        weight = try Initialization.constant([features], 1)
        bias = try Initialization.constant([features], 0)
        runningMean = try Tensor.zeros([features])
        runningVar = try Tensor.ones([features])
        numBatchesTracked = try Tensor.zeros([], dtype: .int64)
        super.init()
    }

    public override var ownParameters: [(String, Tensor)] { [("weight", weight), ("bias", bias)] }
    public override var ownBuffers: [(String, Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", numBatchesTracked)]
    }

    /// Whether this forward pass uses (and updates) batch statistics.
    public var usesBatchStatistics: Bool { isTraining && !(followsFreezing && !weight.requiresGrad) }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let training = usesBatchStatistics
        if training { try withNoGrad { try numBatchesTracked.add_(1) } }
        return try input.batchNorm(
            weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
            training: training, momentum: momentum, eps: eps)
    }

    public override var extraDescription: String {
        "\(features), eps=\(pythonRepr(eps)), momentum=\(pythonRepr(momentum)), affine=True, track_running_stats=True"
    }
}
