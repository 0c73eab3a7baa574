extension Engine {
    @TaskLocal private static var oneDNNLinearAllowed = true

    /// Whether large float32 `Linear` layers on the CPU may run on oneDNN's inner product (the default) instead of
    /// libtorch's BLAS `linear`. The two differ only in float rounding; see `withOneDNNLinear(_:_:)`.
    public static var isOneDNNLinearEnabled: Bool { oneDNNLinearAllowed }

    /// Runs `body` (in this task) with oneDNN's inner product for `Linear` layers allowed or not, then restores the
    /// previous setting — as `torch.backends.mkldnn.flags(enabled=False)` does in PyTorch. Turn it off to reproduce
    /// PyTorch's `linear` bit for bit, for example when comparing gradients that rounding differences are amplified in
    /// (through many training-mode batch norms), at two to five times the cost for large layers.
    public static func withOneDNNLinear<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
        try $oneDNNLinearAllowed.withValue(enabled) { try body() }
    }
}
