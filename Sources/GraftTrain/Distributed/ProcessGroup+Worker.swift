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
}
