import GraftNN
import GraftTensor

/// torchvision's transformer MLP (`ops.misc.MLP(width, [hidden, width], activation_layer=nn.GELU, dropout=0)`, which
/// ViT's `MLPBlock` and Swin's blocks use): Linear, GELU, Dropout, Linear, Dropout, so the layers are named `0` and `3`;
/// Xavier-uniform weights and biases normal with std 1e-6, as both initialise them.
func transformerMLP(width: Int, hidden: Int, typeName: String) throws -> Sequential {
    func linear(_ inFeatures: Int, _ outFeatures: Int) throws -> Linear {
        let layer = try Linear(inFeatures, outFeatures)
        try withNoGrad {
            try layer.weight.copy_(from: Initialization.xavierUniform(layer.weight.shape, fanIn: inFeatures, fanOut: outFeatures))
            try layer.bias?.normal_(mean: 0, std: 1e-6)
        }
        return layer
    }
    return Sequential([try linear(width, hidden), GELU(), try Dropout(p: 0), try linear(hidden, width), try Dropout(p: 0)], typeName: typeName)
}
