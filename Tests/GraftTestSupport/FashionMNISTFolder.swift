import Foundation

/// A balanced Fashion-MNIST subset written as an ImageFolder of real PNG files, the kind of data a user brings:
/// `train/<class>/*.png` from Debian's training file and `val/<class>/*.png` from its test file (grey 28×28 images,
/// the first images of each class in file order). Written by `Benchmarks/python/make_fashion_folder.py` with PIL, so
/// the examples' tests and the benchmarks read the same files.
public enum FashionMNISTFolder {
    /// Debian's `dataset-fashion-mnist` files.
    public static let sourceDirectory = "/usr/share/datasets/fashion-mnist"
    /// The class folder names, in ImageFolder (byte) order.
    public static let classes = ["Ankle_boot", "Bag", "Coat", "Dress", "Pullover", "Sandal", "Shirt", "Sneaker", "T-shirt_top", "Trouser"]

    /// The train and validation folders under `directory`, holding `trainPerClass` and `validationPerClass` images per
    /// class (10 classes); throws `Prerequisite.missing` when the dataset or Python's PIL is not installed.
    public static func write(to directory: URL, trainPerClass: Int, validationPerClass: Int) throws -> (train: URL, validation: URL) {
        try Prerequisite.requireFile(sourceDirectory + "/train-images-idx3-ubyte.gz", "install Debian's dataset-fashion-mnist (make setup)")
        try ReferencePython.require(modules: ["PIL"])
        let script = PackagePaths.file("Benchmarks/python/make_fashion_folder.py").path
        let run = try ReferencePython.run([script, directory.path, "\(trainPerClass)", "\(validationPerClass)"])
        guard run.status == 0 else {
            throw FolderError(description: "make_fashion_folder.py failed (status \(run.status)):\n\(run.errors)")
        }
        return (directory.appendingPathComponent("train"), directory.appendingPathComponent("val"))
    }

    /// The script that writes the folder failed.
    struct FolderError: Error, CustomStringConvertible {
        let description: String
    }
}
