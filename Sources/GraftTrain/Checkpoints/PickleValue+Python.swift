import GraftIO

extension PickleValue {
    /// An int, a float or a bool as a number (Python's bools are ints), nil for anything else.
    var pythonNumber: Double? {
        switch self {
        case .int(let number): return Double(number)
        case .float(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        default: return nil
        }
    }

    /// Short text for messages, as Python prints scalars and containers of scalars.
    var pythonDescription: String {
        switch self {
        case .none: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .float(let number): return String(number)
        case .string(let text): return "'\(text)'"
        case .tuple(let items): return "(" + items.map(\.pythonDescription).joined(separator: ", ") + ")"
        case .list(let items): return "[" + items.map(\.pythonDescription).joined(separator: ", ") + "]"
        case .dict, .orderedDict: return "a dict"
        case .tensor(let tensor): return "a tensor of shape \(tensor.shape)"
        default: return "an unsupported value"
        }
    }
}
