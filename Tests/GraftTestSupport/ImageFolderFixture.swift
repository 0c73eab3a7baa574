import Foundation
import GraftReport

/// Small ImageFolders written on the fly, `root/<class>/<n>.png`: solid-colour 16×16 PNGs, or garbage bytes under a
/// `.png` name (images no decoder can read).
public enum ImageFolderFixture {
    /// Writes `imagesPerClass` images for each of `classes` under `root` (created); returns `root`.
    @discardableResult
    public static func write(to root: URL, classes: [String], imagesPerClass: Int, readable: Bool = true) throws -> URL {
        for (label, name) in classes.enumerated() {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<imagesPerClass {
                let shade = UInt8(truncatingIfNeeded: 40 + 90 * label + 7 * index)
                let bytes = readable
                    ? try PNGEncoder.encode(try RGBAImage(width: 16, height: 16, fill: RGBAColor(red: shade, green: 255 - shade, blue: 128)))
                    : Array("not an image \(index)".utf8)
                try Data(bytes).write(to: folder.appendingPathComponent("\(index).png"))
            }
        }
        return root
    }
}
