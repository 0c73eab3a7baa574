import GraftTensor

extension Module {
    /// Moves every parameter and buffer of this module and its descendants, with their gradients, to `device` in place,
    /// like PyTorch's `model.to(device)`: the same `Tensor` objects then live on `device`, so optimizers built before
    /// the move keep updating them, and `requiresGrad` is kept. Everything is copied before anything is swapped, so an
    /// unavailable device or a failed copy throws with the module unchanged.
    public func to(_ device: Device) throws {
        try convertInPlace { try $0.to(device: device) }
    }

    /// Converts every floating-point parameter and buffer (with their gradients) to `dtype` in place, like PyTorch's
    /// `model.to(dtype)`; integer buffers such as `num_batches_tracked` keep their type.
    public func to(_ dtype: DType) throws {
        guard dtype.isFloatingPoint else {
            throw NNError.invalidConfiguration("Module.to(\(dtype)): parameters need a floating-point dtype")
        }
        try convertInPlace { $0.dtype.isFloatingPoint ? try $0.to(dtype) : nil }
    }

    /// The device of this module's parameters and buffers (`.cpu` for a module without any, which computes wherever its
    /// input lives); throws `NNError.splitAcrossDevices` when they are on several devices.
    public var device: Device {
        get throws {
            var examples: [(device: Device, name: String)] = []
            for (name, tensor) in stateDict() where !examples.contains(where: { $0.device == tensor.device }) {
                examples.append((tensor.device, name))
            }
            guard examples.count <= 1 else { throw NNError.splitAcrossDevices(examples) }
            return examples.first?.device ?? .cpu
        }
    }

    /// Replaces the data of every distinct parameter and buffer (and its gradient) by `convert`'s result, skipping
    /// those it returns nil for.
    private func convertInPlace(_ convert: (Tensor) throws -> Tensor?) throws {
        var seen = Set<ObjectIdentifier>()
        let tensors = stateDict().map(\.1).filter { seen.insert(ObjectIdentifier($0)).inserted }
        try withNoGrad {
            let converted = try tensors.map { tensor in (tensor, try convert(tensor), try tensor.grad.flatMap(convert)) }
            for case let (tensor, data?, grad) in converted {
                try tensor.setData(data)
                if let grad { try tensor.setGrad(grad) }
            }
        }
    }
}
