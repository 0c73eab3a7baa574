// swift-tools-version:6.0
import PackageDescription

/// libtorch from Debian's `libtorch-dev`: headers under /usr/include, the C++ frontend headers one level deeper.
let torchCxxFlags: [String] = ["-I/usr/include/torch/csrc/api/include", "-std=c++17", "-O2", "-Wno-deprecated-declarations"]

let package = Package(
    name: "Graft",
    products: [
        .executable(name: "graft", targets: ["graft"]),
        .library(name: "Graft", targets: ["GraftTensor", "GraftIO", "GraftData"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "CTorch",
            cxxSettings: [.unsafeFlags(torchCxxFlags)],
            linkerSettings: [.linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10")]
        ),
        .target(name: "GraftTensor", dependencies: ["CTorch"]),
        .target(name: "GraftIO"),
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("turbojpeg"), .linkedLibrary("png16"), .linkedLibrary("z")]
        ),
        .target(name: "CImageKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "GraftData", dependencies: ["CImageCodecs", "CImageKernels"]),
        .executableTarget(name: "graft-bench-data", dependencies: ["GraftData"], path: "Benchmarks/graft-bench-data"),
        .executableTarget(
            name: "graft",
            dependencies: ["GraftTensor", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "GraftTensorTests", dependencies: ["GraftTensor"]),
        .testTarget(name: "GraftIOTests", dependencies: ["GraftIO"]),
        .testTarget(name: "GraftDataTests", dependencies: ["GraftData", "CImageKernels"]),
    ],
    cxxLanguageStandard: .cxx17
)
