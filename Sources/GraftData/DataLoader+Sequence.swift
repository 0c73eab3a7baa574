import Foundation

/// `for batch in loader { let (images, labels) = try batch.tensors() … }`: each loop is the next epoch (0, 1, 2, …),
/// reshuffled from the seed like a PyTorch `DataLoader`. A loop cannot throw, so an error under `BadImagePolicy.error`
/// ends the loop with a batch that carries it: its `tensors()` throws the error (and its arrays are empty).
/// Use `batches(epoch:)` to choose the epoch or to handle errors at `next()`.
extension DataLoader: Sequence {
    /// Starts the next epoch.
    public func makeIterator() -> Iterator {
        Iterator(batches: batches(epoch: sequenceEpochs.next()))
    }

    /// The batches of one epoch, in order.
    public struct Iterator: IteratorProtocol {
        let batches: EpochBatches
        var finished = false

        /// The next batch; after an error, one failed batch and then nil.
        public mutating func next() -> Batch? {
            guard !finished else { return nil }
            do {
                guard let batch = try batches.next() else {
                    finished = true
                    return nil
                }
                return batch
            } catch {
                finished = true
                return Batch(failure: error)
            }
        }
    }
}

/// A thread-safe counter of the epochs a loader's `for` loops have started.
final class EpochCounter: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
