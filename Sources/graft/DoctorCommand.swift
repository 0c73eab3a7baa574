import ArgumentParser
import Foundation
import GraftTensor
import GraftTrain

/// `graft doctor`: what engine Graft runs on and whether the offline assets are installed.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Print the compute engine's facts (libtorch, threads, CPU features, BLAS, GPUs) and the installed assets."
    )

    func run() throws {
        let config = Engine.buildConfiguration
        print("Graft \(GraftVersion.current)")
        print("libtorch           \(Engine.runtimeVersion ?? Engine.version) (Graft's C++ shim built against \(Engine.version))")
        print("intra-op threads   \(Engine.threads) (cores: \(ProcessInfo.processInfo.activeProcessorCount))")
        print("CPU capability     \(Self.line(in: config, after: "CPU capability usage:") ?? "unknown")")
        print("CPU flags          \(Self.cpuFlags(["avx2", "avx512f", "fma", "f16c"]).joined(separator: " "))")
        print("oneDNN             \(Self.line(in: config, after: "Intel(R) MKL-DNN") ?? Self.line(in: config, after: "oneDNN") ?? "not reported")")
        print("OpenMP             \(config.contains("USE_OPENMP=ON") || config.contains("OpenMP") ? "yes" : "no")")
        print("BLAS (libblas.so.3) \(Self.systemBLAS())")
        print("CUDA               \(Self.cuda())")
        print("GPUs               \(Self.gpus())")
        print("asset search order (GRAFT_ASSETS, installed share directory, source checkout, ./assets):")
        for directory in OfflineAsset.searchDirectories {
            print("  \(directory.path)\(FileManager.default.fileExists(atPath: directory.path) ? "" : " (absent)")")
        }
        print("assets:")
        for asset in OfflineAsset.all {
            let state = asset.isInstalled ? "installed at \(asset.location.path)" : "missing — run `\(asset.installedBy)`"
            print("  \(asset.name): \(state)")
        }
    }

    static func cuda() -> String {
        if Engine.isCUDABuilt {
            let runtime = Engine.cudaRuntimeVersion.map { "CUDA runtime \($0)" } ?? "CUDA runtime unknown"
            let cuDNN = Engine.cuDNNVersion.map { "cuDNN \($0)" } ?? "no cuDNN"
            return "built in (\(runtime), \(cuDNN)); \(Engine.cudaDeviceCount) device(s) visible to libtorch"
        }
        guard ["ON", "1"].contains(Engine.buildSetting("USE_CUDA")) else { return "no CUDA: a CPU-only libtorch" }
        let versions = [("CUDA", "CUDA_VERSION"), ("cuDNN", "CUDNN_VERSION")]
            .compactMap { name, key in Engine.buildSetting(key).map { "\(name) \($0)" } }.joined(separator: ", ")
        return "no CUDA: this libtorch is a CUDA build (\(versions)) but Graft was linked without its CUDA libraries"
    }

    static func gpus() -> String {
        do {
            let driver = try Engine.nvidiaGPUs()
            let list = driver.gpus.enumerated().map { index, gpu in
                "\n  \(index): \(gpu.name), \(String(format: "%.1f", Double(gpu.totalMemoryBytes) / 1_073_741_824)) GiB"
            }
            return "\(driver.gpus.count) (NVIDIA driver for CUDA \(driver.version))\(list.joined())"
        } catch TensorError.engine(_, _, let message) {
            return "none: \(message)"
        } catch {
            return "none: \(error)"
        }
    }

    static func line(in text: String, after marker: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        let rest = text[range.upperBound...]
        return rest.prefix { $0 != "\n" }.trimmingCharacters(in: CharacterSet(charactersIn: " ,:()\t"))
    }

    static func cpuFlags(_ wanted: [String]) -> [String] {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return ["unknown"] }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        return wanted.map { flags.contains($0) ? $0 : "no-\($0)" }
    }

    static func systemBLAS() -> String {
        let link = "/etc/alternatives/libblas.so.3-x86_64-linux-gnu"
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else { return "unknown" }
        if target.contains("openblas") { return "OpenBLAS (\(target))" }
        return "\(target) — slow reference BLAS; run `make setup` to switch to OpenBLAS"
    }
}
