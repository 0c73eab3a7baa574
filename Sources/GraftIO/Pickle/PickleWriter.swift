/// Emits protocol-2 pickle opcodes for PyTorch checkpoints. `PickleWriter.write(_:tensors:)` uses only opcodes that
/// PyTorch's `weights_only` unpickler accepts (1.13's set plus BINFLOAT, which newer releases accept too).
struct PickleWriter {
    private(set) var bytes: [UInt8] = [0x80, 0x02]   // PROTO 2

    mutating func mark() { bytes.append(0x28) }
    mutating func emptyTuple() { bytes.append(0x29) }
    /// Builds a tuple from the items since the last mark.
    mutating func tuple() { bytes.append(0x74) }
    mutating func reduce() { bytes.append(0x52) }
    /// Builds a list from the items since the last mark (LIST; not in the weights_only set, used by legacy files).
    mutating func list() { bytes.append(0x6C) }
    mutating func emptyList() { bytes.append(0x5D) }
    /// Appends the items since the last mark to the list below them.
    mutating func appends() { bytes.append(0x65) }
    mutating func emptyDict() { bytes.append(0x7D) }
    /// Adds the key/value pairs since the last mark to the dict below them.
    mutating func setItems() { bytes.append(0x75) }
    mutating func persistentID() { bytes.append(0x51) }
    mutating func stop() { bytes.append(0x2E) }
    mutating func none() { bytes.append(0x4E) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 0x88 : 0x89) }

    /// BINFLOAT: the IEEE double, big-endian.
    mutating func float(_ value: Double) {
        bytes.append(0x47)
        let bits = value.bitPattern
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((bits >> UInt64(shift)) & 0xFF)) }
    }

    /// LONG1 with `littleEndian` two's-complement bytes (integers beyond 64 bits).
    mutating func long(littleEndian: [UInt8]) throws {
        guard littleEndian.count <= 0xFF else { throw GraftIOError.unwritableValue("an integer of \(littleEndian.count) bytes (at most 255 are written)") }
        bytes += [0x8A, UInt8(littleEndian.count)] + littleEndian
    }

    /// GLOBAL `module name`.
    mutating func global(module: String, name: String) {
        bytes.append(0x63)
        bytes += Array(module.utf8) + [0x0A] + Array(name.utf8) + [0x0A]
    }

    /// The smallest integer opcode that holds `value`.
    mutating func int(_ value: Int) {
        switch value {
        case 0...0xFF:
            bytes += [0x4B, UInt8(value)]
        case 0...0xFFFF:
            bytes.append(0x4D)
            append16(UInt16(value), to: &bytes)
        case Int(Int32.min)...Int(Int32.max):
            bytes.append(0x4A)
            append32(UInt32(bitPattern: Int32(value)), to: &bytes)
        default:
            bytes += [0x8A, 8]
            append64(UInt64(bitPattern: Int64(value)), to: &bytes)
        }
    }

    /// BINUNICODE `text`.
    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        bytes.append(0x58)
        append32(UInt32(utf8.count), to: &bytes)
        bytes += utf8
    }

    /// A tuple of integers (shapes and strides).
    mutating func intTuple(_ values: [Int]) {
        mark()
        values.forEach { int($0) }
        tuple()
    }

    /// `collections.OrderedDict()`.
    mutating func emptyOrderedDict() {
        global(module: "collections", name: "OrderedDict")
        emptyTuple()
        reduce()
    }

    /// `torch._utils._rebuild_tensor_v2(storage, offset, shape, stride, False, OrderedDict())`, the storage being the
    /// persistent id `("storage", torch.<storageClass>, …)` whose remaining fields `storageFields` writes.
    mutating func rebuildTensor(storageClass: String, offset: Int, shape: [Int], stride: [Int],
                                storageFields: (inout PickleWriter) -> Void) {
        global(module: "torch._utils", name: "_rebuild_tensor_v2")
        mark()
        mark()
        string("storage")
        global(module: "torch", name: storageClass)
        storageFields(&self)
        tuple()
        persistentID()
        int(offset)
        intTuple(shape)
        intTuple(stride)
        bool(false)
        emptyOrderedDict()
        tuple()
        reduce()
    }
}
