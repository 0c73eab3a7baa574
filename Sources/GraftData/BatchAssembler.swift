/// Builds one batch from dataset indices: decode, transform with per-sample generators, pack into floats.
struct BatchAssembler<Dataset: ImageDataset>: Sendable {
    let dataset: Dataset
    let transform: TransformPipeline
    let seed: UInt64
    let policy: BadImagePolicy

    /// The batch for `indices`; throws under `.error` for a bad sample, and always for inconsistent output sizes.
    func assemble(batchIndex: Int, indices: [Int], epoch: Int) throws -> Batch {
        var images: [Image] = []
        var erasures: [RandomErasing.Box?] = []
        var kept: [Int] = []
        var skipped: [SkippedSample] = []
        images.reserveCapacity(indices.count)
        for index in indices {
            let image: Image, erasure: RandomErasing.Box?
            do {
                // The generator depends only on (seed, epoch, sample), never on the worker or batch.
                var random = SeededRandom(seed: seed, epoch: epoch, index: index)
                let decoded = try dataset.loadImage(at: index, minimumShorterSide: transform.minimumDecodedShorterSide)
                image = try transform.transformImage(decoded, random: &random)
                erasure = transform.erasureBox(for: image, random: &random)
            } catch {
                guard policy == .skip else { throw error }
                skipped.append(SkippedSample(name: dataset.sampleName(at: index), reason: String(describing: error)))
                continue
            }
            // A pipeline without a final fixed size is a configuration error, never skipped.
            if let first = images.first, first.width != image.width || first.height != image.height {
                throw DataError.invalidTransform("`\(dataset.sampleName(at: index))` is \(image.width)×\(image.height) after the transforms "
                    + "but the batch's images are \(first.width)×\(first.height); end the pipeline with a crop or Resize(height:width:)")
            }
            images.append(image)
            erasures.append(erasure)
            kept.append(index)
        }
        let width = images.first?.width ?? 0, height = images.first?.height ?? 0
        let imageFloats = 3 * width * height
        let floats = [Float](unsafeUninitializedCapacity: images.count * imageFloats) { buffer, count in
            for (position, image) in images.enumerated() {
                let slice = UnsafeMutableBufferPointer(rebasing: buffer[position * imageFloats..<(position + 1) * imageFloats])
                transform.writePlanar(image, erasing: erasures[position], into: slice)
            }
            count = images.count * imageFloats
        }
        return Batch(index: batchIndex, images: floats, labels: kept.map { Int64(dataset.label(at: $0)) },
                     sampleIndices: kept, height: height, width: width, skipped: skipped)
    }
}
