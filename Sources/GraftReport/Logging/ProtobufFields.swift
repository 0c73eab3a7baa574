/// The protobuf wire format of the few field kinds a TensorBoard event uses, appended to a byte buffer in field
/// order (see `TensorBoardEvent` for why these are written by hand).
struct ProtobufFields {
    private(set) var bytes: [UInt8] = []

    private enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    private mutating func key(_ field: UInt64, _ type: WireType) {
        varint(field << 3 | type.rawValue)
    }

    private mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// An `int64` or enum field (negative numbers as ten-byte two's complement, as protobuf does).
    mutating func int64(_ field: UInt64, _ value: Int64) {
        key(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    /// A `double` field.
    mutating func double(_ field: UInt64, _ value: Double) {
        key(field, .fixed64)
        bytes += TFRecord.littleEndian(value.bitPattern)
    }

    /// A `float` field.
    mutating func float(_ field: UInt64, _ value: Float) {
        key(field, .fixed32)
        bytes += TFRecord.littleEndian(value.bitPattern)
    }

    /// A `bytes` field, or an embedded message's encoding.
    mutating func lengthDelimited(_ field: UInt64, _ value: [UInt8]) {
        key(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes += value
    }

    /// A `string` field (UTF-8).
    mutating func string(_ field: UInt64, _ value: String) {
        lengthDelimited(field, Array(value.utf8))
    }

    /// An embedded message field.
    mutating func message(_ field: UInt64, _ value: ProtobufFields) {
        lengthDelimited(field, value.bytes)
    }
}
