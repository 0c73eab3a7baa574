import CTorch

extension Tensor {
    /// Whether operations on this tensor are recorded for differentiation.
    public var requiresGrad: Bool { gt_requires_grad(handle) != 0 }

    /// Turns gradient recording on or off for this leaf tensor; returns self for chaining.
    @discardableResult
    public func requiresGrad_(_ flag: Bool = true) throws -> Tensor {
        try Tensor.check("requiresGrad_", [self]) { gt_set_requires_grad(handle, flag ? 1 : 0) }
        return self
    }

    /// Back-propagates from this tensor; `gradient` is required unless the tensor has one element.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        try Tensor.check("backward", [self] + (gradient.map { [$0] } ?? [])) {
            gt_backward(handle, gradient?.handle, retainGraph ? 1 : 0)
        }
    }

    /// The accumulated gradient, or nil when none has been computed (or it was cleared).
    public var grad: Tensor? {
        var out: gt_tensor?
        guard gt_grad(handle, &out) == 0, let g = out else { return nil }
        return Tensor(owning: g)
    }

    /// Replaces the accumulated gradient.
    public func setGrad(_ gradient: Tensor) throws {
        try Tensor.check("setGrad", [self, gradient]) { gt_set_grad(handle, gradient.handle) }
    }

    /// Drops the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func clearGrad() throws {
        try Tensor.check("clearGrad", [self]) { gt_clear_grad(handle) }
    }
}

/// Runs `body` with gradient recording off on this thread (PyTorch's `torch.no_grad()`), then restores it.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try withGradEnabled(false, body)
}

/// Runs `body` with gradient recording set to `enabled` on this thread, then restores the previous setting.
public func withGradEnabled<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
    let previous = gt_set_grad_enabled(enabled ? 1 : 0)
    defer { _ = gt_set_grad_enabled(previous) }
    return try body()
}

/// Whether gradient recording is on for this thread.
public var isGradEnabled: Bool { gt_is_grad_enabled() != 0 }
