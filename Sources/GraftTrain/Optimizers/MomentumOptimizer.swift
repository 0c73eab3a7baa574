/// An optimizer whose first-moment coefficient a schedule may change between steps, as PyTorch's `OneCycleLR` does
/// with `cycle_momentum=True`: SGD's `momentum`, Adam's `beta1`. Graft keeps one value for all groups (torch keeps it
/// per group, but a one-cycle schedule gives every group the same one), and the torch state-dict export writes it into
/// every group.
public protocol MomentumOptimizer: Optimizer {
    /// Sets SGD's momentum or Adam's beta1 for the following steps; the state (buffers, moments) is kept, as in
    /// PyTorch. Rejects a value the optimizer cannot use and then changes nothing.
    func setMomentum(_ value: Double) throws
}
