import Foundation

/// Where and as which rank a process joins a group, checked: the values torchrun gives each worker as `MASTER_ADDR`,
/// `MASTER_PORT`, `RANK`, `WORLD_SIZE`, `LOCAL_RANK` and `LOCAL_WORLD_SIZE` (GraftTrain's `DistributedEnvironment`
/// reads them from the environment).
public struct Rendezvous: Sendable, Equatable {
    /// Host name or address of rank 0, which runs the rendezvous store.
    public let masterAddress: String
    /// The store's port on rank 0.
    public let masterPort: Int
    /// This process's rank, 0..<worldSize.
    public let rank: Int
    /// The number of processes in the group, over all nodes.
    public let worldSize: Int
    /// This process's rank among those on its node, 0..<localWorldSize.
    public let localRank: Int
    /// The number of processes on this node.
    public let localWorldSize: Int

    /// Checks the values; every error names the offending parameter. The local rank and size default to one process
    /// per node.
    public init(masterAddress: String, masterPort: Int, rank: Int, worldSize: Int, localRank: Int = 0, localWorldSize: Int = 1) throws {
        try SettingChecks.address(masterAddress, name: "masterAddress")
        try SettingChecks.port(masterPort, name: "masterPort")
        try SettingChecks.worldSize(worldSize, name: "worldSize")
        try SettingChecks.rank(rank, of: worldSize, name: "rank", sizeName: "worldSize")
        guard 1...worldSize ~= localWorldSize else {
            throw DistributedError.invalidSetting(name: "localWorldSize", message: "must be 1-\(worldSize) (worldSize); got \(localWorldSize)")
        }
        try SettingChecks.rank(localRank, of: localWorldSize, name: "localRank", sizeName: "localWorldSize")
        self.masterAddress = masterAddress
        self.masterPort = masterPort
        self.rank = rank
        self.worldSize = worldSize
        self.localRank = localRank
        self.localWorldSize = localWorldSize
    }
}
