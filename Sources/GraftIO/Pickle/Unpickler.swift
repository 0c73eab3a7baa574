/// A restricted pickle (protocols 2–5) reader that builds plain values only and never executes code.
/// Globals are resolved against `PickleAllowList`; anything else is refused with an error naming it.
struct Unpickler {
    private var cursor: ByteCursor
    private var graph = PickleGraph()
    private var stack: [Int] = []
    private var marks: [Int] = []
    private var memo: [Int: Int] = [:]
    /// Offset of the opcode being executed, for error messages.
    private var opcodeOffset = 0

    /// Prepares to read one pickle starting at `start` in `bytes`.
    init(bytes: [UInt8], start: Int = 0, context: String = "pickle") {
        cursor = ByteCursor(bytes, from: start, context: context)
    }

    /// Runs the pickle up to STOP; returns the object graph, the root handle and the offset just past STOP.
    mutating func load() throws -> (graph: PickleGraph, root: Int, end: Int) {
        while true {
            opcodeOffset = cursor.position
            let opcode = try cursor.readByte()
            if opcode == 0x2E { // STOP
                let root = try pop()
                return (graph, root, cursor.position)
            }
            try execute(opcode)
        }
    }

    // MARK: - opcodes

    private mutating func execute(_ opcode: UInt8) throws {
        switch opcode {
        case 0x80: // PROTO
            let version = try cursor.readByte()
            guard version <= 5 else { throw malformed("unsupported pickle protocol \(version)") }
        case 0x95: // FRAME: frames are just a length prefix over the continuing stream
            let length = try cursor.readUInt64()
            guard length <= UInt64(cursor.remaining) else { throw malformed("frame of \(length) bytes runs past the end") }
        case 0x28: marks.append(stack.count)                                 // MARK
        case 0x7D: push(graph.addDict())                                     // EMPTY_DICT
        case 0x5D: push(graph.addList([]))                                   // EMPTY_LIST
        case 0x29: push(graph.add(.tuple([])))                               // EMPTY_TUPLE
        case 0x74: push(graph.add(.tuple(try popMark())))                    // TUPLE
        case 0x85: push(graph.add(.tuple(try popItems(1))))                  // TUPLE1
        case 0x86: push(graph.add(.tuple(try popItems(2))))                  // TUPLE2
        case 0x87: push(graph.add(.tuple(try popItems(3))))                  // TUPLE3
        case 0x6C: push(graph.addList(try popMark()))                        // LIST
        case 0x64: try buildDict()                      // DICT
        case 0x73: try setItems(try popItems(2))                             // SETITEM
        case 0x75: try setItems(try popMark())                               // SETITEMS
        case 0x61: try appendItems(try popItems(1))                          // APPEND
        case 0x65: try appendItems(try popMark())                            // APPENDS
        case 0x4A: push(graph.add(.int(Int(Int32(truncatingIfNeeded: try cursor.readUInt32())))))  // BININT
        case 0x4B: push(graph.add(.int(Int(try cursor.readByte()))))         // BININT1
        case 0x4D: push(graph.add(.int(Int(try cursor.readUInt16()))))       // BININT2
        case 0x8A: try pushLong(lengthBytes: 1)                              // LONG1
        case 0x8B: try pushLong(lengthBytes: 4)                              // LONG4
        case 0x47: push(graph.add(.float(Double(bitPattern: try readBigEndian64()))))  // BINFLOAT
        case 0x58: try pushString(lengthBytes: 4)                            // BINUNICODE
        case 0x8C: try pushString(lengthBytes: 1)                            // SHORT_BINUNICODE
        case 0x8D: try pushString(lengthBytes: 8)                            // BINUNICODE8
        case 0x42: push(graph.add(.bytes(Array(try cursor.readBytes(cursor.readLength(4))))))  // BINBYTES
        case 0x43: push(graph.add(.bytes(Array(try cursor.readBytes(cursor.readLength(1))))))  // SHORT_BINBYTES
        case 0x8E: push(graph.add(.bytes(Array(try cursor.readBytes(cursor.readLength(8))))))  // BINBYTES8
        case 0x54: try pushLatin1String(lengthBytes: 4)                      // BINSTRING (Python 2 str)
        case 0x55: try pushLatin1String(lengthBytes: 1)                      // SHORT_BINSTRING
        case 0x4E: push(graph.add(.none))                                    // NONE
        case 0x88: push(graph.add(.bool(true)))                              // NEWTRUE
        case 0x89: push(graph.add(.bool(false)))                             // NEWFALSE
        case 0x71: try memoize(key: Int(try cursor.readByte()))              // BINPUT
        case 0x72: try memoize(key: Int(try cursor.readUInt32()))            // LONG_BINPUT
        case 0x94: try memoize(key: memo.count)                              // MEMOIZE
        case 0x68: try fetchMemo(key: Int(try cursor.readByte()))            // BINGET
        case 0x6A: try fetchMemo(key: Int(try cursor.readUInt32()))          // LONG_BINGET
        case 0x63: try pushGlobal(module: try readLine(), name: try readLine())  // GLOBAL
        case 0x93:                                                           // STACK_GLOBAL
            let name = try pop(), module = try pop()
            guard case .string(let moduleName) = graph[module], case .string(let globalName) = graph[name] else {
                throw malformed("STACK_GLOBAL needs two strings")
            }
            try pushGlobal(module: moduleName, name: globalName)
        case 0x52: try call(arguments: try pop(), callable: try pop())       // REDUCE
        case 0x81: try call(arguments: try pop(), callable: try pop())       // NEWOBJ
        case 0x92:                                                           // NEWOBJ_EX
            _ = try pop()
            try call(arguments: try pop(), callable: try pop())
        case 0x62: try build(state: try pop())                               // BUILD
        case 0x51:                                                           // BINPERSID
            let storage = try PickleAllowList.storage(persistentID: try pop(), graph: graph, offset: opcodeOffset)
            push(graph.add(.storage(storage)))
        case 0x30: _ = try pop()                                             // POP
        case 0x31: _ = try popMark()                                         // POP_MARK
        case 0x32: push(try peek())                                          // DUP
        default:
            throw GraftIOError.unsupportedPickleOpcode(opcode: opcode, offset: opcodeOffset)
        }
    }

