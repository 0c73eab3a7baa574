// The umbrella module: `import Graft` gives the whole public API. It holds no code of its own.
@_exported import GraftData
@_exported import GraftDistributed
@_exported import GraftIO
@_exported import GraftModels
@_exported import GraftNN
@_exported import GraftONNX
@_exported import GraftReport
@_exported import GraftTensor
@_exported import GraftText
@_exported import GraftTrain
