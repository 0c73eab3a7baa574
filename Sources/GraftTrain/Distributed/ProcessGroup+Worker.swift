import Foundation
import GraftDistributed

extension ProcessGroup {
    /// Joins the group of the worker `environment` describes: under Graft's launcher or a scheduler rank 0 starts the
    /// rendezvous store and the others connect; under torchrun every rank connects to the store torchrun's agent runs
    /// and keeps its keys under the restart attempt's prefix, as `init_process_group` does there. Before joining, the
    /// ranks check through the store that they were all given the same `WORLD_SIZE` (every rank is a Graft worker).
    public convenience init(joining environment: DistributedEnvironment, timeout: TimeInterval = ProcessGroup.defaultTimeout) throws {
        let hostsStore = environment.storeHost == .rankZero && environment.isRankZero
        let connection = try RendezvousStore(host: environment.masterAddress, port: environment.masterPort, isServer: hostsStore,
                                             worldSize: environment.worldSize, timeout: timeout)
        let store = try environment.storeHost.keyPrefix.map(connection.prefixed) ?? connection
        try store.checkWorldSize(rank: environment.rank, worldSize: environment.worldSize)
        try self.init(store: store, rank: environment.rank, worldSize: environment.worldSize, timeout: timeout)
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
