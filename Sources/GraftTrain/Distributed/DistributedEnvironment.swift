import Foundation

/// One worker's place in a distributed run, as torchrun describes it in the environment: where rank 0's store listens
/// (`MASTER_ADDR`, `MASTER_PORT`), this process's global and local rank and the sizes of the world and of its node.
/// `graft train --nproc-per-node`, torchrun and cluster schedulers set these variables; a process that finds them is a
/// worker and launches nothing itself.
public struct DistributedEnvironment: Equatable, Sendable {
    /// The variable names, torchrun's.
    public enum Variable {
        /// Host name or address of the process that runs rank 0's store.
        public static let masterAddress = "MASTER_ADDR"
        /// TCP port of rank 0's store.
        public static let masterPort = "MASTER_PORT"
        /// Global rank, 0 ..< WORLD_SIZE.
        public static let rank = "RANK"
        /// Number of processes in the run.
        public static let worldSize = "WORLD_SIZE"
        /// Rank among the processes on this node.
        public static let localRank = "LOCAL_RANK"
        /// Number of processes on this node.
        public static let localWorldSize = "LOCAL_WORLD_SIZE"
        /// The node's rank (torchrun's name: the rank of this node's worker group).
        public static let nodeRank = "GROUP_RANK"
        /// "True" when torchrun's agent on node 0 hosts the store (torchrun sets it; Graft's launcher does not).
        public static let agentStore = "TORCHELASTIC_USE_AGENT_STORE"
        /// How many times torchrun has restarted the workers; names the agent store's key prefix.
        public static let restartCount = "TORCHELASTIC_RESTART_COUNT"
    }

    /// Who runs the TCP store at `masterAddress:masterPort`, which decides whether rank 0 starts it.
    public enum StoreHost: Equatable, Sendable {
        /// Rank 0 starts the store (as server) and every other rank connects to it: `graft train --nproc-per-node`,
        /// schedulers, and PyTorch's `init_process_group` outside torchrun.
        case rankZero
        /// torchrun's agent already runs it: every rank connects as a client and keeps its keys under `keyPrefix`,
        /// as PyTorch's `init_process_group` does under torchrun.
        case agent(restartCount: Int)

        /// The prefix of every key a worker writes to the store: "/worker/attempt_N" under torchrun's agent, none otherwise.
        public var keyPrefix: String? {
            if case .agent(let restartCount) = self { return "/worker/attempt_\(restartCount)" }
            return nil
        }
    }

    /// Host name or address of rank 0's store.
    public var masterAddress: String
    /// TCP port of rank 0's store (1 ... 65535).
    public var masterPort: Int
    /// This process's global rank, 0 ..< `worldSize`.
    public var rank: Int
    /// Number of processes in the run.
    public var worldSize: Int
    /// This process's rank on its node, 0 ..< `localWorldSize`.
    public var localRank: Int
    /// Number of processes on this node.
    public var localWorldSize: Int
    /// The node's rank.
    public var nodeRank: Int
    /// Who runs the store.
    public var storeHost: StoreHost

    /// A worker's description; `validate()` checks it.
    public init(masterAddress: String, masterPort: Int, rank: Int, worldSize: Int, localRank: Int, localWorldSize: Int, nodeRank: Int,
                storeHost: StoreHost = .rankZero) {
        self.masterAddress = masterAddress
        self.masterPort = masterPort
        self.rank = rank
        self.worldSize = worldSize
        self.localRank = localRank
        self.localWorldSize = localWorldSize
        self.nodeRank = nodeRank
        self.storeHost = storeHost
    }

    /// Whether this is rank 0, the process that hosts the store and, by convention, alone writes files and logs.
    public var isRankZero: Bool { rank == 0 }

