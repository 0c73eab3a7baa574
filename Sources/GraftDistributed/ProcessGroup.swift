import CTorch
import Foundation

/// A group of processes (ranks) that compute collectively over libtorch's c10d with the Gloo backend: the engine under
/// PyTorch's `DistributedDataParallel` on CPUs.
///
/// Joining follows `torch.distributed.init_process_group("gloo", init_method="env://")` step by step (the same store,
/// key prefixes, store-based barrier and sequence number), so a Graft process and a PyTorch 1.13 process can be ranks
/// of one group. Every rank must call the collectives in the same order; use a group from one thread at a time.
/// Failures and timeouts throw ``DistributedError``; nothing waits longer than ``timeout``.
public final class ProcessGroup: @unchecked Sendable {
    // `@unchecked Sendable`: the handles never change; c10d queues the collectives it is given.
    let handle: gt_process_group
    /// The store the group met through; it lives as long as the group.
    public let store: RendezvousStore
    /// This process's rank, 0..<worldSize.
    public let rank: Int
    /// The number of ranks in the group.
    public let worldSize: Int
    /// Seconds the rendezvous and each collective may take before they throw.
    public let timeout: TimeInterval

    /// torch.distributed's default, 30 minutes: long enough for a slow rank to load its data before the first collective.
    public static let defaultTimeout: TimeInterval = 1800

    /// torch.distributed's prefix for the default group's keys in the store (`PrefixStore("default_pg", store)`).
    static let defaultGroupPrefix = "default_pg"
    /// The first group's name, hence its prefix inside `default_pg` (PyTorch names unnamed groups by a counter from 0).
    static let firstGroupName = "0"
    /// The counter key of the store-based barrier that ends `init_process_group`, with the group count after it.
    static let storeBarrierKey = "store_based_barrier_key:1"

    /// Joins the group whose rank 0 runs the rendezvous store at `masterAddress:masterPort`: rank 0 starts the store
    /// there, the others connect to it. Returns once all `worldSize` ranks have joined; throws if that takes longer
    /// than `timeout` seconds. Invalid values throw before any networking.
    public convenience init(masterAddress: String, masterPort: Int, rank: Int, worldSize: Int,
                            timeout: TimeInterval = ProcessGroup.defaultTimeout) throws {
        let rendezvous = try Rendezvous(masterAddress: masterAddress, masterPort: masterPort, rank: rank, worldSize: worldSize)
        try self.init(rendezvous, timeout: timeout)
    }

    /// Joins the group `rendezvous` describes (see ``init(masterAddress:masterPort:rank:worldSize:timeout:)``).
    public convenience init(_ rendezvous: Rendezvous, timeout: TimeInterval = ProcessGroup.defaultTimeout) throws {
        let store = try RendezvousStore(host: rendezvous.masterAddress, port: rendezvous.masterPort,
                                        isServer: rendezvous.rank == 0, worldSize: rendezvous.worldSize, timeout: timeout)
        try self.init(store: store, rank: rendezvous.rank, worldSize: rendezvous.worldSize, timeout: timeout)
    }

    /// Joins the group that meets through `store` (rank 0's server or a client of it), as the default group of
    /// `init_process_group` does: one group per store.
    public init(store: RendezvousStore, rank: Int, worldSize: Int, timeout: TimeInterval = ProcessGroup.defaultTimeout) throws {
        try SettingChecks.worldSize(worldSize, name: "worldSize")
        try SettingChecks.rank(rank, of: worldSize, name: "rank", sizeName: "worldSize")
        try SettingChecks.timeout(timeout)
        func failure(_ message: String) -> DistributedError {
            .rendezvousFailed(address: store.address, port: store.port, rank: rank, worldSize: worldSize, message: message)
        }
        let defaultStore = try store.prefixed(Self.defaultGroupPrefix)
        let groupStore = try defaultStore.prefixed(Self.firstGroupName)
        var out: gt_process_group?
        let status = withExtendedLifetime(groupStore) {
            gt_process_group_create_gloo(groupStore.handle, Int32(rank), Int32(worldSize), timeout, &out)
        }
        guard status == 0, let group = out else {
            throw failure("connecting Gloo to every rank (timeout \(timeout) s) failed: \(RendezvousStore.lastError())")
        }
        self.handle = group
        self.store = store
        self.rank = rank
        self.worldSize = worldSize
        self.timeout = timeout
        try awaitEveryRank(in: defaultStore, failure: failure)
        guard gt_process_group_sync_sequence_number(group) == 0 else { throw failure(RendezvousStore.lastError()) }
    }

    deinit {
        gt_process_group_free(handle)
    }

    /// init_process_group's store-based barrier: each rank adds 1 to one counter, then waits until it reaches the
    /// world size.
    private func awaitEveryRank(in store: RendezvousStore, failure: (String) -> DistributedError) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var arrived = try store.add(Self.storeBarrierKey, 1)
        while arrived < worldSize {
            guard Date() < deadline else {
                throw failure("only \(arrived) of \(worldSize) ranks reached the start barrier within \(timeout) s")
            }
            Thread.sleep(forTimeInterval: 0.01)
            arrived = try store.add(Self.storeBarrierKey, 0)
        }
    }
}
