import GraftTensor

/// What happened when a state dict was loaded into a module.
public struct LoadReport: Sendable, CustomStringConvertible {
    /// Keys the module has but the state dict lacks.
    public var missing: [String] = []
    /// Keys the state dict has but the module lacks.
    public var unexpected: [String] = []
    /// Keys present in both whose shapes differ: (name, module shape, checkpoint shape).
    public var shapeMismatches: [(name: String, expected: [Int], found: [Int])] = []
    /// Number of tensors copied into the module.
    public var loaded = 0

    /// Whether every key matched in name and shape.
    public var isExact: Bool { missing.isEmpty && unexpected.isEmpty && shapeMismatches.isEmpty }

    /// One line per problem.
    public var description: String {
        var lines = ["loaded \(loaded) tensors"]
        lines += missing.map { "missing from the checkpoint: \($0)" }
        lines += unexpected.map { "not in the model: \($0)" }
        lines += shapeMismatches.map { "shape mismatch for \($0.name): model \($0.expected), checkpoint \($0.found)" }
        return lines.joined(separator: "\n")
    }
}

extension Module {
    /// Parameters and buffers with PyTorch's state-dict names and order (each module's own parameters,
    /// then its own buffers, then its children's).
    public func stateDict() -> [(String, Tensor)] {
        namedModules().flatMap { prefix, module in
            (module.ownParameters + module.ownBuffers).map { (Module.join(prefix, $0.0), $0.1) }
        }
    }

    /// Copies matching tensors from `entries` into this module (converting dtype, never changing shapes).
    /// With `strict`, any missing or unexpected key or shape mismatch throws before anything is copied;
    /// otherwise everything that fits is loaded and the rest is reported. A missing
    /// `num_batches_tracked` (checkpoints from before PyTorch 0.4.1) is not a problem, as in PyTorch.
    @discardableResult
    public func load(stateDict entries: [(String, Tensor)], strict: Bool = true) throws -> LoadReport {
        let own = stateDict()
        let incoming = Dictionary(entries, uniquingKeysWith: { _, last in last })
        let ownNames = Set(own.map(\.0))
        var report = LoadReport()
        var copies: [(Tensor, Tensor)] = []
        for (name, target) in own {
            guard let source = incoming[name] else {
                if !name.hasSuffix("num_batches_tracked") { report.missing.append(name) }
                continue
            }
            if source.shape != target.shape {
                report.shapeMismatches.append((name, target.shape, source.shape))
            } else {
                copies.append((target, source))
            }
        }
        report.unexpected = entries.map(\.0).filter { !ownNames.contains($0) }
        if strict && !report.isExact { throw NNError.stateDictMismatch(report) }
        try withNoGrad {
            for (target, source) in copies { try target.copy_(from: source) }
        }
        report.loaded = copies.count
        return report
    }
}
