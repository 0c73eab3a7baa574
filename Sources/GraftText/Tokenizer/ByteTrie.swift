/// A read-only trie over the UTF-8 bytes of tokens, answering "the longest token starting here" in one walk, with no
/// String built per lookup.
struct ByteTrie: Sendable {
    /// Node `n`'s edges are `edgeBytes/edgeTargets[edgeStart[n]..<edgeStart[n] + edgeCount[n]]`, sorted by byte.
    private var edgeStart: [Int32] = []
    private var edgeCount: [Int32] = []
    private var edgeBytes: [UInt8] = []
    private var edgeTargets: [Int32] = []
    /// The id of the token ending at each node, or -1.
    private var tokenIds: [Int32] = []
    /// The root's children indexed by byte (-1: none), the one node with a wide fan-out.
    private var rootChildren = [Int32](repeating: -1, count: 256)

    /// A trie of `entries` (distinct, non-empty byte strings and their ids).
    init(entries: [(bytes: [UInt8], id: Int32)]) {
        let sorted = entries.filter { !$0.bytes.isEmpty }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        _ = addNode(sorted, sorted.startIndex..<sorted.endIndex, depth: 0)
        for edge in 0..<Int(edgeCount[0]) {
            rootChildren[Int(edgeBytes[edge])] = edgeTargets[edge]
        }
    }

    /// Adds the node for the common prefix of length `depth` of `entries[range]` (sorted) and, recursively, its
    /// subtree; returns its index.
    private mutating func addNode(_ entries: [(bytes: [UInt8], id: Int32)], _ range: Range<Int>, depth: Int) -> Int32 {
        let node = Int32(tokenIds.count)
        tokenIds.append(-1)
        edgeStart.append(Int32(edgeBytes.count))
        edgeCount.append(0)
        var lower = range.lowerBound
        if lower < range.upperBound, entries[lower].bytes.count == depth {
            tokenIds[Int(node)] = entries[lower].id
            lower += 1
        }
        var groups: [(byte: UInt8, range: Range<Int>)] = []
        while lower < range.upperBound {
            let byte = entries[lower].bytes[depth]
            var upper = lower + 1
            while upper < range.upperBound, entries[upper].bytes[depth] == byte { upper += 1 }
            groups.append((byte, lower..<upper))
            lower = upper
        }
        let first = edgeBytes.count
        edgeCount[Int(node)] = Int32(groups.count)
        edgeBytes.append(contentsOf: groups.map(\.byte))
        edgeTargets.append(contentsOf: repeatElement(-1, count: groups.count))
        for (offset, group) in groups.enumerated() {
            edgeTargets[first + offset] = addNode(entries, group.range, depth: depth + 1)
        }
        return node
    }

    /// The child of `node` along `byte`, or -1.
    @inline(__always)
    private func child(of node: Int32, byte: UInt8) -> Int32 {
        if node == 0 { return rootChildren[Int(byte)] }
        let start = Int(edgeStart[Int(node)]), end = start + Int(edgeCount[Int(node)])
        var low = start, high = end
        while low < high {
            let middle = (low + high) >> 1
            let found = edgeBytes[middle]
            if found == byte { return edgeTargets[middle] }
            if found < byte { low = middle + 1 } else { high = middle }
        }
        return -1
    }

    /// The longest token that `bytes[start...]` begins with: where it ends and its id; nil when none does.
    @inline(__always)
    func longestMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, id: Int32)? {
        var node: Int32 = 0
        var best: (end: Int, id: Int32)?
        var index = start
        while index < bytes.count {
            node = child(of: node, byte: bytes[index])
            if node < 0 { break }
            index += 1
            let id = tokenIds[Int(node)]
            if id >= 0 { best = (index, id) }
        }
        return best
    }
}
