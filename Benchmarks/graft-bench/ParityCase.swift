import ArgumentParser
import Foundation
import GraftModels
import GraftNN
import GraftTensor

/// `parity`: a registry model's eval logits and train-mode gradients on a CUDA device against the CPU's, in float32
/// and under autocast, as the GPU check's correctness step (a machine without Swift cannot run the unit tests).
struct ParityCase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parity",
        abstract: "Compare a model's logits and gradients on a CUDA device with the CPU's; one JSON line per model and precision.",
        discussion: """
            Errors are the largest absolute difference divided by the largest absolute CPU value (per parameter for \
            gradients, the worst one reported). Train mode uses batch statistics in every batch norm but leaves dropout \
            and stochastic depth off, so the devices' different random streams do not matter. Exits non-zero when a \
            comparison exceeds its tolerance or the device is unavailable.
            """)

    @Option(parsing: .upToNextOption, help: "Registry models to compare.")
    var model = ["resnet18", "efficientnet_lite0"]

    @Option(parsing: .upToNextOption, help: "Precisions to compare in.")
    var precision: [Precision] = [.fp32, .bf16]

    @Option(help: "Image height and width in pixels.")
    var size = 64

    @Option(help: "Images per batch.")
    var batch = 2

    @Option(help: "The device compared with the CPU: cuda or cuda:N (cpu compares the CPU with itself, a smoke test whose errors must be 0).")
    var device = Device.cuda(0)

    @Option(help: "Seed for weights and inputs.")
    var seed: UInt64 = 0

    @Flag(help: "Let float32 CUDA convolutions and products run in TensorFloat-32 (libtorch's default for convolutions); off, float32 is compared with float32.")
    var tf32 = false

    func validate() throws {
        guard size >= 32, batch >= 2 else { throw ValidationError("--size must be ≥ 32 and --batch ≥ 2 (batch statistics need two images)") }
    }

    /// The tolerance on the relative error for `precision`: float32 rounding of different kernels, or bfloat16's
    /// 8-bit mantissa (float16's 11 bits fit in it too).
    static func tolerance(_ precision: Precision) -> Double { precision == .fp32 ? 1e-4 : 3e-2 }

    func run() throws {
        _ = try Tensor.zeros([1], device: device)  // an unavailable device fails here, with libtorch's reason
        Engine.allowsTF32 = tf32
        var allPassed = true
        for name in model {
            Engine.manualSeed(seed)
            let network = try Models.make(name, numClasses: 1000)
            let images = try Tensor.randn([batch, 3, size, size])
            let labels = try Tensor.randint(low: 0, high: 1000, [batch])
            for precision in precision {
                let tolerance = Self.tolerance(precision)
                var line: [String: Any] = [
                    "case": "parity", "engine": "graft", "model": name, "precision": precision.rawValue, "device": device.description,
                    "size": size, "batch": batch, "tolerance": tolerance, "tf32": tf32,
                ]
                do {
                    let errors = try ParityRun(network: network, images: images, labels: labels, precision: precision).errors(on: device)
                    let passed = errors.logits <= tolerance && errors.gradient <= tolerance
                    line.merge(["logits_rel_error": errors.logits, "gradient_rel_error": errors.gradient,
                                "worst_gradient": errors.worstParameter, "gradients": errors.gradients, "pass": passed]) { $1 }
                } catch {
                    line.merge(["error": "\(error)", "pass": false]) { $1 }  // reported; the other comparisons still run
                }
                allPassed = allPassed && line["pass"] as? Bool == true
                print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
            }
        }
        if !allPassed { throw ExitCode.failure }
    }
}

/// One model, batch and precision, evaluated on either device; the model is moved there and back to the CPU.
private struct ParityRun {
    let network: ImageClassifier, images: Tensor, labels: Tensor, precision: Precision

    /// The relative errors on `device` against the CPU: eval logits, and the worst parameter's gradient.
    func errors(on device: Device) throws -> (logits: Double, gradient: Double, worstParameter: String, gradients: Int) {
        let logitsError = try relativeError(logits(on: device), logits(on: .cpu))
        let cpuGradients = try gradients(on: .cpu), deviceGradients = try gradients(on: device)
        var worst = (name: "", error: -1.0)
        for (parameter, expected) in cpuGradients.sorted(by: { $0.key < $1.key }) {
            guard let actual = deviceGradients[parameter] else {
                throw ValidationError("\(parameter) has a gradient on the CPU but none on \(device)")
            }
            let error = try relativeError(actual, expected)
            if !worst.error.isNaN, !(error <= worst.error) { worst = (parameter, error) }  // a NaN stays the worst
        }
        return (logitsError, worst.error, worst.name, cpuGradients.count)
    }

    /// max |actual − expected| / max |expected|, both brought to the CPU in float32 (NaN when either holds a NaN).
    private func relativeError(_ actual: Tensor, _ expected: Tensor) throws -> Double {
        let (a, e) = (try actual.to(.float32, device: .cpu), try expected.to(.float32, device: .cpu))
        let scale = try e.abs().max().item()
        return try (a - e).abs().max().item() / (scale > 0 ? scale : 1)
    }

    /// Eval-mode logits without gradients.
    private func logits(on device: Device) throws -> Tensor {
        try onDevice(device) {
            network.eval()
            return try withNoGrad { try withPrecision(precision, on: device) { try network(images.to(device: device)) } }
        }
    }

    /// Every parameter's gradient of the cross-entropy after one train-mode forward (batch norms in train mode only).
    private func gradients(on device: Device) throws -> [String: Tensor] {
        try onDevice(device) {
            network.eval()
            for case let (_, norm as BatchNorm2d) in network.namedModules() { norm.train() }
            for (_, parameter) in network.namedParameters() { try parameter.clearGrad() }
            let loss = try withPrecision(precision, on: device) {
                try network(images.to(device: device)).crossEntropy(targets: labels.to(device: device))
            }
            try loss.backward()
            var gradients: [String: Tensor] = [:]
            for (name, parameter) in network.namedParameters() { gradients[name] = try parameter.grad?.to(device: .cpu) }
            return gradients
        }
    }

    /// `body` with the network moved to `device`, then back on the CPU.
    private func onDevice<R>(_ device: Device, _ body: () throws -> R) throws -> R {
        try network.to(device)
        defer { try? network.to(.cpu) }
        return try body()
    }
}
