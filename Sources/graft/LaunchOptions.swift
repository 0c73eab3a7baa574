import ArgumentParser
import GraftTrain

/// torchrun's launch flags, shared by `graft train` and `graft launch`.
struct LaunchOptions: ParsableArguments {
    @Option(help: "Worker processes to start on this node (default 1).")
    var nprocPerNode: Int?
    @Option(help: "Machines in the run (default 1); start the same command on each with its own --node-rank.")
    var nnodes: Int?
    @Option(help: "This machine's rank, 0 ..< --nnodes (default 0); node 0 hosts the rendezvous store.")
    var nodeRank: Int?
    @Option(help: "Host name or address of node 0, reachable from every node (default 127.0.0.1; required with --nnodes > 1).")
    var masterAddr: String?
    @Option(help: "TCP port of node 0's rendezvous store (default 29500, as torchrun); 0 picks a free port (one node only).")
    var masterPort: Int?
    @Option(help: "Seconds a worker waits for the others — to join the run, or to answer in each gradient exchange — before it fails naming the cause (default 1800, as torch.distributed).")
    var distTimeout: Double?

    /// The launch settings: these flags over the ones `configuration` (a config file) gives.
    func settings(over configuration: TrainConfiguration = TrainConfiguration()) -> DistributedLaunch {
        DistributedLaunch(processesPerNode: nprocPerNode ?? configuration.nprocPerNode, nodeCount: nnodes ?? configuration.nnodes,
                          nodeRank: nodeRank ?? configuration.nodeRank, masterAddress: masterAddr ?? configuration.masterAddr,
                          masterPort: masterPort ?? configuration.masterPort, groupTimeout: distTimeout ?? configuration.distTimeout)
    }
}
