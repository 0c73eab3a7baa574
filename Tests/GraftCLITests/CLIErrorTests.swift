import Foundation
import GraftTensor
import GraftTestSupport
import XCTest

/// Every bad invocation prints a message naming the problem and exits non-zero.
final class CLIErrorTests: XCTestCase {

    func testTrainArgumentErrors() throws {
        try expectFailure(["train"], mentioning: "--data is required")
        try expectFailure(["train", "--data", "/nonexistent/photos"], mentioning: "no such file or directory")
        try expectFailure(["train", "--data", "fashion-mnist", "--model", "vgg16", "--from-scratch"], mentioning: "unknown model 'vgg16'")
        try expectFailure(["train", "--data", "fashion-mnist", "--optimizer", "rmsprop"], mentioning: "adamw")
        try expectFailure(["train", "--data", "fashion-mnist", "--epochs", "0", "--from-scratch"], mentioning: "--epochs must be at least 1")
        try expectFailure(["train", "--data", "fashion-mnist", "--mean", "0.5,0.5"], mentioning: "--mean needs three")
        try expectFailure(["train", "--data", "fashion-mnist", "--phase", "at_epoch=x"], mentioning: "--phase")
        try expectFailure(["train", "--resume", "/nonexistent/run"], mentioning: "no checkpoints/last.safetensors")
        try expectFailure(["train", "--data", "fashion-mnist", "--device", "tpu"], mentioning: "--device must be cpu, cuda or cuda:N")
        try expectFailure(["train", "--data", "fashion-mnist", "--augment", "bogus"], mentioning: "'none', 'light', 'standard'")
        if !Engine.isCUDABuilt {
            try expectFailure(["train", "--data", "fashion-mnist", "--train-limit", "20", "--val-limit", "10", "--model", "resnet18",
                               "--from-scratch", "--device", "cuda"], mentioning: "no CUDA support")
        }
    }

    func testConfigFileErrors() throws {
        let directory = CLI.temporaryDirectory(self)
        let bad = directory.appendingPathComponent("bad.yaml")
        try "epochs: [unclosed".write(to: bad, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--config", bad.path], mentioning: "not valid YAML")
        try expectFailure(["train", "--config", directory.appendingPathComponent("missing.yaml").path], mentioning: "cannot read")
        let unknown = directory.appendingPathComponent("unknown.yaml")
        try "data: fashion-mnist\nepoch: 3\n".write(to: unknown, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--config", unknown.path], mentioning: "unknown key 'epoch'")
        let mistyped = directory.appendingPathComponent("mistyped.yaml")
        try "data: fashion-mnist\nepochs: three\n".write(to: mistyped, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--config", mistyped.path], mentioning: "epochs must be Int")
        let badPhase = directory.appendingPathComponent("phase.yaml")
        try "data: fashion-mnist\nphases:\n  - {at_epoch: 0, lr: 1.0e-3}\n".write(to: badPhase, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--config", badPhase.path], mentioning: "unfreeze")
        let badPreset = directory.appendingPathComponent("augment.yaml")
        try "data: fashion-mnist\naugment: heavy\n".write(to: badPreset, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--config", badPreset.path], mentioning: "valid presets are none, light, standard, strong")
    }

    func testOtherCommandErrors() throws {
        try expectFailure(["predict", "--model", "resnet18", "/tmp/none.jpg"], mentioning: "no pretrained weights for resnet18")
        try expectFailure(["predict", "--model", "resnet18", "--weights", "/dev/null", "--top-k", "0", "x.jpg"], mentioning: "--top-k")
        try expectFailure(["evaluate", "--checkpoint", "/nonexistent.safetensors", "--data", "fashion-mnist"], mentioning: "nonexistent")
        try expectFailure(["inspect"], mentioning: "either --model or --checkpoint")
        try expectFailure(["inspect", "--model", "resnet18", "--weights", "/etc/hostname"], mentioning: "not a PyTorch or safetensors checkpoint")
        try expectFailure(["export", "--checkpoint", "/etc/hostname", "--output", "/tmp/x.pth"], mentioning: "not a PyTorch or safetensors checkpoint")
        try expectFailure(["export", "--checkpoint", "/etc/hostname", "--format", "onnx", "--output", "/nonexistent/m.onnx"], mentioning: "--output")
        try expectFailure(["export", "--checkpoint", "/etc/hostname", "--format", "tflite", "--output", "/tmp/m"], mentioning: "onnx")
        try expectFailure(["data", "check", "/nonexistent"], mentioning: "no such file")
        try expectFailure(["frobnicate"], mentioning: "Unexpected argument")
    }

    func testPredictAndInspectRefuseWeightsWhoseHeadDoesNotLoad() throws {
        try ReferencePython.require(modules: ["torch", "torchvision", "PIL"])
        let directory = CLI.temporaryDirectory(self)
        let weights = directory.appendingPathComponent("r18_10classes.pth").path, photo = directory.appendingPathComponent("photo.png").path
        let script = """
            import sys, torch, torchvision
            from PIL import Image
            torch.manual_seed(0)
            torch.save(torchvision.models.resnet18(num_classes=10).state_dict(), sys.argv[1])
            Image.new("RGB", (64, 64), (200, 40, 40)).save(sys.argv[2])
            """
        let made = try ReferencePython.run(code: script, arguments: [weights, photo])
        XCTAssertEqual(made.status, 0, made.errors)
        let mismatch = "fc.weight: model [1000, 512], checkpoint [10, 512]"
        try expectFailure(["predict", "--model", "resnet18", "--weights", weights, photo], mentioning: mismatch)
        try expectFailure(["inspect", "--model", "resnet18", "--weights", weights], mentioning: mismatch)
    }

    func testTrainRefusesASingleClassBeforeTraining() throws {
        let directory = CLI.temporaryDirectory(self)
        let data = try ImageFolderFixture.write(to: directory.appendingPathComponent("data"), classes: ["cat"], imagesPerClass: 10)
        let run = directory.appendingPathComponent("run")
        try expectFailure(["train", "--data", data.path, "--model", "resnet18", "--from-scratch", "--image-size", "32", "--epochs", "1",
                           "--output", run.path], mentioning: "a classifier needs at least two classes, but the data has 1 (cat)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/last.safetensors").path))
    }

    func testTrainStopsWhenNoImageCanBeRead() throws {
        let directory = CLI.temporaryDirectory(self)
        let data = try ImageFolderFixture.write(to: directory.appendingPathComponent("data"), classes: ["cat", "dog"], imagesPerClass: 5,
                                                readable: false)
        let run = directory.appendingPathComponent("run")
        try expectFailure(["train", "--data", data.path, "--model", "resnet18", "--from-scratch", "--image-size", "32", "--epochs", "1",
                           "--workers", "1", "--output", run.path], mentioning: "none of the training images could be used")
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/last.safetensors").path))
    }
}
