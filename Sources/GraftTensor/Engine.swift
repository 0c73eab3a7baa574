import CTorch

/// Facts about and global settings of the libtorch engine.
public enum Engine {
    /// libtorch's version, e.g. `1.13.0`.
    public static var version: String { String(cString: gt_version()) }

    /// libtorch's build configuration (compiler, CPU capability such as AVX2, oneDNN and OpenMP versions).
    public static var buildConfiguration: String {
        guard let text = gt_build_config() else { return "" }
        defer { gt_free_string(text) }
        return String(cString: text)
    }

    /// Number of CUDA devices libtorch can use (0 with a CPU-only build).
    public static var cudaDeviceCount: Int { Int(gt_cuda_device_count()) }

    /// Intra-op threads libtorch uses for one operation.
    public static var threads: Int {
        get { Int(gt_get_num_threads()) }
        set { gt_set_num_threads(Int32(newValue)) }
    }

    /// Seeds libtorch's global random generator (weight init, dropout, `randn`).
    public static func manualSeed(_ seed: UInt64) { gt_manual_seed(seed) }

    /// Makes glibc keep the memory of freed tensors for the next ones instead of unmapping it and faulting fresh zeroed
    /// pages in on every allocation (its default for large blocks): about half the time of a ResNet-50 forward pass on
    /// the 2-core machine (docs/performance.md), for a somewhat higher peak RSS. Call once at start-up; false where the
    /// C library does not support it.
    @discardableResult
    public static func reuseFreedMemory() -> Bool { gt_reuse_freed_memory() == 1 }
}
