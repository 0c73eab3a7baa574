import GraftTensor

/// Layer normalisation of each pixel's channels in an [N, C, H, W] input (torchvision ConvNeXt's `LayerNorm2d`):
/// permuted to NHWC, normalised over C, permuted back. Parameter names and shapes are `LayerNorm`'s.
public final class LayerNorm2d: LayerNorm {
    public override func forward(_ input: Tensor) throws -> Tensor {
        try super.forward(input.permute([0, 2, 3, 1])).permute([0, 3, 1, 2])
    }
}
