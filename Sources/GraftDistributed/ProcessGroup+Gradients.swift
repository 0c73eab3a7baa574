import GraftTensor

extension ProcessGroup {
    /// Replaces each gradient with its mean over all ranks, in place, one allreduce per bucket (DDP's step: divide by
    /// the world size, then sum). Every rank passes the same list — a zero tensor where a parameter got no gradient —
    /// in parameter order; `buckets` (made once for that list) defaults to DDP's 25 MiB buckets.
    public func averageGradients(_ gradients: [Tensor], buckets: GradientBuckets? = nil) throws {
        let buckets = try buckets ?? GradientBuckets(for: gradients)
        guard buckets.tensorCount == gradients.count else {
            throw DistributedError.invalidArgument(
                operation: "averageGradients",
                message: "the buckets were made for \(buckets.tensorCount) tensors but \(gradients.count) gradients were given")
        }
        for bucket in buckets.indices {
            let tensors = bucket.map { gradients[$0] }
            for tensor in tensors { try tensor.div_(Double(worldSize)) }
            try allReduceSum(tensors)
        }
    }
}
