import ArgumentParser
import Foundation
import GraftDistributed
import GraftModels
import GraftTensor
import GraftTrain

/// `allreduce`: averaging a model's gradients over ranks on this machine (loopback TCP, Gloo), as `DataParallel` does
/// after each backward: DDP's buckets (1 MiB first, then `--bucket-mib`), each divided by the world size and summed in
/// one allreduce. Started without torchrun's variables, the case launches `--world-size` copies of itself as worker
/// processes (`WorkerLauncher`, a free port) and prints rank 0's result line; each worker uses one intra-op thread.
struct AllReduceCase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allreduce", abstract: "Time averaging a model's gradients over ranks (processes) on loopback, by bucket size.")

    @Option(help: "Registry model whose parameter shapes the gradients take.")
    var model = "resnet50"

    @Option(help: "Ranks: worker processes this case starts.")
    var worldSize = 2

    @Option(help: "Bucket cap in MiB (DDP's bucket_cap_mb); the first bucket is 1 MiB, as in DDP.")
    var bucketMib = 25.0

    @Option(help: "Untimed warm-up averagings before timing.")
    var warmup = 2

    @Option(help: "Timed averagings; the median is reported.")
    var repeats = 10

    mutating func validate() throws {
        guard worldSize >= 2, bucketMib > 0, warmup >= 0, repeats >= 1 else {
            throw ValidationError("--world-size must be ≥ 2, --bucket-mib > 0, --warmup ≥ 0 and --repeats ≥ 1")
        }
    }

    func run() throws {
        if let worker = try DistributedEnvironment.fromEnvironment() {
            try measure(as: worker)
        } else {
            try launchWorkers()
        }
    }

    /// Starts the workers and passes rank 0's standard output on unprefixed (the result line); everything else goes
    /// to standard error with its rank.
    private func launchWorkers() throws {
        let plan = try DistributedLaunch(processesPerNode: worldSize, masterPort: 0).plan()
        let launcher = WorkerLauncher(plan: plan, arguments: Array(CommandLine.arguments.dropFirst())) { line in
            if line.rank == 0 && line.stream == .output {
                print(line.text)
            } else {
                WorkerOutputLine.writeToStandardStreams(WorkerOutputLine(rank: line.rank, stream: .error, text: line.text))
            }
        }
        try launcher.run()
    }

    /// One rank: joins the group, makes random gradients shaped like the model's parameters and times their averaging.
    private func measure(as worker: DistributedEnvironment) throws {
        Engine.cacheTensorMemory()
        Engine.threads = 1
        Engine.manualSeed(UInt64(worker.rank))
        let group = try ProcessGroup(joining: worker)
        let gradients = try Models.make(model).parameters().map { try Tensor.randn($0.shape) }
        let buckets = try GradientBuckets(for: gradients, capBytes: Int(bucketMib * 1024 * 1024))
        let runs = try (0..<(warmup + repeats)).map { _ in
            try group.barrier()  // every rank starts together, so a rank's time is the exchange, not waiting for the others
            let wallStart = DispatchTime.now().uptimeNanoseconds, cpuStart = Measurement.processCPUSeconds()
            try withNoGrad { try group.averageGradients(gradients, buckets: buckets) }
            return Measurement.Run(wall: Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9,
                                   cpu: Measurement.processCPUSeconds() - cpuStart)
        }.dropFirst(warmup)
        guard worker.rank == 0 else { return }
        let bytes = gradients.reduce(0) { $0 + $1.count * $1.dtype.elementSize }
        let median = Measurement.median(runs.map(\.wall))
        let parameters: [String: Any] = [
            "model": model, "world_size": worldSize, "bucket_mib": bucketMib, "buckets": buckets.indices.count,
            "tensors": gradients.count, "bytes": bytes, "warmup": warmup, "repeats": repeats,
            "algorithm_gb_per_s": Double(bytes) / median / 1e9,
            "bus_gb_per_s": Double(bytes) * 2 * Double(worldSize - 1) / Double(worldSize) / median / 1e9,
        ]
        try ResultLine(benchmark: "allreduce", parameters: parameters, runs: Array(runs), imagesPerRepetition: nil).print()
    }
}
