import Graft

/// The process-group article's program (JoiningAProcessGroup.md): join the group torchrun's variables describe and
/// sum a count over every rank.
enum ProcessGroupJoinExample {
    /// The sum of `samplesSeen` over the ranks of the group this process's environment describes.
    static func totalSamples(samplesSeen: Int) throws -> Int64 {
        // snippet: join
        let group = try ProcessGroup.fromEnvironment()            // reads the variables above (torchrun's agent store too), joins
        let counts = try Tensor([Int64(samplesSeen)], shape: [1])
        try group.allReduceSum([counts])                          // every rank now holds the total
        // snippet: end
        return try counts.scalars(as: Int64.self)[0]
    }
}
