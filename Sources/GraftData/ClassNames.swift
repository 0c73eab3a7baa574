/// How label texts in a file (a CSV column, a JSON field) become class names and class indices, shared by every
/// labelled-file reader so images and texts name their classes alike.
public enum ClassNames {
    /// The classes of `labels` when none are given: numeric labels → "0"..."max"; otherwise the distinct names in
    /// byte order (Python's `sorted()`).
    public static func infer(_ labels: [String]) -> [String] {
        let numbers = labels.compactMap { Int($0) }
        if numbers.count == labels.count, let maximum = numbers.max(), numbers.allSatisfy({ $0 >= 0 }) {
            return (0...maximum).map(String.init)
        }
        return Set(labels).sorted(by: utf8Less)
    }

    /// Resolves label texts against a class list: a class name, or a class index written as a number.
    public struct Lookup: Sendable {
        /// The class list labels resolve against.
        public let classes: [String]
        private let index: [String: Int]

        /// A lookup for `classes` (the first of duplicate names wins).
        public init(classes: [String]) {
            self.classes = classes
            index = Dictionary(classes.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }

        /// The class index of `name`, or nil when it names no class.
        public func label(of name: String) -> Int? {
            index[name] ?? Int(name).flatMap { classes.indices.contains($0) ? $0 : nil }
        }

        /// The message for a label that names no class.
        public func unknownLabelReason(_ name: String) -> String {
            "unknown label `\(name)` (classes: \(classes.prefix(20).joined(separator: ", "))\(classes.count > 20 ? ", …" : ""))"
        }
    }
}
