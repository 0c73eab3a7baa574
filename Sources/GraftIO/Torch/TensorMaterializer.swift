/// Turns tensor views (storage + offset + size + stride) into contiguous `StoredTensor`s,
/// checking every index against the storage and capping the total bytes produced.
struct TensorMaterializer {
    /// Raw little-endian bytes of each storage, by key.
    let storages: [String: [UInt8]]
    /// Bytes still allowed to be produced; strided views may repeat storage elements (stride 0), so a
    /// hostile file could otherwise ask for far more memory than it contains.
    private var byteBudget: Int

    init(storages: [String: [UInt8]]) {
        self.storages = storages
        let stored = storages.values.reduce(0) { $0 + $1.count }
        byteBudget = stored.multipliedReportingOverflow(by: 4).partialValue + (1 << 20)
    }

    /// The contiguous tensor that `reference` describes.
    mutating func materialize(_ reference: TensorReference) throws -> StoredTensor {
        let storage = reference.storage
        let name = "storage '\(storage.key)'"
        guard let data = storages[storage.key] else {
            throw GraftIOError.missingRecord("storage '\(storage.key)' referenced by a tensor is not in the file")
        }
        let size = storage.dtype.elementSize
        let storageElements = data.count / size
        guard reference.shape.count == reference.stride.count else {
            throw GraftIOError.invalidTensor(name: name, reason: "shape \(reference.shape) and stride \(reference.stride) differ in rank")
        }
        let count = try StoredTensor.elementCount(of: reference.shape)
        let (base, overflow) = storage.elementOffset.addingReportingOverflow(reference.storageOffset)
        guard reference.storageOffset >= 0, !overflow else {
            throw GraftIOError.invalidTensor(name: name, reason: "invalid storage offset \(reference.storageOffset)")
        }
        let (byteCount, bytesOverflow) = count.multipliedReportingOverflow(by: size)
        guard !bytesOverflow, byteCount <= byteBudget else {
            throw GraftIOError.limitExceeded("tensor of shape \(reference.shape) would need more memory than the file can justify")
        }
        byteBudget -= byteCount
        if count == 0 { return try StoredTensor(dtype: storage.dtype, shape: reference.shape, bytes: []) }
        let last = try lastElementIndex(base: base, shape: reference.shape, stride: reference.stride, name: name)
        guard last < storageElements else {
            throw GraftIOError.invalidTensor(name: name, reason: "view (offset \(base), shape \(reference.shape), stride \(reference.stride)) reaches element \(last) but the storage holds \(storageElements)")
        }
        if isContiguous(shape: reference.shape, stride: reference.stride) {
            let start = base * size
            return try StoredTensor(dtype: storage.dtype, shape: reference.shape, bytes: Array(data[start..<(start + byteCount)]))
        }
        return try StoredTensor(dtype: storage.dtype, shape: reference.shape,
                                bytes: gather(data, base: base, shape: reference.shape, stride: reference.stride, elementSize: size, byteCount: byteCount))
    }

    /// The largest element index the view touches, refusing negative strides and overflow.
    private func lastElementIndex(base: Int, shape: [Int], stride: [Int], name: String) throws -> Int {
        var last = base
        for (dimension, step) in zip(shape, stride) {
            guard step >= 0 else { throw GraftIOError.invalidTensor(name: name, reason: "negative stride \(stride)") }
            let (span, spanOverflow) = (dimension - 1).multipliedReportingOverflow(by: step)
            let (sum, sumOverflow) = last.addingReportingOverflow(span)
            guard !spanOverflow, !sumOverflow else { throw GraftIOError.invalidTensor(name: name, reason: "stride \(stride) overflows") }
            last = sum
        }
        return last
    }

    private func isContiguous(shape: [Int], stride: [Int]) -> Bool {
        var expected = 1
        for (dimension, step) in zip(shape, stride).reversed() {
            if dimension != 1 && step != expected { return false }
            expected *= dimension
        }
        return true
    }

    /// Copies a strided view element by element in row-major order.
    private func gather(_ data: [UInt8], base: Int, shape: [Int], stride: [Int], elementSize: Int, byteCount: Int) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(byteCount)
        var index = [Int](repeating: 0, count: shape.count)
        var element = base
        while output.count < byteCount {
            let start = element * elementSize
            output.append(contentsOf: data[start..<(start + elementSize)])
            // Advance the multi-index like an odometer, adjusting the element offset incrementally.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                element += stride[axis]
                if index[axis] < shape[axis] { break }
                element -= stride[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return output
    }
}
