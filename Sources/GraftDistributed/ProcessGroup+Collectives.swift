import CTorch
import GraftTensor

extension ProcessGroup {
    /// Replaces each tensor with its sum over all ranks, in place. Tensors of one dtype travel as one flattened buffer
    /// (one allreduce per dtype, in the order the dtypes first appear); every rank passes tensors of the same shapes
    /// and dtypes in the same order.
    public func allReduceSum(_ tensors: [Tensor]) throws {
        for group in try Self.byDType(tensors, operation: "allReduceSum") {
            try run("allReduceSum", group) { gt_process_group_allreduce_sum(handle, $0, Int32(group.count)) }
        }
    }

    /// Overwrites each tensor with rank `root`'s values, in place; one flattened broadcast per dtype, as in
    /// ``allReduceSum(_:)``.
    public func broadcast(_ tensors: [Tensor], from root: Int) throws {
        guard 0..<worldSize ~= root else {
            throw DistributedError.invalidArgument(operation: "broadcast", message: "the root rank \(root) is outside 0..<\(worldSize)")
        }
        for group in try Self.byDType(tensors, operation: "broadcast") {
            try run("broadcast", group) { gt_process_group_broadcast(handle, $0, Int32(group.count), Int32(root)) }
        }
    }

    /// Returns once every rank has called it.
    public func barrier() throws {
        try run("barrier", []) { _ in gt_process_group_barrier(handle) }
    }

    /// Every rank's copy of `tensor`, indexed by rank; each rank passes a CPU tensor of the same shape and dtype. Meant
    /// for small tensors (counts, metrics, hashes).
    public func allGather(_ tensor: Tensor) throws -> [Tensor] {
        try Self.requireCPU([tensor], operation: "allGather")
        var outputs = [gt_tensor?](repeating: nil, count: worldSize)
        try run("allGather", [tensor]) { inputs in gt_process_group_allgather(handle, inputs![0], &outputs) }
        return outputs.map { Tensor(owning: $0!) }
    }

    /// Runs one C collective over `tensors`' handles, turning a failure into ``DistributedError/collectiveFailed``.
    private func run(_ operation: String, _ tensors: [Tensor], _ body: (UnsafePointer<gt_tensor?>?) -> Int32) throws {
        let handles: [gt_tensor?] = tensors.map(\.handle)
        let status = withExtendedLifetime(tensors) { handles.withUnsafeBufferPointer { body($0.baseAddress) } }
        guard status == 0 else {
            throw DistributedError.collectiveFailed(operation: operation, rank: rank, worldSize: worldSize,
                                                    message: RendezvousStore.lastError())
        }
    }

    /// `tensors` split by dtype, each part in its original order, the parts in the order their dtypes first appear.
    static func byDType(_ tensors: [Tensor], operation: String) throws -> [[Tensor]] {
        try requireCPU(tensors, operation: operation)
        var order: [DType] = []
        var parts: [DType: [Tensor]] = [:]
        for tensor in tensors {
            if parts[tensor.dtype] == nil { order.append(tensor.dtype) }
            parts[tensor.dtype, default: []].append(tensor)
        }
        return order.map { parts[$0]! }
    }

    private static func requireCPU(_ tensors: [Tensor], operation: String) throws {
        if let elsewhere = tensors.first(where: { $0.device != .cpu }) {
            throw DistributedError.invalidArgument(
                operation: operation, message: "Gloo collectives take CPU tensors; got one on \(elsewhere.device)")
        }
    }
}
