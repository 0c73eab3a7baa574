import CTorch

/// Facts about and global settings of the libtorch engine.
public enum Engine {
    /// The version of the libtorch headers Graft's C++ shim was compiled against, e.g. `1.13.0`.
    public static var version: String { String(cString: gt_version()) }

    /// Whether float32 convolutions and matrix products on CUDA may run in TensorFloat-32 on Ampere and later GPUs
    /// (10-bit mantissa, several times faster): libtorch's defaults allow it for cuDNN convolutions, not for cuBLAS
    /// products. Setting it sets both, as `torch.backends.cudnn.allow_tf32` and
    /// `torch.backends.cuda.matmul.allow_tf32` do; turn it off to compare float32 results with the CPU's.
    public static var allowsTF32: Bool {
        get { gt_allows_tf32() != 0 }
        set { gt_set_allows_tf32(newValue ? 1 : 0) }
    }

    /// The version of the libtorch library running, from its build configuration (`TORCH_VERSION=`); nil where the
    /// configuration does not say. Equal to `version` unless the shim was built against other headers.
    public static var runtimeVersion: String? { buildSetting("TORCH_VERSION") }

    /// The value of `KEY=value` in libtorch's build settings (`USE_CUDA`, `CUDA_VERSION`, …), nil when absent.
    public static func buildSetting(_ key: String) -> String? {
        let config = buildConfiguration
        guard let range = config.firstRange(of: " \(key)=") else { return nil }
        return String(config[range.upperBound...].prefix { $0 != "," && !$0.isNewline })
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

    /// The CUDA runtime libtorch was built with, e.g. `13.2`; nil without CUDA.
    public static var cudaRuntimeVersion: String? {
        let code = Int(gt_cuda_runtime_version())  // major * 1000 + minor * 10
        return code > 0 ? "\(code / 1000).\(code % 1000 / 10)" : nil
    }

    /// The cuDNN libtorch was built with, e.g. `9.26.0`; nil without cuDNN.
    public static var cuDNNVersion: String? {
        let code = Int(gt_cudnn_version())  // major * 10000 + minor * 100 + patch since cuDNN 9, major * 1000 + … before
        guard code > 0 else { return nil }
        let majorScale = code >= 90000 ? 10000 : 1000
        return "\(code / majorScale).\(code % majorScale / 100).\(code % 100)"
    }

    /// The NVIDIA driver's version and GPUs, read from the driver itself (whether or not libtorch has CUDA); throws
    /// when there is no driver.
    public static func nvidiaGPUs() throws -> NVIDIADriver {
        var count: Int32 = 0, driverVersion: Int32 = 0
        var gpus = [gt_gpu](repeating: gt_gpu(), count: 64)
        guard gt_gpu_devices(&gpus, Int32(gpus.count), &count, &driverVersion) == 0 else {
            throw TensorError.lastEngineError("gpus", [])
        }
        let devices = gpus.prefix(Int(count)).map { gpu in
            var name = gpu.name
            let text = withUnsafeBytes(of: &name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return NVIDIADriver.GPU(name: text, totalMemoryBytes: Int(gpu.total_memory_bytes))
        }
        return NVIDIADriver(version: "\(driverVersion / 1000).\(driverVersion % 1000 / 10)", gpus: devices)
    }

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
        guard gt_profile_begin(path) == 0 else { throw TensorError.lastEngineError("profile", []) }
        let result = Result { try body() }
        guard gt_profile_end() == 0 else { throw TensorError.lastEngineError("profile", []) }
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

/// What the NVIDIA driver reports (`Engine.nvidiaGPUs()`).
public struct NVIDIADriver: Sendable, Equatable {
    /// One GPU.
    public struct GPU: Sendable, Equatable {
        /// The product name, e.g. `NVIDIA H200`.
        public let name: String
        /// Its memory in bytes.
        public let totalMemoryBytes: Int
    }

    /// The newest CUDA version the driver supports, e.g. `13.2`.
    public let version: String
    /// The GPUs it sees.
    public let gpus: [GPU]
}
