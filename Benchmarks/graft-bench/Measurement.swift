import Foundation

/// Wall-clock timing of repeated runs and the process's peak memory, as the benchmark reports them.
enum Measurement {
    /// Wall-clock and process CPU seconds of one timed run.
    struct Run {
        let wall: Double, cpu: Double
    }

    /// Runs `body` `warmup` times untimed, then `repeats` times timed.
    static func runs(warmup: Int, repeats: Int, _ body: () throws -> Void) rethrows -> [Run] {
        for _ in 0..<warmup { try body() }
        return try (0..<repeats).map { _ in
            let wallStart = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
            try body()
            return Run(wall: Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9, cpu: processCPUSeconds() - cpuStart)
        }
    }

    /// CPU seconds used so far by every thread of this process (robust to other processes' load, unlike wall time).
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The median of `values` (the mean of the middle two for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Peak resident set size in MiB (`VmHWM` of /proc/self/status), or nil where that file is unavailable.
    static func peakResidentMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kibibytes = Double(fields[1]) else { return nil }
            return kibibytes / 1024
        }
        return nil
    }
}
