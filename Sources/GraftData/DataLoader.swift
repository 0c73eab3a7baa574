import Foundation

/// Batches a dataset on worker threads with a bounded prefetch queue. The same seed gives the same batch order
/// and the same augmentations for any number of workers; the order is reshuffled every epoch from the seed.
public struct DataLoader<Dataset: ImageDataset>: Sendable {
    /// The samples.
    public let dataset: Dataset
    /// Images per batch.
    public let batchSize: Int
    /// Whether each epoch visits the samples in a seeded random order.
    public private(set) var shuffle: Bool
    /// Whether a final incomplete batch is dropped.
    public let dropLast: Bool
    /// Worker threads; 0 loads on the caller's thread.
    public let workers: Int
    /// Most batches in flight or waiting (bounds memory).
    public let prefetchBatches: Int
    /// The seed for shuffling and augmentation.
    public let seed: UInt64
    /// Receives one line per skipped bad image, in batch order, on the consuming thread.
    public let warn: @Sendable (String) -> Void
    private let assembler: BatchAssembler<Dataset>
    /// The epoch the next `for batch in loader` loop visits (shared by copies, like PyTorch's reshuffling per loop).
    let sequenceEpochs = EpochCounter()

    /// Configures a loader; `workers` defaults to the core count and `prefetchBatches` to twice the workers.
    public init(dataset: Dataset, transform: TransformPipeline, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount, prefetchBatches: Int? = nil, seed: UInt64 = 0,
                badImagePolicy: BadImagePolicy = .skip, warn: @escaping @Sendable (String) -> Void = { _ in }) throws {
        guard batchSize > 0 else { throw DataError.invalidArgument("batch size must be positive, got \(batchSize)") }
        guard workers >= 0 else { throw DataError.invalidArgument("workers must be 0 or more, got \(workers)") }
        let prefetch = prefetchBatches ?? Swift.max(2, 2 * workers)
        guard prefetch > 0 else { throw DataError.invalidArgument("prefetch must be positive, got \(prefetch)") }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.workers = workers
        self.prefetchBatches = prefetch
        self.seed = seed
        self.warn = warn
        self.assembler = BatchAssembler(dataset: dataset, transform: transform, seed: seed, policy: badImagePolicy)
    }

    /// The same loader visiting the samples in dataset order (same transform, so the same augmentations per epoch).
    public func inDatasetOrder() -> DataLoader {
        var copy = self
        copy.shuffle = false
        return copy
    }

    /// Batches per epoch.
    public var batchCount: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The dataset indices of one epoch in visiting order.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<dataset.count)
        if shuffle {
            var random = SeededRandom(seed: seed, epoch: epoch, index: -1)
            random.shuffle(&order)
        }
        return order
    }

    /// The dataset indices of each batch of `epoch`: `order(epoch:)` cut into `batchSize` pieces (a short last piece
    /// dropped under `dropLast`).
    public func batchGroups(epoch: Int) -> [[Int]] {
        let order = order(epoch: epoch)
        let size = batchSize
        return (0..<batchCount).map { Array(order[($0 * size)..<Swift.min(($0 + 1) * size, order.count)]) }
    }

    /// Starts loading `epoch`; iterate with `next()`. Abandoning the iterator stops its workers.
    public func batches(epoch: Int) -> EpochBatches { batches(groups: batchGroups(epoch: epoch), epoch: epoch) }

    /// Starts loading the batches `groups` (dataset indices) with `epoch`'s augmentation; iterate with `next()`.
    public func batches(groups: [[Int]], epoch: Int) -> EpochBatches {
        let assembler = self.assembler
        let queue = PrefetchQueue(batchCount: groups.count, capacity: prefetchBatches) { batchIndex in
            try assembler.assemble(batchIndex: batchIndex, indices: groups[batchIndex], epoch: epoch)
        }
        for _ in 0..<Swift.min(workers, groups.count) {
            let thread = Thread { queue.runWorker() }
            thread.name = "graft-data-loader"
            thread.start()
        }
        return EpochBatches(queue: queue, loadsInline: workers == 0, warn: warn)
    }
}

/// The batches of one epoch, in order. Bad images skipped so far are in `skipped`.
public final class EpochBatches {
    private let queue: PrefetchQueue
    private let loadsInline: Bool
    private let warn: @Sendable (String) -> Void
    /// Every sample skipped so far this epoch (the epoch summary's count).
    public private(set) var skipped: [SkippedSample] = []

    init(queue: PrefetchQueue, loadsInline: Bool, warn: @escaping @Sendable (String) -> Void) {
        self.queue = queue
        self.loadsInline = loadsInline
        self.warn = warn
    }

    deinit { queue.cancel() }

    /// The next non-empty batch, nil at the end of the epoch; throws a bad image's error under `.error`.
    public func next() throws -> Batch? {
        while let batch = try (loadsInline ? queue.nextInline() : queue.next()) {
            for sample in batch.skipped { warn("skipped bad image: \(sample.reason)") }
            skipped += batch.skipped
            if batch.count > 0 { return batch }
        }
        return nil
    }
}

/// Hands out batch numbers to workers and returns finished batches in order, never more than `capacity` ahead.
final class PrefetchQueue: @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private let batchCount: Int
    private let capacity: Int
    private let produce: @Sendable (Int) throws -> Batch
    private var nextToStart = 0
    private var nextToDeliver = 0
    private var finished: [Int: Result<Batch, Error>] = [:]
    private var cancelled = false

    init(batchCount: Int, capacity: Int, produce: @escaping @Sendable (Int) throws -> Batch) {
        self.batchCount = batchCount
        self.capacity = capacity
        self.produce = produce
    }

    /// A worker thread's loop: take the next batch number within the prefetch window, build it, publish it.
    func runWorker() {
        while let batchIndex = claim() {
            let result = Result { try produce(batchIndex) }
            condition.lock()
            finished[batchIndex] = result
            condition.broadcast()
            condition.unlock()
        }
    }

    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled, nextToStart < batchCount, nextToStart >= nextToDeliver + capacity { condition.wait() }
        guard !cancelled, nextToStart < batchCount else { return nil }
        nextToStart += 1
        return nextToStart - 1
    }

    /// Waits for the next batch in order; nil when all were delivered.
    func next() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        guard !cancelled, nextToDeliver < batchCount else { return nil }
        while finished[nextToDeliver] == nil { condition.wait() }
        let result = finished.removeValue(forKey: nextToDeliver)
        nextToDeliver += 1
        condition.broadcast()
        if case .failure = result { cancelled = true }
        return try result?.get()
    }

    /// Builds the next batch on the calling thread (no workers).
    func nextInline() throws -> Batch? {
        guard let batchIndex = claim() else { return nil }
        condition.lock()
        nextToDeliver += 1
        condition.unlock()
        do { return try produce(batchIndex) } catch { cancel(); throw error }
    }

    /// Stops handing out work; running batches finish and are discarded.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
