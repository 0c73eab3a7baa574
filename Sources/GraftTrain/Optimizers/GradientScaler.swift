import GraftTensor

/// Dynamic loss scaling for float16 training, with PyTorch's `GradScaler` semantics and defaults: the loss is
/// multiplied by `scale` before the backward pass so small float16 gradients do not underflow; before each optimizer
/// step the gradients are divided by it again, and a step whose gradients hold an Inf or NaN is skipped and the
/// scale multiplied by `backoffFactor`; after `growthInterval` steps in a row without one, it is multiplied by
/// `growthFactor`. Scales stay powers of two with the defaults, so scaling and unscaling are exact.
public final class GradientScaler {
    /// The factor the loss is multiplied by now.
    public private(set) var scale: Double
    /// The factor the scale grows by after `growthInterval` good steps.
    public let growthFactor: Double
    /// The factor the scale shrinks by after a step with overflowed gradients.
    public let backoffFactor: Double
    /// Good steps in a row before the scale grows.
    public let growthInterval: Int
    /// Good steps since the scale last changed.
    public private(set) var growthTracker = 0
    /// Optimizer steps skipped because their gradients overflowed.
    public private(set) var skippedSteps = 0

    /// A scaler with PyTorch's defaults (`init_scale=2**16, growth_factor=2.0, backoff_factor=0.5,
    /// growth_interval=2000`).
    public init() {
        (scale, growthFactor, backoffFactor, growthInterval) = (65_536, 2, 0.5, 2000)
    }

    /// A scaler starting at `initialScale` (> 0), growing by `growthFactor` (> 1) after `growthInterval` (≥ 1) good
    /// steps and backing off by `backoffFactor` (in (0, 1)) after an overflow.
    public init(initialScale: Double, growthFactor: Double = 2, backoffFactor: Double = 0.5, growthInterval: Int = 2000) throws {
        guard initialScale > 0, initialScale.isFinite else {
            throw TrainingError.invalidConfiguration("the initial loss scale must be a positive finite number (got \(initialScale))")
        }
        guard growthFactor > 1, growthFactor.isFinite else {
            throw TrainingError.invalidConfiguration("the loss scale's growth factor must be above 1 (got \(growthFactor))")
        }
        guard backoffFactor > 0, backoffFactor < 1 else {
            throw TrainingError.invalidConfiguration("the loss scale's backoff factor must be in (0, 1) (got \(backoffFactor))")
        }
        guard growthInterval >= 1 else {
            throw TrainingError.invalidConfiguration("the loss scale's growth interval must be at least 1 (got \(growthInterval))")
        }
        scale = initialScale
        self.growthFactor = growthFactor
        self.backoffFactor = backoffFactor
        self.growthInterval = growthInterval
    }

    /// What a checkpoint keeps of a scaler so a resumed run continues with the same scale (PyTorch's
    /// `GradScaler.state_dict()`).
    public struct State: Codable, Sendable, Equatable {
        /// The scale.
        public var scale: Double
        /// Good steps since the scale last changed.
        public var growthTracker: Int
        /// Steps skipped so far.
        public var skippedSteps: Int

        /// A state from its values.
        public init(scale: Double, growthTracker: Int, skippedSteps: Int) {
            (self.scale, self.growthTracker, self.skippedSteps) = (scale, growthTracker, skippedSteps)
        }
    }

    /// The scale and counters, to save or to restore.
    public var state: State {
        get { State(scale: scale, growthTracker: growthTracker, skippedSteps: skippedSteps) }
        set { (scale, growthTracker, skippedSteps) = (newValue.scale, newValue.growthTracker, newValue.skippedSteps) }
    }

    /// `loss` times the current scale, to call `backward()` on.
    public func scaled(_ loss: Tensor) throws -> Tensor { try loss * scale }

    /// Divides `gradients` in place by the scale (multiplying by its float32 reciprocal, as PyTorch does), then updates
    /// the scale for the next step; returns whether every gradient was finite, i.e. whether the optimizer may step.
    public func unscaleAndUpdate(_ gradients: [Tensor]) throws -> Bool {
        let finite = try withNoGrad {
            let inverse = Double(Float(1 / scale))
            var finite = true
            for gradient in gradients {
                if finite { finite = try gradient.isFinite() }
                try gradient.mul_(inverse)
            }
            return finite
        }
        update(foundNonFinite: !finite)
        return finite
    }

    /// PyTorch's `_amp_update_scale_`: back off and restart counting after an overflow; grow after `growthInterval`
    /// good steps in a row (unless growing would overflow the scale itself).
    func update(foundNonFinite: Bool) {
        if foundNonFinite {
            scale *= backoffFactor
            growthTracker = 0
            skippedSteps += 1
            return
        }
        growthTracker += 1
        if growthTracker == growthInterval {
            let grown = scale * growthFactor
            if Float(grown).isFinite { scale = grown }
            growthTracker = 0
        }
    }
}
