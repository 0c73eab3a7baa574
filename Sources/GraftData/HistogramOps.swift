/// torchvision 0.14's lookup-table functionals on PIL images, which are PIL's `ImageOps` functions (each builds a
/// 256-entry table per channel and maps every byte through it).
extension Image {
    /// `F.posterize`: keeps the top `bits` bits of each channel (1...8).
    public func posterized(bits: Int) -> Image {
        let mask = UInt8(truncatingIfNeeded: ~((1 << (8 - min(max(bits, 0), 8))) - 1))
        let table = (0...255).map { UInt8($0) & mask }
        return mapped(through: [table, table, table])
    }

    /// `F.solarize`: inverts every value at or above `threshold`.
    public func solarized(threshold: Double) -> Image {
        let table = (0...255).map { Double($0) < threshold ? UInt8($0) : UInt8(255 - $0) }
        return mapped(through: [table, table, table])
    }

    /// `F.autocontrast` (`ImageOps.autocontrast`, no cutoff): stretches each channel so its darkest value becomes 0
    /// and its lightest 255; a flat channel is left unchanged.
    public func autocontrasted() -> Image {
        let tables = channelHistograms().map { histogram -> [UInt8] in
            guard let low = histogram.firstIndex(where: { $0 != 0 }), let high = histogram.lastIndex(where: { $0 != 0 }),
                  high > low else { return (0...255).map { UInt8($0) } }
            let scale = 255.0 / Double(high - low), offset = -Double(low) * scale
            return (0...255).map { UInt8(min(max(Int(Double($0) * scale + offset), 0), 255)) }
        }
        return mapped(through: tables)
    }

    /// `F.equalize` (`ImageOps.equalize`): maps each channel through its cumulative histogram so values spread evenly.
    public func equalized() -> Image {
        let tables = channelHistograms().map { histogram -> [UInt8] in
            let used = histogram.filter { $0 != 0 }
            let identity = (0...255).map { UInt8($0) }
            guard used.count > 1 else { return identity }
            let step = (used.reduce(0, +) - used[used.count - 1]) / 255
            guard step > 0 else { return identity }
            var running = step / 2
            return histogram.map { count in
                defer { running += count }
                return UInt8(min(running / step, 255))
            }
        }
        return mapped(through: tables)
    }

    /// How often each value occurs, per channel (PIL's `Image.histogram`, split by band).
    func channelHistograms() -> [[Int]] {
        var counts = [Int](repeating: 0, count: 768)
        pixels.withUnsafeBufferPointer { input in
            counts.withUnsafeMutableBufferPointer { histogram in
                for pixel in stride(from: 0, to: input.count, by: 3) {
                    histogram[Int(input[pixel])] += 1
                    histogram[256 + Int(input[pixel + 1])] += 1
                    histogram[512 + Int(input[pixel + 2])] += 1
                }
            }
        }
        return [Array(counts[0..<256]), Array(counts[256..<512]), Array(counts[512..<768])]
    }

    /// Every byte of channel c replaced by `tables[c][byte]` (PIL's `Image.point`).
    func mapped(through tables: [[UInt8]]) -> Image {
        let lookup = tables.flatMap { $0 }
        return pixels.withUnsafeBufferPointer { input in
            lookup.withUnsafeBufferPointer { table in
                Image(width: width, height: height) { output in
                    for pixel in stride(from: 0, to: input.count, by: 3) {
                        output[pixel] = table[Int(input[pixel])]
                        output[pixel + 1] = table[256 + Int(input[pixel + 1])]
                        output[pixel + 2] = table[512 + Int(input[pixel + 2])]
                    }
                }
            }
        }
    }
}
