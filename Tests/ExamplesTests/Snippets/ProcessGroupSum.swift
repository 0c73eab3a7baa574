import Graft

/// The first example of JoiningAProcessGroup.md: a rank joins the group its environment describes and sums a count.
enum ProcessGroupSum {
    /// The sum of every rank's `samplesSeen`.
    static func totalSamples(samplesSeen: Int) throws -> Int64 {
        // snippet: join
        let group = try ProcessGroup.fromEnvironment()            // reads the variables above, checks them, joins
        let counts = try Tensor([Int64(samplesSeen)], shape: [1])
        try group.allReduceSum([counts])                          // every rank now holds the total
        // snippet: end
        return try counts.scalars(as: Int64.self)[0]
    }
}
