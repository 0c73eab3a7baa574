import ArgumentParser
import Foundation
import GraftTrain

/// `graft launch`: run any program as this node's workers of a distributed run, as torchrun does.
struct LaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Run a program as the workers of a distributed run, as torchrun does (e.g. a Swift program using Graft's process group).",
        discussion: """
        Starts --nproc-per-node copies of the program given after --, each with torchrun's variables MASTER_ADDR, \
        MASTER_PORT, RANK (node rank × N + local rank), WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE and GROUP_RANK, and \
        OMP_NUM_THREADS = cores / N when N > 1 and it is not set. Every line a worker prints is shown prefixed \
        "[rank K] ". SIGINT, SIGTERM and SIGHUP are passed on to the workers; when one worker fails the others get \
        SIGTERM, then SIGKILL after --grace-period, and graft exits with the failed worker's status. \
        `graft train --nproc-per-node N` launches its own workers; this command is for other programs.
        """)

    @OptionGroup var launch: LaunchOptions
    @Option(help: "Seconds stopped workers get between SIGTERM and SIGKILL.")
    var gracePeriod: Double = 30
    @Argument(parsing: .postTerminator, help: "The program and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("give the program to launch after --, e.g. graft launch --nproc-per-node 2 -- ./train") }
        guard gracePeriod >= 0, gracePeriod.isFinite else { throw ValidationError("--grace-period must be a number of seconds ≥ 0 (got \(gracePeriod))") }
    }

    func run() throws {
        if let worker = try DistributedEnvironment.fromEnvironment() {
            throw ValidationError("this process is already a worker of a distributed run (\(worker.summary)); graft launch would replace its RANK and WORLD_SIZE: run the program directly, or unset RANK and WORLD_SIZE")
        }
        let plan = try launch.settings().plan()
        try WorkerLauncher(plan: plan, executable: try Self.program(command[0]), arguments: Array(command.dropFirst()),
                           gracePeriod: gracePeriod).run()
    }

    /// `name` as a path when it contains a slash, else the first executable of that name on PATH.
    static func program(_ name: String) throws -> URL {
        let directories = name.contains("/") ? [""] : (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for directory in directories {
            let path = directory.isEmpty ? name : directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
        }
        throw ValidationError("graft launch: '\(name)' is not an executable file\(name.contains("/") ? "" : " on PATH")")
    }
}
