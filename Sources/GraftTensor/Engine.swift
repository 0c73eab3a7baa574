import CTorch

/// Facts about and global settings of the libtorch engine.
public enum Engine {
    /// libtorch's version, e.g. `1.13.0`.
    public static var version: String { String(cString: gt_version()) }

    /// Whether float32 convolutions and matrix products on CUDA may run in TensorFloat-32 on Ampere and later GPUs
    /// (10-bit mantissa, several times faster): libtorch's defaults allow it for cuDNN convolutions, not for cuBLAS
    /// products. Setting it sets both, as `torch.backends.cudnn.allow_tf32` and
    /// `torch.backends.cuda.matmul.allow_tf32` do; turn it off to compare float32 results with the CPU's.
    public static var allowsTF32: Bool {
        get { gt_allows_tf32() != 0 }
        set { gt_set_allows_tf32(newValue ? 1 : 0) }
    }

    /// libtorch's build configuration (compiler, CPU capability such as AVX2, oneDNN and OpenMP versions).
    public static var buildConfiguration: String {
        guard let text = gt_build_config() else { return "" }
        defer { gt_free_string(text) }
        return String(cString: text)
    }

    /// Number of CUDA devices libtorch can use (0 with a CPU-only build).
    public static var cudaDeviceCount: Int { Int(gt_cuda_device_count()) }

    /// Whether this libtorch was built with CUDA (and its CUDA library is loaded), whether or not a device is visible.
    public static var isCUDABuilt: Bool { gt_cuda_is_built() != 0 }

    /// Intra-op threads libtorch uses for one operation.
    public static var threads: Int {
        get { Int(gt_get_num_threads()) }
        set { gt_set_num_threads(Int32(newValue)) }
    }

    /// Seeds libtorch's global random generator (weight init, dropout, `randn`).
    public static func manualSeed(_ seed: UInt64) { gt_manual_seed(seed) }

    /// Runs `body` while libtorch's profiler records every operator it runs (name, input shapes, start and duration,
    /// nested as called), then writes the record to `path` as a Chrome trace (open it in Perfetto or chrome://tracing)
    /// — to see where a model's time goes. One profile at a time.
    public static func recordProfile<R>(to path: String, _ body: () throws -> R) throws -> R {
        func profilerError() -> TensorError { .engine(op: "profile", operands: [], message: String(cString: gt_last_error())) }
        guard gt_profile_begin(path) == 0 else { throw profilerError() }
        let result = Result { try body() }
        guard gt_profile_end() == 0 else { throw profilerError() }
        return try result.get()
    }

    /// Makes libtorch allocate tensors through Graft's caching allocator, which keeps the memory of freed tensors for the
    /// next ones instead of unmapping it and faulting fresh zeroed pages in on every allocation (glibc's way for large
    /// blocks): about half the time of a ResNet-50 forward pass on the 2-core machine, at a peak RSS below PyTorch's
    /// (docs/performance.md). Call once at start-up; tensors that exist already keep their own allocator.
    @discardableResult
    public static func cacheTensorMemory() -> Bool { gt_cache_tensor_memory() == 1 }

    /// Gives the memory the caching allocator keeps for future tensors back to the system; returns the bytes released.
    /// Useful after a memory-hungry phase; the next tensors fault fresh pages in again.
    @discardableResult
    public static func releaseCachedMemory() -> Int { Int(gt_release_cached_memory()) }

    /// What the caching allocator holds: address space reserved for large tensors (only touched pages use memory)
    /// and the free part of it.
    public static var tensorMemory: TensorMemoryStatistics {
        let stats = gt_allocator_statistics()
        return TensorMemoryStatistics(reservedBytes: Int(stats.reserved_bytes), freeBytes: Int(stats.free_bytes),
                                      freeBlocks: Int(stats.free_blocks))
    }
}

/// A snapshot of the caching allocator (`Engine.tensorMemory`).
public struct TensorMemoryStatistics: Sendable, Equatable {
    /// Address space reserved for large tensors; pages count as memory only once touched.
    public let reservedBytes: Int
    /// The part of the reserved space in free blocks.
    public let freeBytes: Int
    /// Free blocks; neighbouring free blocks are always merged.
    public let freeBlocks: Int
}
