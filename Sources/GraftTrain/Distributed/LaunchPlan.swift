import Foundation

/// This node's share of a distributed run, settled: how many workers to start here and what each is told
/// (torchrun's variables). Made by `DistributedLaunch`; run by `WorkerLauncher`.
public struct LaunchPlan: Equatable, Sendable {
    /// Workers on this node.
    public let processesPerNode: Int
    /// Nodes in the run.
    public let nodeCount: Int
    /// This node's rank.
    public let nodeRank: Int
    /// Host name or address of node 0's store.
    public let masterAddress: String
    /// TCP port of node 0's store (never 0: a free port has been picked).
    public let masterPort: Int

    /// A plan as given; `DistributedLaunch.plan()` makes validated ones.
    public init(processesPerNode: Int, nodeCount: Int, nodeRank: Int, masterAddress: String, masterPort: Int) {
        self.processesPerNode = processesPerNode
        self.nodeCount = nodeCount
        self.nodeRank = nodeRank
        self.masterAddress = masterAddress
        self.masterPort = masterPort
    }

    /// Processes in the whole run.
    public var worldSize: Int { nodeCount * processesPerNode }

    /// The global rank of this node's worker `localRank`: node rank × processes per node + local rank.
    public func rank(localRank: Int) -> Int { nodeRank * processesPerNode + localRank }

    /// What worker `localRank` of this node is told.
    public func worker(localRank: Int) -> DistributedEnvironment {
        DistributedEnvironment(masterAddress: masterAddress, masterPort: masterPort, rank: rank(localRank: localRank),
                               worldSize: worldSize, localRank: localRank, localWorldSize: processesPerNode, nodeRank: nodeRank)
    }

    /// OpenMP (libtorch intra-op) threads for each worker: an equal share of the cores, at least one. torchrun sets 1
    /// whenever it starts more than one worker; an equal share keeps every core busy without oversubscribing them
    /// (N workers × all cores each makes every worker slower on a shared machine).
    public static func threadsPerWorker(processesPerNode: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        max(1, cores / max(1, processesPerNode))
    }

    /// The environment of worker `localRank`: `inherited` (the launcher's) with the worker's variables set (and
    /// torchrun's agent-store variables removed: rank 0 hosts this run's store) and, when this node starts more than
    /// one worker and `OMP_NUM_THREADS` is not already set, `OMP_NUM_THREADS` = `threadsPerWorker`.
    public func environment(localRank: Int, inheriting inherited: [String: String],
                            cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> [String: String] {
        var environment = inherited.filter {
            $0.key != DistributedEnvironment.Variable.agentStore && $0.key != DistributedEnvironment.Variable.restartCount
        }.merging(worker(localRank: localRank).variables) { $1 }
        if processesPerNode > 1 && environment["OMP_NUM_THREADS"] == nil {
            environment["OMP_NUM_THREADS"] = String(Self.threadsPerWorker(processesPerNode: processesPerNode, cores: cores))
        }
        return environment
    }
}
