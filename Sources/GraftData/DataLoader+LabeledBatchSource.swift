import GraftTensor

extension DataLoader: LabeledBatchSource {
    public var sampleCount: Int { dataset.count }
    public var classes: [String] { dataset.classes }
    public func label(at index: Int) -> Int { dataset.label(at: index) }
    public var sampleNoun: String { "images" }
    /// True: training transforms augment randomly (evaluation ones do not, but a loader does not tell them apart).
    public var variesByEpoch: Bool { true }
    public func labeledBatches(groups: [[Int]], epoch: Int) -> any LabeledBatchIterator { batches(groups: groups, epoch: epoch) }
}

extension EpochBatches: LabeledBatchIterator {
    /// The next batch as images [N, 3, H, W] and labels on `device`.
    public func next(on device: Device) throws -> LabeledTensors? {
        guard let batch = try next() else { return nil }
        let (images, labels) = try batch.tensors(on: device)
        return LabeledTensors(inputs: images, labels: labels, sampleIndices: batch.sampleIndices, group: batch.index)
    }
}
