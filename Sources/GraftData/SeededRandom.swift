/// A small, fast, reproducible generator (xoshiro256**) seeded through SplitMix64.
///
/// Per-sample generators are derived from (seed, epoch, sample index), so augmentations do not depend on
/// which worker thread handles a sample or in what order.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        s0 = SeededRandom.splitMix(&mixer)
        s1 = SeededRandom.splitMix(&mixer)
        s2 = SeededRandom.splitMix(&mixer)
        s3 = SeededRandom.splitMix(&mixer)
    }

    /// The generator for one sample of one epoch.
    public init(seed: UInt64, epoch: Int, index: Int) {
        var mixer = seed
        let base = SeededRandom.splitMix(&mixer) ^ UInt64(truncatingIfNeeded: epoch) &* 0xD1B5_4A32_D192_ED03
        var second = base
        let derived = SeededRandom.splitMix(&second) ^ UInt64(truncatingIfNeeded: index) &* 0x8CB9_2BA7_2F3D_8DD7
        self.init(seed: derived)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform Double in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Double in [lower, upper).
    public mutating func nextDouble(in lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUnit()
    }

    /// A uniform integer in 0..<bound without modulo bias; 0 when bound <= 1.
    public mutating func nextInt(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let limit = UInt64(bound)
        let threshold = (0 &- limit) % limit
        while true {
            let (high, low) = next().multipliedFullWidth(by: limit)
            if low >= threshold { return Int(high) }
        }
    }

    /// Fisher–Yates shuffle drawing from this generator (stable across Swift versions, unlike `shuffle(using:)`).
    public mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for position in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(position, nextInt(below: position + 1))
        }
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
