/// A loaded checkpoint: the weights plus whatever else the file carried.
public struct Checkpoint: Sendable {
    /// The container format the file used.
    public enum Format: String, Sendable {
        case torchZip = "PyTorch zip"
        case torchLegacy = "PyTorch legacy"
        case safetensors = "safetensors"
    }

    /// The container format the file used.
    public var format: Format
    /// The weights, in file order.
    public var stateDict: StateDict
    /// Non-tensor entries next to the weights (e.g. `epoch`), in file order; empty for safetensors.
    public var extras: [PickleEntry]
    /// The safetensors `__metadata__` map in file order; empty for PyTorch files.
    public var metadata: [(key: String, value: String)]

    /// Creates a checkpoint value.
    public init(format: Format, stateDict: StateDict, extras: [PickleEntry] = [], metadata: [(key: String, value: String)] = []) {
        self.format = format
        self.stateDict = stateDict
        self.extras = extras
        self.metadata = metadata
    }
}