    // MARK: - stack

    private mutating func push(_ handle: Int) { stack.append(handle) }

    /// The lowest stack index the current mark allows popping to.
    private var fence: Int { marks.last ?? 0 }

    private mutating func pop() throws -> Int {
        guard stack.count > fence, let top = stack.popLast() else { throw malformed("stack underflow") }
        return top
    }

    private func peek() throws -> Int {
        guard stack.count > fence, let top = stack.last else { throw malformed("stack underflow") }
        return top
    }

    private mutating func popItems(_ count: Int) throws -> [Int] {
        guard stack.count - fence >= count else { throw malformed("stack underflow") }
        let items = Array(stack.suffix(count))
        stack.removeLast(count)
        return items
    }

    private mutating func popMark() throws -> [Int] {
        guard let mark = marks.popLast() else { throw malformed("no MARK on the stack") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    // MARK: - containers

    private mutating func buildDict() throws {
        let items = try popMark()
        let dict = graph.addDict()
        try fill(dict: dict, with: items)
        push(dict)
    }

    private mutating func setItems(_ items: [Int]) throws {
        try fill(dict: try peek(), with: items)
    }

    private mutating func fill(dict: Int, with items: [Int]) throws {
        guard items.count % 2 == 0 else { throw malformed("odd number of items for a dict") }
        var index = 0
        while index < items.count {
            guard graph.set(items[index + 1], forKey: items[index], inDict: dict) else {
                throw malformed("SETITEM target is not a dict")
            }
            index += 2
        }
    }

    private mutating func appendItems(_ items: [Int]) throws {
        guard graph.append(items, toList: try peek()) else { throw malformed("APPEND target is not a list") }
    }

    // MARK: - scalars

    private mutating func pushLong(lengthBytes: Int) throws {
        let length = lengthBytes == 1 ? try cursor.readLength(1) : Int(Int32(truncatingIfNeeded: try cursor.readUInt32()))
        guard length >= 0 else { throw malformed("negative LONG4 length") }
        let bytes = Array(try cursor.readBytes(length))
        if bytes.isEmpty {
            push(graph.add(.int(0)))
        } else if bytes.count <= 8 {
            var value: UInt64 = 0
            for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
            let unusedBits = UInt64(64 - 8 * bytes.count)
            // Sign-extend from the top bit of the last byte.
            let signed = unusedBits == 0 ? Int64(bitPattern: value) : Int64(bitPattern: value << unusedBits) >> Int64(unusedBits)
            push(graph.add(.int(Int(signed))))
        } else {
            push(graph.add(.bigInt(bytes)))
        }
    }

    private mutating func readBigEndian64() throws -> UInt64 {
        let bytes = try cursor.readBytes(8)
        return bytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
    }

    private mutating func pushString(lengthBytes: Int) throws {
        let bytes = try cursor.readBytes(try cursor.readLength(lengthBytes))
        guard let text = String(validating: bytes, as: UTF8.self) else { throw malformed("string is not valid UTF-8") }
        push(graph.add(.string(text)))
    }

    private mutating func pushLatin1String(lengthBytes: Int) throws {
        let bytes = try cursor.readBytes(try cursor.readLength(lengthBytes))
        push(graph.add(.string(String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })))))
    }

    /// Reads a newline-terminated ASCII line (GLOBAL operands).
    private mutating func readLine() throws -> String {
        var characters = [UInt8]()
        while true {
            let byte = try cursor.readByte()
            if byte == 0x0A { break }
            guard byte >= 0x20, byte < 0x7F, characters.count < 256 else { throw malformed("GLOBAL name is not a short printable ASCII line") }
            characters.append(byte)
        }
        return String(decoding: characters, as: UTF8.self)
    }

    // MARK: - memo

    private mutating func memoize(key: Int) throws {
        memo[key] = try peek()
    }

    private mutating func fetchMemo(key: Int) throws {
        guard let handle = memo[key] else { throw malformed("memo key \(key) was never stored") }
        push(handle)
    }

    // MARK: - globals and calls

    private mutating func pushGlobal(module: String, name: String) throws {
        guard PickleAllowList.isAllowed(module: module, name: name) else {
            throw GraftIOError.forbiddenGlobal(module: module, name: name, offset: opcodeOffset)
        }
        push(graph.add(.global(module: module, name: name)))
    }

    private mutating func call(arguments: Int, callable: Int) throws {
        guard case .global(let module, let name) = graph[callable] else { throw malformed("only globals can be called") }
        guard case .tuple(let items) = graph[arguments] else { throw malformed("call arguments are not a tuple") }
        push(try PickleAllowList.call(module: module, name: name, arguments: items, graph: &graph, offset: opcodeOffset))
    }

    /// BUILD sets object state; state dicts carry `_metadata` this way and parameters carry extra state.
    /// Both are irrelevant to the weights, so the state is dropped.
    private mutating func build(state _: Int) throws {
        switch graph[try peek()] {
        case .dict, .tensor: return
        default: throw malformed("BUILD is only supported on dicts and tensors")
        }
    }

    private func malformed(_ reason: String) -> GraftIOError {
        .malformedPickle(reason: reason, offset: opcodeOffset)
    }
}
