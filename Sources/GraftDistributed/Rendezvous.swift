import Foundation

/// Where and as which rank a process joins a group: torchrun's rendezvous variables, checked.
///
/// torchrun (and `graft train --nproc-per-node`) sets `MASTER_ADDR`, `MASTER_PORT`, `RANK`, `WORLD_SIZE`, `LOCAL_RANK`
/// and `LOCAL_WORLD_SIZE` in each worker's environment; ``fromEnvironment(_:)`` reads them as PyTorch's `env://`
/// rendezvous does.
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
        try Self.check(masterAddress: masterAddress, masterPort: masterPort, rank: rank, worldSize: worldSize,
                       localRank: localRank, localWorldSize: localWorldSize, names: Names.parameters)
        self.init(checked: masterAddress, masterPort, rank, worldSize, localRank, localWorldSize)
    }

    private init(checked masterAddress: String, _ masterPort: Int, _ rank: Int, _ worldSize: Int, _ localRank: Int, _ localWorldSize: Int) {
        self.masterAddress = masterAddress
        self.masterPort = masterPort
        self.rank = rank
        self.worldSize = worldSize
        self.localRank = localRank
        self.localWorldSize = localWorldSize
    }

    /// Reads torchrun's variables from `environment`. `MASTER_ADDR`, `MASTER_PORT`, `RANK` and `WORLD_SIZE` are
    /// required; `LOCAL_RANK` and `LOCAL_WORLD_SIZE` go together and, when both are absent, mean one process per node.
    /// Errors name the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Rendezvous {
        func text(_ name: String) throws -> String {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw DistributedError.invalidSetting(name: name, message: "not set; torchrun sets MASTER_ADDR, MASTER_PORT, RANK and WORLD_SIZE for every worker")
            }
            return value
        }
        func number(_ name: String) throws -> Int {
            let value = try text(name)
            guard let number = Int(value) else {
                throw DistributedError.invalidSetting(name: name, message: "must be a whole number; got '\(value)'")
            }
            return number
        }
        let hasLocalRank = environment["LOCAL_RANK"] != nil, hasLocalSize = environment["LOCAL_WORLD_SIZE"] != nil
        if hasLocalRank != hasLocalSize {
            let missing = hasLocalRank ? "LOCAL_WORLD_SIZE" : "LOCAL_RANK"
            throw DistributedError.invalidSetting(name: missing, message: "not set, while \(hasLocalRank ? "LOCAL_RANK" : "LOCAL_WORLD_SIZE") is; set both or neither")
        }
        let address = try text("MASTER_ADDR"), port = try number("MASTER_PORT")
        let rank = try number("RANK"), worldSize = try number("WORLD_SIZE")
        let localRank = hasLocalRank ? try number("LOCAL_RANK") : 0
        let localWorldSize = hasLocalSize ? try number("LOCAL_WORLD_SIZE") : 1
        try check(masterAddress: address, masterPort: port, rank: rank, worldSize: worldSize,
                  localRank: localRank, localWorldSize: localWorldSize, names: Names.environment)
        return Rendezvous(checked: address, port, rank, worldSize, localRank, localWorldSize)
    }

    /// What each value is called where it came from, for the error messages.
    private struct Names {
        let address, port, rank, worldSize, localRank, localWorldSize: String
        static let parameters = Names(address: "masterAddress", port: "masterPort", rank: "rank", worldSize: "worldSize",
                                      localRank: "localRank", localWorldSize: "localWorldSize")
        static let environment = Names(address: "MASTER_ADDR", port: "MASTER_PORT", rank: "RANK", worldSize: "WORLD_SIZE",
                                       localRank: "LOCAL_RANK", localWorldSize: "LOCAL_WORLD_SIZE")
    }

    private static func check(masterAddress: String, masterPort: Int, rank: Int, worldSize: Int, localRank: Int,
                              localWorldSize: Int, names: Names) throws {
        try SettingChecks.address(masterAddress, name: names.address)
        try SettingChecks.port(masterPort, name: names.port)
        try SettingChecks.worldSize(worldSize, name: names.worldSize)
        try SettingChecks.rank(rank, of: worldSize, name: names.rank, sizeName: names.worldSize)
        guard 1...worldSize ~= localWorldSize else {
            throw DistributedError.invalidSetting(name: names.localWorldSize,
                                                  message: "must be 1-\(worldSize) (\(names.worldSize)); got \(localWorldSize)")
        }
        try SettingChecks.rank(localRank, of: localWorldSize, name: names.localRank, sizeName: names.localWorldSize)
    }
}
