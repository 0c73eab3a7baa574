extension LabeledDataset {
    /// A deterministic stratified split: within every class, `validationFraction` of the samples (rounded, at least
    /// one and never all when the class has two or more) go to validation, chosen by `seed`.
    public func split(validationFraction: Double, seed: UInt64) throws -> (train: DatasetSubset<Self>, validation: DatasetSubset<Self>) {
        let parts = try StratifiedSplit.indices(labels: labels, validationFraction: validationFraction, seed: seed)
        return (try DatasetSubset(base: self, indices: parts.train), try DatasetSubset(base: self, indices: parts.validation))
    }
}

/// The index arithmetic behind `LabeledDataset.split`.
enum StratifiedSplit {
    /// Train and validation indices, each in ascending order.
    static func indices(labels: [Int], validationFraction: Double, seed: UInt64) throws -> (train: [Int], validation: [Int]) {
        guard validationFraction >= 0, validationFraction < 1 else {
            throw DataError.invalidArgument("validation fraction must be in [0, 1), got \(validationFraction)")
        }
        var byClass: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
        var train: [Int] = [], validation: [Int] = []
        for label in byClass.keys.sorted() {
            var members = byClass[label] ?? []
            var random = SeededRandom(seed: seed, epoch: -1, index: label)
            random.shuffle(&members)
            var take = Int((validationFraction * Double(members.count)).rounded())
            if validationFraction > 0, members.count >= 2 { take = min(max(take, 1), members.count - 1) }
            validation += members.prefix(take)
            train += members.dropFirst(take)
        }
        return (train.sorted(), validation.sorted())
    }
}
