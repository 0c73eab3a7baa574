import Foundation
import GraftDistributed

/// How a run was asked to be distributed: torchrun's launch settings (`--nproc-per-node`, `--nnodes`, `--node-rank`,
/// `--master-addr`, `--master-port`) and how long a worker waits for the others (`--dist-timeout`), each nil when
/// not given. `role(environment:)` decides what this process does:
/// train alone, train as a worker the environment describes, or launch this node's workers.
public struct DistributedLaunch: Equatable, Sendable {
    /// The store's default address: this machine (enough for one node).
    public static let defaultMasterAddress = "127.0.0.1"
    /// The store's default port, torchrun's.
    public static let defaultMasterPort = 29500

    /// Workers to start on this node (default 1).
    public var processesPerNode: Int?
    /// Nodes in the run (default 1).
    public var nodeCount: Int?
    /// This node's rank, 0 ..< `nodeCount` (default 0).
    public var nodeRank: Int?
    /// Host name or address of node 0, where rank 0's store listens (default 127.0.0.1; required with several nodes).
    public var masterAddress: String?
    /// TCP port of rank 0's store (default 29500); 0 picks a free port, on one node only.
    public var masterPort: Int?
    /// Seconds a worker's rendezvous and each of its collectives may wait for the other workers before failing
    /// (default `ProcessGroup.defaultTimeout`, torch.distributed's 30 minutes): how soon a worker whose peer hangs,
    /// never comes or cannot be reached gives up with an error.
    public var groupTimeout: TimeInterval?

    /// Launch settings; nil means not given (the default applies).
    public init(processesPerNode: Int? = nil, nodeCount: Int? = nil, nodeRank: Int? = nil, masterAddress: String? = nil, masterPort: Int? = nil,
                groupTimeout: TimeInterval? = nil) {
        self.processesPerNode = processesPerNode
        self.nodeCount = nodeCount
        self.nodeRank = nodeRank
        self.masterAddress = masterAddress
        self.masterPort = masterPort
        self.groupTimeout = groupTimeout
    }

    /// The timeout a worker joins its process group with: `groupTimeout`, or torch.distributed's default.
    public var effectiveGroupTimeout: TimeInterval { groupTimeout ?? ProcessGroup.defaultTimeout }

    /// What a process does with these settings.
    public enum Role: Equatable, Sendable {
        /// One process trains alone, exactly as without these settings.
        case single
        /// This process is one worker of a distributed run (started by `graft train --nproc-per-node`, torchrun or a
        /// scheduler): it trains its share and launches nothing.
        case worker(DistributedEnvironment)
        /// This process starts this node's workers (`WorkerLauncher`) and only supervises them.
        case launcher(LaunchPlan)

        /// The worker's description, when this process is a worker.
        public var worker: DistributedEnvironment? {
            if case .worker(let environment) = self { return environment }
            return nil
        }
    }

