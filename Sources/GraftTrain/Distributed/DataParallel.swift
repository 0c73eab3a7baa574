import Foundation
import GraftData
import GraftDistributed
import GraftModels
import GraftTensor

/// Data-parallel training over a process group, as PyTorch's `DistributedDataParallel` does it on CPUs: every rank
/// holds the same model, trains on its share of each batch, and the ranks average their gradients (bucketed
/// allreduce) before each optimizer step, so each rank takes the step one process would take on the whole batch.
///
/// Give one to ``Learner/dataParallel`` on every rank before `fit()`. The loaders' batch size stays the global batch:
/// each batch of the epoch's order is cut into `worldSize` contiguous shares (``share(of:)``), so the global batches
/// are exactly those of one process with the same seed, and the averaged gradient of each step is that of the mean
/// loss over the whole batch (each rank weighted by its samples). Training and validation metrics are summed over the
/// ranks, so every rank reports the same global figures and takes the same decisions (best epoch, early stopping);
/// rank 0's parameters and buffers are broadcast at the start and its buffers (BatchNorm statistics) after every
/// training pass. The feature cache is built per share: each rank runs the frozen layers over its share of the samples
/// and the ranks exchange the rows, so every rank holds the whole cache for later epochs' shares.
public final class DataParallel {
    /// The ranks training together.
    public let group: ProcessGroup
    /// Most bytes of gradients per allreduce (DDP's `bucket_cap_mb`, 25 MiB by default).
    public let bucketCapBytes: Int

    /// Data-parallel training over `group` with gradient buckets of at most `bucketCapBytes`.
    public init(group: ProcessGroup, bucketCapBytes: Int = GradientBuckets.defaultCapBytes) throws {
        guard bucketCapBytes > 0 else {
            throw TrainingError.invalidSetting("bucketCapBytes", "bucketCapBytes must be positive (got \(bucketCapBytes))")
        }
        self.group = group
        self.bucketCapBytes = bucketCapBytes
    }

    /// This process's rank.
    public var rank: Int { group.rank }
    /// Number of ranks.
    public var worldSize: Int { group.worldSize }

    /// This rank's part of each batch `groups`: contiguous shares whose sizes differ by at most one (a batch smaller
    /// than the world leaves some ranks an empty share; they still take part in the step).
    public func share(of groups: [[Int]]) -> [[Int]] {
        groups.map { batch in Array(batch[(batch.count * rank / worldSize)..<(batch.count * (rank + 1) / worldSize)]) }
    }

    /// Checks that every rank trains on the same data (sample counts, classes and labels, compared by digest) and gives
    /// every rank rank 0's parameters and buffers.
    func begin(model: Classifier, train: any LabeledBatchSource, validation: any LabeledBatchSource) throws {
        let digest = try Tensor([Int64(bitPattern: Self.digest(train) &* 31 &+ Self.digest(validation))])
        let digests = try group.allGather(digest).map { try $0.scalars(as: Int64.self)[0] }
        if let other = digests.firstIndex(where: { $0 != digests[0] }) {
            throw TrainingError.invalidConfiguration(
                "rank \(other) has other data than rank 0 (sample counts, classes or labels differ): every rank must read the same training and validation data")
        }
        try group.broadcast(model.stateDict().map { try $0.1.detached() }, from: 0)
    }

    /// Averages the gradients of `parameters` over the ranks, each rank's (the mean over its `samples`) weighted by
    /// its samples: the gradient of the mean loss over every rank's samples. A parameter without a gradient counts as
    /// zeros. The exchange also carries each rank's `stopVote`. Returns the samples of all ranks together (0: no rank
    /// had one, and the step should be skipped) and whether any rank voted to stop.
    func averageGradients(of parameters: [Tensor], samples: Int, stopVote: Bool) throws -> (total: Int, stop: Bool) {
        let counts = try Tensor([Double(samples), stopVote ? 1 : 0])
        try group.allReduceSum([counts])
        let summed = try counts.scalars(as: Double.self)
        let total = Int(summed[0].rounded()), stop = summed[1] > 0
        guard total > 0 else { return (0, stop) }
        var gradients: [Tensor] = []
        for parameter in parameters {
            if parameter.grad == nil { try parameter.setGrad(Tensor.zeros(parameter.shape, dtype: parameter.dtype, device: parameter.device)) }
            guard let gradient = parameter.grad else { continue }
            gradients.append(gradient)
        }
        let weight = Double(samples * worldSize) / Double(total)
        try withNoGrad {
            if weight != 1 { for gradient in gradients { try gradient.mul_(weight) } }
            try group.averageGradients(gradients, buckets: GradientBuckets(for: gradients, capBytes: bucketCapBytes))
        }
        return (total, stop)
    }

    /// `metrics` with their counts summed over the ranks (their timing stays this rank's).
    func summed(_ metrics: ClassificationMetrics) throws -> ClassificationMetrics {
        let counts = try Tensor(metrics.counts)
        try group.allReduceSum([counts])
        return try metrics.replacingCounts(counts.scalars(as: Double.self))
    }

    /// Whether `flag` is set on any rank (a stop request that reached some ranks a moment before the others).
    func anyRank(_ flag: Bool) throws -> Bool {
        let votes = try Tensor([flag ? 1.0 : 0.0])
        try group.allReduceSum([votes])
        return try votes.item() > 0
    }

    /// Rank 0's buffers (BatchNorm running statistics) to every rank.
    func broadcastBuffers(of model: Classifier) throws {
        let buffers = try model.namedBuffers().map { try $0.1.detached() }
        if !buffers.isEmpty { try group.broadcast(buffers, from: 0) }
    }

    /// A digest of a source's sample count, classes and labels (FNV-1a).
    static func digest(_ source: any LabeledBatchSource) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: UInt64) { hash = (hash ^ value) &* 0x100_0000_01b3 }
        mix(UInt64(source.sampleCount))
        for name in source.classes { for byte in name.utf8 { mix(UInt64(byte)) }; mix(0xff) }
        for index in 0..<source.sampleCount { mix(UInt64(source.label(at: index))) }
        return hash
    }
}