    /// The worker described by `environment` (the process's own by default), or nil when neither `RANK` nor
    /// `WORLD_SIZE` is set (not a worker). `RANK`, `WORLD_SIZE`, `MASTER_ADDR` and `MASTER_PORT` are required;
    /// without `LOCAL_RANK` / `LOCAL_WORLD_SIZE` the process is taken to be alone on its node (0 and 1), and without
    /// `GROUP_RANK` the node rank is `RANK / LOCAL_WORLD_SIZE`; `TORCHELASTIC_USE_AGENT_STORE=True` (with
    /// `TORCHELASTIC_RESTART_COUNT`) means torchrun's agent hosts the store. Throws `TrainingError.invalidDistributedEnvironment`
    /// naming the variable that is missing, not a number, or inconsistent.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DistributedEnvironment? {
        guard environment[Variable.rank] != nil || environment[Variable.worldSize] != nil else { return nil }
        func integer(_ name: String, default fallback: Int? = nil) throws -> Int {
            guard let text = environment[name] else {
                if let fallback { return fallback }
                throw TrainingError.invalidDistributedEnvironment(
                    variable: name, problem: "is not set, but RANK or WORLD_SIZE is, so this process is a worker of a distributed run, which needs RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT")
            }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw TrainingError.invalidDistributedEnvironment(variable: name, problem: "must be an integer (got '\(text)')")
            }
            return value
        }
        guard let address = environment[Variable.masterAddress] else {
            throw TrainingError.invalidDistributedEnvironment(
                variable: Variable.masterAddress, problem: "is not set, but RANK or WORLD_SIZE is, so this process is a worker of a distributed run, which needs RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT")
        }
        let rank = try integer(Variable.rank), worldSize = try integer(Variable.worldSize), port = try integer(Variable.masterPort)
        let localRank = try integer(Variable.localRank, default: 0), localWorldSize = try integer(Variable.localWorldSize, default: 1)
        let nodeRank = try integer(Variable.nodeRank, default: localWorldSize > 0 ? rank / localWorldSize : 0)
        var storeHost = StoreHost.rankZero
        if environment[Variable.agentStore] == "True" {
            guard environment[Variable.restartCount] != nil else {
                throw TrainingError.invalidDistributedEnvironment(
                    variable: Variable.restartCount, problem: "is not set, but \(Variable.agentStore)=True: torchrun sets both, and the store's keys are prefixed with the restart count")
            }
            storeHost = .agent(restartCount: try integer(Variable.restartCount))
        }
        let worker = DistributedEnvironment(masterAddress: address, masterPort: port, rank: rank, worldSize: worldSize,
                                            localRank: localRank, localWorldSize: localWorldSize, nodeRank: nodeRank, storeHost: storeHost)
        try worker.validate()
        return worker
    }

    /// Checks that the ranks lie within the sizes, the port is a TCP port and the address is a host name or IP address.
    public func validate() throws {
        func problem(_ variable: String, _ text: String) -> TrainingError {
            .invalidDistributedEnvironment(variable: variable, problem: text)
        }
        guard worldSize >= 1 else { throw problem(Variable.worldSize, "must be at least 1 (got \(worldSize))") }
        guard (0..<worldSize).contains(rank) else {
            throw problem(Variable.rank, "must be in 0 ..< WORLD_SIZE = \(worldSize) (got \(rank))")
        }
        guard (1...worldSize).contains(localWorldSize) else {
            throw problem(Variable.localWorldSize, "must be in 1 ... WORLD_SIZE = \(worldSize) (got \(localWorldSize))")
        }
        guard (0..<localWorldSize).contains(localRank) else {
            throw problem(Variable.localRank, "must be in 0 ..< LOCAL_WORLD_SIZE = \(localWorldSize) (got \(localRank); LOCAL_WORLD_SIZE is 1 when unset)")
        }
        guard nodeRank >= 0 else { throw problem(Variable.nodeRank, "must be at least 0 (got \(nodeRank))") }
        guard (1...65535).contains(masterPort) else {
            throw problem(Variable.masterPort, "must be a TCP port, 1 ... 65535 (got \(masterPort))")
        }
        guard HostAddress.isValid(masterAddress) else {
            throw problem(Variable.masterAddress, "must be a host name or an IPv4/IPv6 address (got '\(masterAddress)')")
        }
    }

    /// The variables describing this worker, as torchrun sets them.
    public var variables: [String: String] {
        var variables = [Variable.masterAddress: masterAddress, Variable.masterPort: String(masterPort), Variable.rank: String(rank),
                         Variable.worldSize: String(worldSize), Variable.localRank: String(localRank),
                         Variable.localWorldSize: String(localWorldSize), Variable.nodeRank: String(nodeRank)]
        if case .agent(let restartCount) = storeHost {
            variables[Variable.agentStore] = "True"
            variables[Variable.restartCount] = String(restartCount)
        }
        return variables
    }

    /// "rank R of W (local rank L of N on node G), store at ADDRESS:PORT".
    public var summary: String {
        "rank \(rank) of \(worldSize) (local rank \(localRank) of \(localWorldSize) on node \(nodeRank)), store at \(HostAddress.withPort(masterAddress, masterPort))"
    }
}
