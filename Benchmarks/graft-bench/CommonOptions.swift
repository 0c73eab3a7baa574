import ArgumentParser
import GraftNN
import GraftTensor

/// Options every case shares: thread count, repetitions and batch size.
struct CommonOptions: ParsableArguments {
    @Option(help: "libtorch intra-op threads (Engine.threads); 0 keeps libtorch's default.")
    var threads = 0

    @Option(help: "Untimed warm-up runs before timing.")
    var warmup = 1

    @Option(help: "Timed repetitions; the median is reported.")
    var repeats = 3

    @Option(help: "Images per batch.")
    var batch = 32

    @Option(help: "Seed for weights and inputs.")
    var seed: UInt64 = 0

    @Flag(help: "Keep libtorch's default allocator, which returns freed tensor memory to the system (no Engine.cacheTensorMemory).")
    var defaultAllocator = false

    @Option(help: "After timing, run once more under libtorch's profiler and write its Chrome trace to this file (scripts/profile_summary reads it).")
    var profile: String?

    @Flag(inversion: .prefixedNo, help: "Fold batch norms into the preceding convolutions where that is exact (inference, frozen layers).")
    var foldBatchNorm = true

    mutating func validate() throws {
        guard threads >= 0, warmup >= 0, repeats >= 1, batch >= 1 else {
            throw ValidationError("--threads and --warmup must be ≥ 0, --repeats and --batch ≥ 1")
        }
    }

    /// Applies the thread count and seed to the engine; call before building anything.
    func configureEngine() {
        if !defaultAllocator { Engine.cacheTensorMemory() }
        if threads > 0 { Engine.threads = threads }
        Engine.manualSeed(seed)
    }

    /// `Measurement.runs` with this case's warm-up and repetitions, then one profiled run when `--profile` asks.
    func timedRuns(_ body: () throws -> Void) throws -> [Measurement.Run] {
        let runs = try Measurement.runs(warmup: warmup, repeats: repeats, body)
        if let profile { try Engine.recordProfile(to: profile, body) }
        return runs
    }

    /// Applies the model-level switches to a model the case built.
    func configure(_ model: Module) { model.setBatchNormFolding(foldBatchNorm) }

    /// Parameters every result line carries.
    var reported: [String: Any] { ["batch": batch, "warmup": warmup, "repeats": repeats, "cache_tensor_memory": !defaultAllocator,
                                 "fold_batch_norm": foldBatchNorm] }
}
