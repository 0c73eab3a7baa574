import GraftData
import GraftDistributed
import GraftModels
import GraftTensor

extension DataParallel {
    /// The cache of every rank's rows, each rank having built `local` over its share of the samples (nil when it had
    /// none); nil when no rank had a row. Rows travel through the CPU and the result lives on `device`.
    func gathered(_ local: FeatureCache?, model: Classifier, boundary: Int, device: Device) throws -> FeatureCache? {
        let activations = try allGatherRows(local?.activations.to(device: .cpu))
        let labels = try allGatherRows(local?.labels.to(device: .cpu))
        let indices = try allGatherRows(local.map { try Tensor($0.sampleIndices.map(Int64.init)) })
        guard !activations.isEmpty else { return nil }
        let sampleIndices = try indices.flatMap { try $0.scalars(as: Int64.self).map(Int.init) }
        return try FeatureCache.joined(activations.map { try $0.to(device: device) }, model: model, boundary: boundary,
                                       labels: Tensor.cat(labels).to(device: device), sampleIndices: sampleIndices)
    }

    /// Every rank's `tensor` (rows along dim 0, any other sizes), in rank order, leaving out ranks with no rows; each
    /// travels zero-padded to the largest size of every dimension and is cut back to its own.
    func allGatherRows(_ tensor: Tensor?) throws -> [Tensor] {
        let maxRank = 4
        var description = [Int64](repeating: 0, count: 2 + maxRank)
        if let tensor {
            guard (1...maxRank).contains(tensor.rank) else {
                throw TrainingError.invalidConfiguration("cannot gather a tensor of rank \(tensor.rank) across processes")
            }
            description[0] = Int64(tensor.rank)
            description[1] = Int64(tensor.dtype.rawValue)
            for (dimension, size) in tensor.shape.enumerated() { description[2 + dimension] = Int64(size) }
        }
        let descriptions = try group.allGather(Tensor(description)).map { try $0.scalars(as: Int64.self) }
        let present = descriptions.filter { $0[0] > 0 }
        guard let first = present.first, let dtype = DType(rawValue: Int32(first[1])) else { return [] }
        guard present.allSatisfy({ $0[0] == first[0] && $0[1] == first[1] }) else {
            throw TrainingError.invalidConfiguration("the processes computed cached outputs of different ranks or element types")
        }
        let dimensions = Int(first[0])
        let largest = (0..<dimensions).map { dimension in present.map { Int($0[2 + dimension]) }.max() ?? 0 }
        let padded = try tensor.map { tensor in
            try tensor.pad((0..<dimensions).reversed().flatMap { [0, largest[$0] - tensor.shape[$0]] }).contiguous()
        } ?? Tensor.zeros(largest, dtype: dtype)
        return try zip(descriptions, group.allGather(padded)).compactMap { description, part in
            guard description[0] > 0, description[2] > 0 else { return nil }
            return try (0..<dimensions).reduce(part) { cut, dimension in
                let size = Int(description[2 + dimension])
                return size < largest[dimension] ? try cut.slice(dim: dimension, start: 0, end: size) : cut
            }
        }
    }
}
