import GraftIO

/// torch's schedulers keep one `base_lrs` / `_last_lr` entry per torch.optim param group, and a Graft group with
/// parameters exempt from weight decay is two torch groups (see `TorchStateDictConvertible`): the saved scheduler
/// repeats the group's rates for its exempt part, and reading drops the repeats again.
extension TrainingCheckpoint {
    /// The scheduler lists that hold one rate per param group.
    static let perGroupSchedulerKeys: Set<String> = ["base_lrs", "_last_lr"]

    /// The Graft group of each torch param group of `optimizerState`: an exempt part (`graft_decay_exempt`) right
    /// after its group's decayed part shares that part's group.
    static func graftGroups(ofTorchGroupsIn optimizerState: PickleValue) -> [Int] {
        guard case .list(let groups)? = optimizerState["param_groups"] else { return [] }
        var owners: [Int] = []
        var previous: (name: PickleValue?, exempt: Bool)?
        for group in groups {
            let exempt = group[TorchOptimizerLayout.exemptKey] == .bool(true)
            let name = group["graft_name"]
            if exempt, let previous, !previous.exempt, name != nil, previous.name == name, let last = owners.last {
                owners.append(last)
            } else {
                owners.append((owners.last ?? -1) + 1)
            }
            previous = (name, exempt)
        }
        return owners
    }

    /// `schedulerState` with each per-group list mapped through `transform` (given the list and the torch groups'
    /// Graft groups).
    static func mappingSchedulerLists(_ schedulerState: PickleValue, optimizerState: PickleValue,
                                      _ transform: ([PickleValue], [Int]) -> [PickleValue]) -> PickleValue {
        let owners = graftGroups(ofTorchGroupsIn: optimizerState)
        guard case .dict(let entries) = schedulerState, Set(owners).count < owners.count else { return schedulerState }
        return .dict(entries.map { entry in
            guard case .string(let key) = entry.key, perGroupSchedulerKeys.contains(key), case .list(let values) = entry.value else { return entry }
            return PickleEntry(key: entry.key, value: .list(transform(values, owners)))
        })
    }

    /// One rate per torch group, from one per Graft group.
    static func perTorchGroup(_ schedulerState: PickleValue, optimizerState: PickleValue) -> PickleValue {
        mappingSchedulerLists(schedulerState, optimizerState: optimizerState) { values, owners in
            values.count == Set(owners).count ? owners.map { values[$0] } : values
        }
    }

    /// One rate per Graft group, from one per torch group.
    static func perGraftGroup(_ schedulerState: PickleValue, optimizerState: PickleValue) -> PickleValue {
        mappingSchedulerLists(schedulerState, optimizerState: optimizerState) { values, owners in
            guard values.count == owners.count else { return values }
            return values.indices.filter { $0 == 0 || owners[$0] != owners[$0 - 1] }.map { values[$0] }
        }
    }
}
