/// A tensor as stored in a checkpoint: dtype, shape and contiguous row-major little-endian bytes.
public struct StoredTensor: Sendable, Equatable {
    /// Element type.
    public var dtype: StoredDType
    /// Dimensions; empty for a scalar.
    public var shape: [Int]
    /// Contiguous row-major little-endian element bytes.
    public var bytes: [UInt8]

    /// Creates a tensor, checking that the byte count matches dtype and shape.
    public init(dtype: StoredDType, shape: [Int], bytes: [UInt8]) throws {
        let count = try StoredTensor.elementCount(of: shape)
        let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.elementSize)
        guard !overflow, expected == bytes.count else {
            throw GraftIOError.invalidTensor(name: "", reason: "shape \(shape) of \(dtype.rawValue) needs \(count) elements but \(bytes.count) bytes were given")
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Creates a float32 tensor from values; the shape must hold exactly `floats.count` elements.
    public init(floats: [Float], shape: [Int]) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(floats.count * 4)
        for value in floats {
            let bits = value.bitPattern
            bytes.append(contentsOf: [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)])
        }
        try self.init(dtype: .float32, shape: shape, bytes: bytes)
    }

    /// Number of elements (1 for a scalar).
    public var elementCount: Int { bytes.count / dtype.elementSize }

    /// The elements converted to `Float` (f16/bf16/f64 and integer types converted, bool as 0/1).
    public func floats() throws -> [Float] {
        let size = dtype.elementSize
        guard bytes.count % size == 0 else {
            throw GraftIOError.invalidTensor(name: "", reason: "\(bytes.count) bytes is not a multiple of the \(dtype.rawValue) element size \(size)")
        }
        var result = [Float]()
        result.reserveCapacity(bytes.count / size)
        var index = 0
        while index < bytes.count {
            let bits = littleEndianBits(at: index, size: size)
            result.append(StoredTensor.float(fromBits: bits, dtype: dtype))
            index += size
        }
        return result
    }

    /// Product of the dimensions, refusing negative dimensions and overflow.
    public static func elementCount(of shape: [Int]) throws -> Int {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else {
                throw GraftIOError.invalidTensor(name: "", reason: "negative dimension in shape \(shape)")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw GraftIOError.limitExceeded("shape \(shape) has too many elements") }
            count = product
        }
        return count
    }

    private func littleEndianBits(at offset: Int, size: Int) -> UInt64 {
        var value: UInt64 = 0
        for byteIndex in 0..<size {
            value |= UInt64(bytes[offset + byteIndex]) << (8 * UInt64(byteIndex))
        }
        return value
    }

    private static func float(fromBits bits: UInt64, dtype: StoredDType) -> Float {
        switch dtype {
        case .float32: return Float(bitPattern: UInt32(truncatingIfNeeded: bits))
        case .float64: return Float(Double(bitPattern: bits))
        case .float16: return HalfPrecision.floatFromHalf(UInt16(truncatingIfNeeded: bits))
        case .bfloat16: return HalfPrecision.floatFromBFloat16(UInt16(truncatingIfNeeded: bits))
        case .int64: return Float(Int64(bitPattern: bits))
        case .int32: return Float(Int32(truncatingIfNeeded: Int64(bitPattern: bits)))
        case .int16: return Float(Int16(truncatingIfNeeded: Int64(bitPattern: bits)))
        case .int8: return Float(Int8(truncatingIfNeeded: Int64(bitPattern: bits)))
        case .uint8: return Float(UInt8(truncatingIfNeeded: bits))
        case .bool: return bits == 0 ? 0 : 1
        }
    }
}
