import GraftNN
import GraftTensor

/// An exponential moving average of a model's weights, as timm's `ModelEmaV2`: after every optimizer step each
/// floating-point state-dict entry (parameters and BatchNorm statistics) becomes decay·average + (1 − decay)·value,
/// and the other entries (`num_batches_tracked`) are copied, as `ModelEmaV3` does (V2 would truncate their average). There is no warm-up: the average starts as the model's
/// weights when it is created. The update is computed as average + (1 − decay)·(value − average) (timm's
/// `ModelEmaV3` form, `lerp_`), equal in exact arithmetic and bit-identical for entries that did not change — so a
/// frozen stage's average is exactly its weights, and activations cached from the raw frozen stages stay valid.
public final class WeightAverage {
    /// The weight each update keeps of the old average (0 < decay < 1).
    public let decay: Double
    /// The averaged state dict, in the model's state-dict order and on its device.
    public private(set) var entries: [(String, Tensor)]

    /// An average of `model`'s state dict starting at its current weights.
    public init(model: Module, decay: Double) throws {
        guard decay > 0 && decay < 1 else {
            throw TrainingError.invalidSetting("ema", "ema must be in (0, 1), typically 0.999 (got \(decay))")
        }
        self.decay = decay
        entries = try model.stateDict().map { ($0.0, try $0.1.detached().clone()) }
    }

    /// Moves the average towards `model`'s current state dict (call after every optimizer step).
    public func update(from model: Module) throws {
        let current = try matching(model.stateDict(), "the model")
        try withNoGrad {
            for ((_, average), (_, value)) in zip(entries, current) {
                if average.dtype.isFloatingPoint {
                    try average.add_(value - average, alpha: 1 - decay)
                } else {
                    try average.copy_(from: value)
                }
            }
        }
    }

    /// Replaces the average with `saved` (a checkpoint's), which must have the same names and shapes.
    public func load(_ saved: [(String, Tensor)]) throws {
        let ordered = try matching(saved, "the checkpoint's averaged weights")
        try withNoGrad {
            for ((_, average), (_, value)) in zip(entries, ordered) { try average.copy_(from: value) }
        }
    }

    /// Runs `body` with the averaged weights copied into `model`, then puts its own weights back (also on error).
    public func whileLoaded<Result>(into model: Module, _ body: () throws -> Result) throws -> Result {
        let own = try matching(model.stateDict(), "the model")
        let kept = try own.map { try $0.1.detached().clone() }
        func copy(_ sources: [Tensor]) throws {
            try withNoGrad { for ((_, target), source) in zip(own, sources) { try target.copy_(from: source) } }
        }
        try copy(entries.map(\.1))
        let result: Result
        do {
            result = try body()
        } catch {
            try? copy(kept)
            throw error
        }
        try copy(kept)
        return result
    }

    /// `other` in this average's order, after checking that it has exactly the same names and shapes.
    private func matching(_ other: [(String, Tensor)], _ what: String) throws -> [(String, Tensor)] {
        let byName = Dictionary(other, uniquingKeysWith: { first, _ in first })
        guard other.count == entries.count else {
            throw TrainingError.invalidConfiguration("\(what) has \(other.count) state-dict entries, the weight average \(entries.count)")
        }
        return try entries.map { name, average in
            guard let value = byName[name] else { throw TrainingError.invalidConfiguration("\(what) has no entry '\(name)' of the weight average") }
            guard value.shape == average.shape else {
                throw TrainingError.invalidConfiguration("\(what)'s '\(name)' has shape \(value.shape), the weight average's \(average.shape)")
            }
            return (name, value)
        }
    }
}
