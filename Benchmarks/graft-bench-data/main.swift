// One epoch of the Graft data pipeline over an ImageFolder: decode + Resize(256) + RandomCrop(224) + flip + normalize
// + batches of 32. Usage: graft-bench-data DIR [WORKERS]; prints "images N seconds S images_per_second R".
import Foundation
import GraftData

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: graft-bench-data DIR [WORKERS]\n".utf8))
    exit(2)
}
do {
    let dataset = try ImageFolder(root: arguments[1])
    let workers = arguments.count > 2 ? Int(arguments[2]) ?? 2 : ProcessInfo.processInfo.activeProcessorCount
    let loader = try DataLoader(dataset: dataset, transform: try .trainTransform(inputSize: 224, resizeSize: 256), batchSize: 32,
                                workers: workers, seed: 0, warn: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
    let start = Date()
    var seen = 0
    let batches = loader.batches(epoch: 0)
    while let batch = try batches.next() { seen += batch.count }
    let elapsed = Date().timeIntervalSince(start)
    print(String(format: "images %d seconds %.3f images_per_second %.1f", seen, elapsed, Double(seen) / elapsed))
} catch {
    FileHandle.standardError.write(Data("graft-bench-data: \(error)\n".utf8))
    exit(1)
}
