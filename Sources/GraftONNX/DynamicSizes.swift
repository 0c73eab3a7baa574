import GraftTensor

/// The sizes that may change between runs of an exported graph (the batch, a text's length, their product, and whole
/// multiples of these), as seen in the two traces, and the graph values (1-D int64, one element) that hold them at run time.
struct DynamicSizes {
    /// One dynamic size: its value in the first and in the second trace, and how the graph computes it.
    struct Size {
        let name: String
        let first: Int
        let second: Int
        let compute: (inout GraphBuilder) -> String
    }

    private let sizes: [Size]
    private var computed: [String: String] = [:]

    init(_ sizes: [Size]) {
        self.sizes = sizes
    }

    /// The graph value holding the size that was `first` in the first trace and `second` in the second: a dynamic
    /// size, or a whole multiple of one (Swin's batch × windows), if either fits.
    mutating func value(first: Int, second: Int, in graph: inout GraphBuilder) -> String? {
        if let size = sizes.first(where: { $0.first == first && $0.second == second }) {
            if let name = computed[size.name] { return name }
            let name = size.compute(&graph)
            computed[size.name] = name
            return name
        }
        guard let size = sizes.first(where: { $0.first > 0 && first % $0.first == 0 && second == first / $0.first * $0.second }),
              let base = value(first: size.first, second: size.second, in: &graph) else { return nil }
        let key = "\(size.name) × \(first / size.first)"
        if let name = computed[key] { return name }
        let name = graph.node("Mul", [base, graph.int64s([first / size.first])])
        computed[key] = name
        return name
    }

    /// Dimension `axis` of graph value `source`, as a 1-D int64 value of one element.
    static func dimension(_ axis: Int, of source: String, in graph: inout GraphBuilder) -> String {
        let shape = graph.node("Shape", [source])
        return graph.node("Slice", [shape, graph.int64s([axis]), graph.int64s([axis + 1]), graph.int64s([0])])
    }
}
