import GraftData

/// The usual "group by length" sampler: a seeded shuffle, cut into chunks of `chunkBatches` batches, each chunk
/// sorted by length (longest first) and cut into batches, the full batches' order shuffled again. Texts of similar
/// length share a batch, so little padding is computed, while every epoch still sees new batches in a new order.
enum LengthBucketing {
    /// Every index of `lengths` exactly once. Cut consecutively into `batchSize` pieces it gives the batches; the
    /// one smaller batch (when the count is not a multiple of `batchSize`) comes last.
    static func order(lengths: [Int], batchSize: Int, chunkBatches: Int, seed: UInt64, epoch: Int) -> [Int] {
        var shuffled = Array(lengths.indices)
        var random = SeededRandom(seed: seed, epoch: epoch, index: -1)
        random.shuffle(&shuffled)
        let chunkSize = batchSize * max(chunkBatches, 1)
        var sorted: [Int] = []
        sorted.reserveCapacity(shuffled.count)
        for start in stride(from: 0, to: shuffled.count, by: chunkSize) {
            let chunk = shuffled[start..<min(start + chunkSize, shuffled.count)]
            // Ties keep their shuffled order, so equal lengths do not fall back to dataset order.
            sorted += chunk.enumerated().sorted { a, b in
                lengths[a.element] != lengths[b.element] ? lengths[a.element] > lengths[b.element] : a.offset < b.offset
            }.map(\.element)
        }
        let fullBatches = sorted.count / batchSize
        var batchOrder = Array(0..<fullBatches)
        random.shuffle(&batchOrder)
        var order = batchOrder.flatMap { sorted[($0 * batchSize)..<(($0 + 1) * batchSize)] }
        order += sorted[(fullBatches * batchSize)...]
        return order
    }
}
