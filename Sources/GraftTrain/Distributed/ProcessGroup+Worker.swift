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
}
