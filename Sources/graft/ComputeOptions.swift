import ArgumentParser
import GraftTensor

extension Precision: ExpressibleByArgument {}

/// Where and in what precision `graft evaluate` and `graft predict` run the model.
struct ComputeOptions: ParsableArguments {
    @Option(help: "Where to run the model: cpu, cuda or cuda:N (CUDA needs a CUDA build of libtorch).")
    var device: String?
    @Option(help: "Precision of the forward pass: fp32, or automatic mixed precision in bf16 (CPU and CUDA) or fp16 (CUDA).")
    var precision: Precision = .fp32

    /// The parsed `--device` (default: the CPU).
    func parsedDevice() throws -> Device { try Self.device(device) }

    /// `text` as a device for the `--device` flag: cpu, cuda or cuda:N; the CPU when nil.
    static func device(_ text: String?) throws -> Device {
        guard let text else { return .cpu }
        guard let parsed = Device(text), parsed != .meta else {
            throw ValidationError("--device must be cpu, cuda or cuda:N (got '\(text)')")
        }
        return parsed
    }
}
