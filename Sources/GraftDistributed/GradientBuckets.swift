import GraftTensor

/// How a list of gradients is split into allreduce buckets, as PyTorch's `DistributedDataParallel` splits them: the
/// parameters are walked in reverse (the order backward produces their gradients), each dtype fills its own bucket,
/// and a bucket closes once it holds at least its cap — 1 MiB for the first, 25 MiB for each later one. Few large
/// buckets cost fewer round trips; the small first bucket lets communication start early when it overlaps backward.
public struct GradientBuckets: Sendable, Equatable {
    /// DDP's `bucket_cap_mb` default, 25 MiB.
    public static let defaultCapBytes = 25 * 1024 * 1024
    /// DDP's first-bucket size (`dist._DEFAULT_FIRST_BUCKET_BYTES`), 1 MiB.
    public static let defaultFirstCapBytes = 1024 * 1024

    /// The buckets in the order they are reduced; each holds indices into the list the buckets were made for.
    public let indices: [[Int]]
    /// The number of tensors the buckets were made for.
    public let tensorCount: Int

    /// Buckets for tensors with the given byte sizes and dtypes, listed in parameter (forward) order.
    public init(byteCounts: [Int], dtypes: [DType], capBytes: Int = Self.defaultCapBytes,
                firstCapBytes: Int = Self.defaultFirstCapBytes) throws {
        guard byteCounts.count == dtypes.count else {
            throw DistributedError.invalidArgument(operation: "GradientBuckets",
                                                   message: "\(byteCounts.count) byte counts but \(dtypes.count) dtypes")
        }
        guard capBytes > 0, firstCapBytes > 0 else {
            throw DistributedError.invalidArgument(operation: "GradientBuckets",
                                                   message: "the bucket caps must be positive; got \(firstCapBytes) and \(capBytes)")
        }
        // Mirrors c10d's compute_bucket_assignment_by_size: one open bucket and one cap sequence per dtype.
        var closed: [[Int]] = []
        var open: [DType: (indices: [Int], bytes: Int, cap: Int)] = [:]
        var dtypeOrder: [DType] = []
        for index in byteCounts.indices.reversed() {
            let dtype = dtypes[index]
            if open[dtype] == nil {
                open[dtype] = ([], 0, firstCapBytes)
                dtypeOrder.append(dtype)
            }
            open[dtype]!.indices.append(index)
            open[dtype]!.bytes += byteCounts[index]
            if open[dtype]!.bytes >= open[dtype]!.cap {
                closed.append(open[dtype]!.indices)
                open[dtype] = ([], 0, capBytes)
            }
        }
        indices = closed + dtypeOrder.compactMap { open[$0]!.indices.isEmpty ? nil : open[$0]!.indices }
        tensorCount = byteCounts.count
    }

    /// Buckets for `tensors` (gradients or their parameters), listed in parameter (forward) order.
    public init(for tensors: [Tensor], capBytes: Int = Self.defaultCapBytes, firstCapBytes: Int = Self.defaultFirstCapBytes) throws {
        try self.init(byteCounts: tensors.map { $0.count * $0.dtype.elementSize }, dtypes: tensors.map(\.dtype),
                      capBytes: capBytes, firstCapBytes: firstCapBytes)
    }
}
