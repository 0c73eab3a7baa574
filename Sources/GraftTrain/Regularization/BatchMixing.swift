import GraftData
import GraftTensor

/// Mixup and CutMix as timm's `Mixup` does them in 'batch' mode (one λ per batch, `mix_prob` 1, `correct_lam` on):
/// each batch is blended with (mixup) or has a box pasted from (CutMix) the same batch in reverse order, and its
/// targets become the matching blend of label-smoothed one-hot vectors. With both on, CutMix is chosen with
/// probability `switchProbability`.
public struct BatchMixing: Sendable {
    /// One batch's draw.
    public enum Draw: Sendable, Equatable {
        /// images·λ + reversed·(1 − λ).
        case mixup(lambda: Double)
        /// The reversed batch's pixels inside the box; λ is the box's corrected lambda.
        case cutmix(CutMixBox)

        /// The weight of each sample's own label in its target.
        public var lambda: Double {
            switch self {
            case .mixup(let lambda): return lambda
            case .cutmix(let box): return box.correctedLambda
            }
        }
    }

    /// Mixup's Beta(α, α) parameter; 0 = off.
    public let mixupAlpha: Double
    /// CutMix's Beta(α, α) parameter; 0 = off.
    public let cutmixAlpha: Double
    /// With both on, the probability that a batch uses CutMix (timm's `switch_prob`).
    public let switchProbability: Double
    /// Label smoothing folded into the one-hot targets (timm's `label_smoothing`).
    public let labelSmoothing: Double
    private let mixupLambdas: BetaDistribution?, cutmixLambdas: BetaDistribution?

    /// Mixing with these alphas (at least one positive), switch probability and label smoothing.
    public init(mixupAlpha: Double, cutmixAlpha: Double, switchProbability: Double = 0.5, labelSmoothing: Double = 0) throws {
        for (name, alpha) in [("mixup", mixupAlpha), ("cutmix", cutmixAlpha)] where !(alpha >= 0 && alpha.isFinite) {
            throw TrainingError.invalidSetting(name, "\(name) must be ≥ 0 (0 = off) (got \(alpha))")
        }
        guard mixupAlpha > 0 || cutmixAlpha > 0 else {
            throw TrainingError.invalidSetting("mixup", "mixup or cutmix must be positive to mix batches (both are 0)")
        }
        guard (0...1).contains(switchProbability) else {
            throw TrainingError.invalidConfiguration("the mixup/CutMix switch probability must be in [0, 1] (got \(switchProbability))")
        }
        guard (0..<1).contains(labelSmoothing) else {
            throw TrainingError.invalidSetting("labelSmoothing", "labelSmoothing must be in [0, 1) (got \(labelSmoothing))")
        }
        self.mixupAlpha = mixupAlpha
        self.cutmixAlpha = cutmixAlpha
        self.switchProbability = switchProbability
        self.labelSmoothing = labelSmoothing
        mixupLambdas = mixupAlpha > 0 ? try BetaDistribution(alpha: mixupAlpha, beta: mixupAlpha) : nil
        cutmixLambdas = cutmixAlpha > 0 ? try BetaDistribution(alpha: cutmixAlpha, beta: cutmixAlpha) : nil
    }

    /// The next batch's draw for images of `imageHeight` × `imageWidth`, in timm's order: the switch, λ ~ Beta(α, α),
    /// then (CutMix) the box centre's row and column.
    public func draw(imageHeight: Int, imageWidth: Int, using generator: inout SeededRandom) -> Draw {
        // The init guarantees at least one of the two distributions.
        guard let cutmixLambdas else { return .mixup(lambda: mixupLambdas?.sample(using: &generator) ?? 1) }
        if let mixupLambdas, generator.nextUnit() >= switchProbability { return .mixup(lambda: mixupLambdas.sample(using: &generator)) }
        let lambda = cutmixLambdas.sample(using: &generator)
        let centerY = generator.nextInt(below: imageHeight), centerX = generator.nextInt(below: imageWidth)
        return .cutmix(CutMixBox(imageHeight: imageHeight, imageWidth: imageWidth, lambda: lambda, centerY: centerY, centerX: centerX))
    }

    /// `images` [N, C, H, W] mixed as `draw` says with the batch in reverse order (a new tensor).
    public func mixImages(_ images: Tensor, _ draw: Draw) throws -> Tensor {
        let reversed = try Self.reversed(images)
        switch draw {
        case .mixup(let lambda):
            return try images * lambda + reversed * (1 - lambda)
        case .cutmix(let box):
            let mixed = try images.clone()
            func region(_ tensor: Tensor) throws -> Tensor {
                try tensor.slice(dim: 2, start: box.top, end: box.bottom).slice(dim: 3, start: box.left, end: box.right)
            }
            try withNoGrad { try region(mixed).copy_(from: region(reversed)) }
            return mixed
        }
    }

    /// timm's `mixup_target`: label-smoothed one-hot targets [N, classCount] (off = smoothing / classes,
    /// on = 1 − smoothing + off) blended λ : 1 − λ with those of the reversed batch.
    public func targets(labels: Tensor, classCount: Int, lambda: Double) throws -> Tensor {
        let off = labelSmoothing / Double(classCount), on = 1 - labelSmoothing + off
        let classes = try Tensor.arange(0, Double(classCount), dtype: .int64, device: labels.device).unsqueeze(dim: 0)
        let shape = [labels.shape.first ?? 0, classCount]
        let onValues = try Tensor.full(shape, value: on, device: labels.device), offValues = try Tensor.full(shape, value: off, device: labels.device)
        func oneHot(_ labels: Tensor) throws -> Tensor {
            try Tensor.where(labels.unsqueeze(dim: 1).eq(classes), onValues, offValues)
        }
        return try oneHot(labels) * lambda + oneHot(Self.reversed(labels)) * (1 - lambda)
    }

    /// `batch` with mixed images and soft targets; its labels stay the originals (the training metrics count them).
    public func mix(_ batch: LearnerBatch, _ draw: Draw, classCount: Int) throws -> LearnerBatch {
        guard batch.stagesApplied == 0 else {
            throw TrainingError.invalidConfiguration("mixup/CutMix mixes images, but this batch holds the outputs of \(batch.stagesApplied) cached stages")
        }
        return LearnerBatch(inputs: try mixImages(batch.inputs, draw), labels: batch.labels, stagesApplied: 0,
                            softTargets: try targets(labels: batch.labels, classCount: classCount, lambda: draw.lambda))
    }

    /// The batch in reverse order along dimension 0 (`x.flip(0)`).
    static func reversed(_ tensor: Tensor) throws -> Tensor {
        let count = tensor.shape.first ?? 0
        let index = try Tensor((0..<count).reversed().map { Int64($0) }).to(device: tensor.device)
        return try tensor.indexSelect(dim: 0, index: index)
    }
}
