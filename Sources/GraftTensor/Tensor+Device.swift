import CTorch

extension Tensor {
    /// Throws `TensorError.deviceMismatch` naming the op, the shapes and the devices unless the operands share one
    /// device. Zero-dimensional CPU tensors may join any device, as libtorch treats them like numbers. Checked here
    /// rather than left to libtorch: some of its ops do not check (`linear`, `matmul` and `cat` take a CPU and a `meta`
    /// tensor and return a `meta` result), and its own message names neither the op nor the shapes.
    static func requireOneDevice(_ op: String, _ operands: [Tensor]) throws {
        guard operands.count > 1 else { return }
        var common: Device?
        for operand in operands {  // no allocation on this path, which every op with several operands takes
            let device = operand.device
            if device == .cpu && operand.rank == 0 { continue }
            guard let first = common else { common = device; continue }
            if device != first {
                throw TensorError.deviceMismatch(op: op, operands: operands.map(\.shape), devices: operands.map(\.device))
            }
        }
    }

    /// Makes this tensor hold `data` in place, like PyTorch's `param.data = data`: this same object (and everything
    /// holding it, such as an optimizer's parameter groups) then has `data`'s device, dtype and values; `requiresGrad`
    /// is kept and an accumulated gradient is left for the caller to convert. For `Module.to`.
    package func setData(_ data: Tensor) throws {
        try Tensor.check("setData", [self, data], acrossDevices: true) { gt_set_data(handle, data.handle) }
    }
}
