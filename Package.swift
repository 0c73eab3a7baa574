// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The libtorch the C++ shim (CTorch) compiles and links against: Debian's `libtorch-dev` by default (headers under
/// /usr/include, the C++ frontend headers one level deeper), or the distribution at `$LIBTORCH` (a libtorch zip or the
/// `torch/` folder of a PyTorch wheel, holding include/ and lib/), as tch-rs does. With a CUDA build
/// (lib/libtorch_cuda.so) the CUDA libraries are linked too, unless `GRAFT_TORCH_CUDA=0` (to run a CUDA build on the
/// CPU where its CUDA libraries are not installed).
struct Libtorch {
    var cxxStandard: CXXLanguageStandard
    var cxxFlags: [String]
    var linkerSettings: [LinkerSetting]

    static var debian: Libtorch {
        Libtorch(
            cxxStandard: .cxx17,
            cxxFlags: ["-I/usr/include/torch/csrc/api/include", "-std=c++17", "-O2", "-Wno-deprecated-declarations"],
            linkerSettings: [.linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10")]
        )
    }

    static func at(_ root: String, cuda: Bool?) -> Libtorch {
        // The libraries by path: a -L would come after the system folder that FreeType's pkg-config adds, which holds
        // Debian's libtorch. Their sonames keep the executable's references path-free; the rpath finds them.
        let library = { (name: String) in "\(root)/lib/lib\(name).so" }
        var linkerFlags = ["-rpath", "\(root)/lib", library("torch_cpu"), library("c10")]
        if cuda ?? FileManager.default.fileExists(atPath: library("torch_cuda")) {
            // Nothing in the shim calls into these; --no-as-needed keeps them so that their CUDA kernels register.
            // (A CUDA build's libtorch.so itself needs libtorch_cuda.so, so it too is linked only here.)
            linkerFlags += ["--push-state", "--no-as-needed", library("torch"), library("torch_cuda"), library("c10_cuda"), "--pop-state"]
        }
        return Libtorch(
            cxxStandard: majorVersion(root) >= 2 ? .cxx20 : .cxx17,  // libtorch 2.x headers need C++20
            cxxFlags: ["-I\(root)/include", "-I\(root)/include/torch/csrc/api/include", "-O2", "-Wno-deprecated-declarations"],
            linkerSettings: [.unsafeFlags(linkerFlags.flatMap { ["-Xlinker", $0] })]
        )
    }

    /// TORCH_VERSION_MAJOR from torch/version.h (libtorch 2.x defines it in torch/headeronly/version.h).
    static func majorVersion(_ root: String) -> Int {
        for header in ["torch/csrc/api/include/torch/version.h", "torch/headeronly/version.h"] {
            guard let text = try? String(contentsOfFile: "\(root)/include/\(header)", encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                if words.count == 3, words[0] == "#define", words[1] == "TORCH_VERSION_MAJOR", let major = Int(words[2]) { return major }
            }
        }
        fatalError("LIBTORCH=\(root): no TORCH_VERSION_MAJOR in include/torch/csrc/api/include/torch/version.h")
    }
}

let environment = ProcessInfo.processInfo.environment
let libtorch = environment["LIBTORCH"].map { Libtorch.at($0, cuda: environment["GRAFT_TORCH_CUDA"].map { $0 != "0" }) } ?? .debian

/// The C++ shim: compiled from Sources/CTorch, or with `GRAFT_SHIM=DIR` (`make portable`) the prebuilt
/// DIR/libgraft_ctorch.so (scripts/build-shim), which the executable finds beside itself at run time; CTorch then
/// compiles only its placeholder C file.
let cTorch: Target = if let shim = environment["GRAFT_SHIM"] {
    .target(
        name: "CTorch",
        sources: ["external_shim.c"],
        linkerSettings: [.linkedLibrary("graft_ctorch"), .unsafeFlags(["-L\(shim)", "-Xlinker", "-rpath", "-Xlinker", "$ORIGIN"])]
    )
} else {
    .target(
        name: "CTorch",
        exclude: ["external_shim.c"],
        // c10d's Gloo process group is declared only under USE_C10D_GLOO (Debian's libtorch is built with it).
        cxxSettings: [.define("USE_C10D_GLOO"), .unsafeFlags(libtorch.cxxFlags)],
        linkerSettings: libtorch.linkerSettings
    )
}

/// `GRAFT_STATIC_LIBS=DIR` (`make portable`): a folder of static archives searched before the system's libraries, so
/// that the image and font libraries (TurboJPEG, libpng, FreeType, zlib) link into the executable.
let staticLibrarySettings: [LinkerSetting] = environment["GRAFT_STATIC_LIBS"].map { [.unsafeFlags(["-L\($0)"])] } ?? []

let package = Package(
    name: "Graft",
    products: [
        .executable(name: "graft", targets: ["graft"]),
        .library(name: "Graft", targets: ["Graft"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        // `swift package generate-documentation` (make docs) for the DocC catalog in Sources/Graft/Graft.docc.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // The runtime of the ONNX protobuf messages in Sources/GraftONNX/Generated (scripts/generate-onnx-proto regenerates them).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        cTorch,
        .target(name: "GraftTensor", dependencies: ["CTorch"]),
        .target(name: "GraftNN", dependencies: ["GraftTensor"]),
        .target(name: "GraftDistributed", dependencies: ["GraftTensor"]),
        .target(name: "GraftModels", dependencies: ["GraftNN"]),
        .target(name: "GraftIO", dependencies: ["GraftTensor", "CZlib"]),
        .target(name: "GraftONNX", dependencies: ["GraftModels", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "GraftReport", dependencies: ["CImageCodecs", "CFreeType"]),
        .target(name: "GraftText", dependencies: ["GraftData", "GraftTensor"]),
        .target(name: "GraftTrain", dependencies: ["GraftModels", "GraftIO", "GraftONNX", "GraftData", "GraftText", "GraftReport", "GraftDistributed"]),
        .target(name: "Graft", dependencies: ["GraftTensor", "GraftDistributed", "GraftNN", "GraftModels", "GraftIO", "GraftONNX", "GraftData", "GraftText", "GraftReport", "GraftTrain"]),
        // zlib and FreeType from Debian (zlib1g-dev, libfreetype-dev); libpng and TurboJPEG behind a small C layer.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("turbojpeg"), .linkedLibrary("png16")] + staticLibrarySettings
        ),
        .target(name: "CImageKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "GraftData", dependencies: ["CImageCodecs", "CImageKernels", "CZlib", "GraftTensor"]),
        .executableTarget(name: "graft-bench-data", dependencies: ["GraftData"], path: "Benchmarks/graft-bench-data"),
        .executableTarget(
            name: "graft",
            dependencies: [
                "GraftTrain", "GraftONNX", .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "graft-bench",
            dependencies: ["GraftTensor", "GraftDistributed", "GraftModels", "GraftData", "GraftText", "GraftTrain",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/graft-bench"
        ),
        .executableTarget(
            name: "seed-tutorial",
            dependencies: ["Graft", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/seed-tutorial"
        ),
        .executableTarget(name: "quick-start", dependencies: ["Graft"], path: "Examples/quick-start"),
        .target(name: "GraftTestSupport", dependencies: ["GraftReport", "GraftModels"], path: "Tests/GraftTestSupport"),
        .testTarget(name: "GraftTensorTests", dependencies: ["GraftTensor", "GraftTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftDistributedTests", dependencies: ["GraftDistributed", "GraftTestSupport"]),
        .testTarget(name: "GraftNNTests", dependencies: ["GraftNN"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftModelsTests", dependencies: ["GraftModels", "GraftIO", "GraftData", "GraftTestSupport"]),
        .testTarget(name: "GraftONNXTests", dependencies: ["GraftONNX", "GraftModels", "GraftIO", "GraftData", "GraftTestSupport"]),
        .testTarget(name: "GraftIOTests", dependencies: ["GraftIO", "GraftTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftDataTests", dependencies: ["GraftData", "CImageCodecs", "CImageKernels", "CZlib", "GraftTestSupport"]),
        .testTarget(name: "GraftTextTests", dependencies: ["GraftText", "GraftTestSupport"]),
        .testTarget(name: "GraftReportTests", dependencies: ["GraftReport", "GraftTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftTrainTests", dependencies: ["GraftTrain", "GraftDistributed", "GraftTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftCLITests", dependencies: ["graft", "GraftTrain", "GraftTestSupport"]),
        .testTarget(name: "ExamplesTests", dependencies: ["Graft", "quick-start", "seed-tutorial", "GraftTestSupport"]),
    ],
    // SwiftPM passes this -std after a target's unsafeFlags, so it, not a flag there, decides the standard.
    cxxLanguageStandard: libtorch.cxxStandard
)
