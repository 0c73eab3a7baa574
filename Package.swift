// swift-tools-version:6.0
import PackageDescription

/// libtorch from Debian's `libtorch-dev`: headers under /usr/include, the C++ frontend headers one level deeper.
let torchCxxFlags: [String] = ["-I/usr/include/torch/csrc/api/include", "-std=c++17", "-O2", "-Wno-deprecated-declarations"]

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
    ],
    targets: [
        .target(
            name: "CTorch",
            // c10d's Gloo process group is declared only under USE_C10D_GLOO (Debian's libtorch is built with it).
            cxxSettings: [.define("USE_C10D_GLOO"), .unsafeFlags(torchCxxFlags)],
            linkerSettings: [.linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10")]
        ),
        .target(name: "GraftTensor", dependencies: ["CTorch"]),
        .target(name: "GraftNN", dependencies: ["GraftTensor"]),
        .target(name: "GraftDistributed", dependencies: ["GraftTensor"]),
        .target(name: "GraftModels", dependencies: ["GraftNN"]),
        .target(name: "GraftIO", dependencies: ["GraftTensor", "CZlib"]),
        .target(name: "GraftReport", dependencies: ["CImageCodecs", "CFreeType"]),
        .target(name: "GraftText", dependencies: ["GraftData", "GraftTensor"]),
        .target(name: "GraftTrain", dependencies: ["GraftModels", "GraftIO", "GraftData", "GraftText", "GraftReport", "GraftDistributed"]),
        .target(name: "Graft", dependencies: ["GraftTensor", "GraftDistributed", "GraftNN", "GraftModels", "GraftIO", "GraftData", "GraftText", "GraftReport", "GraftTrain"]),
        // zlib and FreeType from Debian (zlib1g-dev, libfreetype-dev); libpng and TurboJPEG behind a small C layer.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("turbojpeg"), .linkedLibrary("png16")]
        ),
        .target(name: "CImageKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "GraftData", dependencies: ["CImageCodecs", "CImageKernels", "CZlib", "GraftTensor"]),
        .executableTarget(name: "graft-bench-data", dependencies: ["GraftData"], path: "Benchmarks/graft-bench-data"),
        .executableTarget(
            name: "graft",
            dependencies: [
                "GraftTrain", .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Yams", package: "Yams"),
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
        .target(name: "GraftTestSupport", dependencies: ["GraftReport"], path: "Tests/GraftTestSupport"),
        .testTarget(name: "GraftTensorTests", dependencies: ["GraftTensor", "GraftTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftDistributedTests", dependencies: ["GraftDistributed", "GraftTestSupport"]),
        .testTarget(name: "GraftNNTests", dependencies: ["GraftNN"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftModelsTests", dependencies: ["GraftModels", "GraftIO", "GraftData", "GraftTestSupport"]),
        .testTarget(name: "GraftIOTests", dependencies: ["GraftIO", "GraftTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftDataTests", dependencies: ["GraftData", "CImageCodecs", "CImageKernels", "CZlib", "GraftTestSupport"]),
        .testTarget(name: "GraftTextTests", dependencies: ["GraftText", "GraftTestSupport"]),
        .testTarget(name: "GraftReportTests", dependencies: ["GraftReport", "GraftTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftTrainTests", dependencies: ["GraftTrain", "GraftDistributed", "GraftTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GraftCLITests", dependencies: ["graft", "GraftTrain", "GraftTestSupport"]),
        .testTarget(name: "ExamplesTests", dependencies: ["Graft", "quick-start", "seed-tutorial", "GraftTestSupport"]),
    ],
    cxxLanguageStandard: .cxx17
)
