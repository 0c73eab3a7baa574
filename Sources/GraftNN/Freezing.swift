import GraftTensor

extension Module {
    /// Stops gradients for every parameter of this module (and its descendants).
    public func freeze() throws { try setTrainable(false, where: { _ in true }) }

    /// Lets every parameter of this module receive gradients again.
    public func unfreeze() throws { try setTrainable(true, where: { _ in true }) }

    /// Freezes or unfreezes the parameters whose dotted name matches a glob (`*` any run of characters,
    /// `?` one character) or starts with `pattern + "."`; throws when nothing matches.
    public func setTrainable(_ trainable: Bool, matching pattern: String) throws {
        let glob = Glob(pattern)
        let matched = try setTrainable(trainable) { name in
            glob.matches(name) || name.hasPrefix(pattern + ".") || name == pattern
        }
        if matched == 0 { throw NNError.noMatch(pattern) }
    }

    /// Freezes or unfreezes the parameters whose names satisfy `predicate`; returns how many changed state or matched.
    @discardableResult
    public func setTrainable(_ trainable: Bool, where predicate: (String) -> Bool) throws -> Int {
        var matched = 0
        for (name, parameter) in namedParameters() where predicate(name) {
            try parameter.requiresGrad_(trainable)
            if !trainable { try parameter.clearGrad() }
            matched += 1
        }
        return matched
    }

    /// A one-line count such as `trainable 12,810 of 11,181,642 parameters`.
    public var parameterSummary: String {
        "trainable \(Self.grouped(parameterCount(trainableOnly: true))) of \(Self.grouped(parameterCount())) parameters"
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}

/// A shell-style pattern over dotted names: `*` matches any run of characters (dots included), `?` one.
public struct Glob: Sendable {
    let pattern: [Character]

    /// Compiles `pattern`.
    public init(_ pattern: String) { self.pattern = Array(pattern) }

    /// Whether `text` matches the whole pattern.
    public func matches(_ text: String) -> Bool {
        let t = Array(text)
        var p = 0, s = 0, starP = -1, starS = 0
        while s < t.count {
            if p < pattern.count && (pattern[p] == "?" || pattern[p] == t[s]) {
                p += 1; s += 1
            } else if p < pattern.count && pattern[p] == "*" {
                starP = p; starS = s; p += 1
            } else if starP >= 0 {
                p = starP + 1; starS += 1; s = starS
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

extension Module {
    /// Training mode for the parts that train and evaluation mode for every submodule whose parameters are all
    /// frozen, so a frozen backbone is a fixed function: no batch statistics, no stochastic depth. With
    /// `freezingBatchNormStatistics`, every `BatchNorm2d` also stays in evaluation mode — it normalises with its
    /// running statistics and leaves them unchanged while its affine weight and bias still train (Keras's advice for
    /// fine-tuning: small batches of a new domain would otherwise overwrite the pretrained statistics).
    public func trainUnfrozenParts(freezingBatchNormStatistics: Bool = false) {
        train()
        for (_, module) in namedModules() {
            let parameters = module.parameters()
            if !parameters.isEmpty && parameters.allSatisfy({ !$0.requiresGrad }) { module.eval() }
            if freezingBatchNormStatistics && module is BatchNorm2d { module.eval() }
        }
    }
}