    /// The role of a process with these settings and `environment` (the process's own by default): a worker when the
    /// environment describes one (settings given as well must agree with it), else a launcher when more than one
    /// process or node is asked for, else a single process. A free port is picked here for `masterPort` 0. Throws
    /// `TrainingError.invalidSetting` naming the setting, or `.invalidDistributedEnvironment` naming the variable.
    public func role(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Role {
        if let worker = try DistributedEnvironment.fromEnvironment(environment) {
            try validateGroupTimeout()
            try checkAgreement(with: worker)
            return .worker(worker)
        }
        try validate()
        guard (processesPerNode ?? 1) > 1 || (nodeCount ?? 1) > 1 else { return .single }
        return .launcher(try plan())
    }

    /// The launch plan for this node, whatever the environment says (for `graft launch`, which always starts workers);
    /// a free port is picked for `masterPort` 0.
    public func plan() throws -> LaunchPlan {
        try validate()
        let nodes = nodeCount ?? 1
        let address = masterAddress ?? Self.defaultMasterAddress
        let port = masterPort ?? Self.defaultMasterPort
        return LaunchPlan(processesPerNode: processesPerNode ?? 1, nodeCount: nodes, nodeRank: nodeRank ?? 0,
                          masterAddress: address, masterPort: port == 0 ? try FreePort.pick() : port)
    }

    /// Checks each setting given: at least one process and node, a node rank below the node count, a TCP port (0 only
    /// on one node), with several nodes a master address given that other machines can reach (not loopback), and a
    /// positive group timeout.
    public func validate() throws {
        try validateGroupTimeout()
        if let processesPerNode, processesPerNode < 1 {
            throw TrainingError.invalidSetting("processesPerNode", "processesPerNode must be at least 1 (got \(processesPerNode))")
        }
        let nodes = nodeCount ?? 1
        if nodes < 1 { throw TrainingError.invalidSetting("nodeCount", "nodeCount must be at least 1 (got \(nodes))") }
        if let nodeRank, !(0..<nodes).contains(nodeRank) {
            throw TrainingError.invalidSetting("nodeRank", "nodeRank must be in 0 ..< `nodeCount` = \(nodes) (got \(nodeRank))")
        }
        if let masterPort {
            guard (0...65535).contains(masterPort) else {
                throw TrainingError.invalidSetting("masterPort", "masterPort must be a TCP port, 1 ... 65535, or 0 to pick a free one (got \(masterPort))")
            }
            if masterPort == 0 && nodes > 1 {
                throw TrainingError.invalidSetting("masterPort", "masterPort 0 (pick a free port) works on one node only: with `nodeCount` = \(nodes) every node must be given the same port")
            }
        }
        if let masterAddress, !HostAddress.isValid(masterAddress) {
            throw TrainingError.invalidSetting("masterAddress", "masterAddress must be a host name or an IPv4/IPv6 address (got '\(masterAddress)')")
        }
        if nodes > 1 {
            guard let masterAddress else {
                throw TrainingError.invalidSetting("masterAddress", "masterAddress is required with `nodeCount` = \(nodes): the host name or address of node 0, the same on every node")
            }
            if HostAddress.isLoopback(masterAddress) {
                throw TrainingError.invalidSetting("masterAddress", "masterAddress \(masterAddress) is a loopback address, which the other \(nodes - 1) node(s) cannot reach: give node 0's host name or network address")
            }
        }
    }

    private func validateGroupTimeout() throws {
        if let groupTimeout, !(groupTimeout > 0 && groupTimeout.isFinite) {
            throw TrainingError.invalidSetting("groupTimeout", "groupTimeout must be a positive number of seconds (got \(groupTimeout))")
        }
    }

    /// Settings given to a worker must describe the run its environment describes (a worker started by `graft train
    /// --nproc-per-node` gets the same arguments, so they agree; under torchrun they must not contradict it).
    private func checkAgreement(with worker: DistributedEnvironment) throws {
        typealias Variable = DistributedEnvironment.Variable
        func conflict(_ setting: String, _ given: String, _ variables: String) -> TrainingError {
            .invalidSetting(setting, "\(setting) \(given) conflicts with the environment, where \(variables): this process is a worker of a distributed run (started by graft train --nproc-per-node, torchrun or a scheduler); leave the setting out or make it agree")
        }
        if let processesPerNode, processesPerNode != worker.localWorldSize {
            throw conflict("processesPerNode", "\(processesPerNode)", "\(Variable.localWorldSize)=\(worker.localWorldSize)")
        }
        if let nodeCount, nodeCount * worker.localWorldSize != worker.worldSize {
            throw conflict("nodeCount", "\(nodeCount)", "\(Variable.worldSize)=\(worker.worldSize) and \(Variable.localWorldSize)=\(worker.localWorldSize)")
        }
        if let nodeRank, nodeRank != worker.nodeRank {
            throw conflict("nodeRank", "\(nodeRank)", "\(Variable.nodeRank)=\(worker.nodeRank)")
        }
        if let masterAddress, masterAddress != worker.masterAddress {
            throw conflict("masterAddress", masterAddress, "\(Variable.masterAddress)=\(worker.masterAddress)")
        }
        // 0 asked the launcher to pick a port; the worker's is the one it picked.
        if let masterPort, masterPort != 0, masterPort != worker.masterPort {
            throw conflict("masterPort", "\(masterPort)", "\(Variable.masterPort)=\(worker.masterPort)")
        }
    }
}
