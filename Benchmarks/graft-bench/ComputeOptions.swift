import ArgumentParser
import GraftTensor

extension Precision: ExpressibleByArgument {}

extension Device: ExpressibleByArgument {
    /// PyTorch's spellings `cpu`, `cuda` and `cuda:N` (not `meta`, which has no values to time or compare).
    public init?(argument: String) {
        guard let device = Device(argument), device != .meta else { return nil }
        self = device
    }
}

/// Where and in what precision a model case computes: `--device` and `--precision`.
struct ComputeOptions: ParsableArguments {
    @Option(help: "Where the model and its inputs live: cpu, cuda or cuda:N (CUDA needs a CUDA build of libtorch).")
    var device = Device.cpu

    @Option(help: "Forward-pass precision: fp32, or autocast to bf16 (CPU and CUDA) or fp16 (CUDA; training scales the loss with GradientScaler).")
    var precision = Precision.fp32

    /// Runs `body` under autocast in `precision` on `device` (as it is for fp32).
    func forward<R>(_ body: () throws -> R) throws -> R { try withPrecision(precision, on: device, body) }

    /// Parameters every result line of a case with these options carries.
    var reported: [String: Any] { ["device": device.description, "precision": precision.rawValue] }
}
