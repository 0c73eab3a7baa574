import Foundation
import GraftDistributed

extension ProcessGroup {
    /// Joins the group of the worker `environment` describes: under Graft's launcher or a scheduler rank 0 starts the
    /// rendezvous store and the others connect; under torchrun every rank connects to the store torchrun's agent runs
    /// and keeps its keys under the restart attempt's prefix, as `init_process_group` does there.
    public convenience init(joining environment: DistributedEnvironment, timeout: TimeInterval = ProcessGroup.defaultTimeout) throws {
        switch environment.storeHost {
        case .rankZero:
            try self.init(masterAddress: environment.masterAddress, masterPort: environment.masterPort, rank: environment.rank,
                          worldSize: environment.worldSize, timeout: timeout)
        case .agent:
            let client = try RendezvousStore(host: environment.masterAddress, port: environment.masterPort, isServer: false,
                                             worldSize: environment.worldSize, timeout: timeout)
            let store = try environment.storeHost.keyPrefix.map(client.prefixed) ?? client
            try self.init(store: store, rank: environment.rank, worldSize: environment.worldSize, timeout: timeout)
        }
    }

    /// Joins the group of the worker this process's environment (or `environment`) describes, as torchrun,
    /// `graft train --nproc-per-node` or a scheduler set it (`DistributedEnvironment.fromEnvironment`); throws when
    /// the process is not such a worker.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       timeout: TimeInterval = ProcessGroup.defaultTimeout) throws -> ProcessGroup {
        guard let worker = try DistributedEnvironment.fromEnvironment(environment) else {
            throw TrainingError.invalidDistributedEnvironment(
                variable: DistributedEnvironment.Variable.rank,
                problem: "is not set (nor WORLD_SIZE): this process was not started as a worker of a distributed run")
        }
        return try ProcessGroup(joining: worker, timeout: timeout)
    }
}
