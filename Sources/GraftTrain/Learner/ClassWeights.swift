import GraftTensor

/// Per-class loss weights for imbalanced data.
enum ClassWeights {
    /// Inverse class frequency, scaled so the weights average 1 over the classes; an absent class gets weight 0.
    static func inverseFrequency(labels: [Int], classes: Int) throws -> Tensor {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels where counts.indices.contains(label) { counts[label] += 1 }
        let present = counts.filter { $0 > 0 }.count
        let total = Double(labels.count)
        let weights = counts.map { $0 > 0 ? Float(total / (Double(present) * Double($0))) : 0 }
        return try Tensor(weights)
    }
}
