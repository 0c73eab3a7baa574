/// A storage named by a pickle's persistent id, before its bytes are known.
struct StorageReference: Equatable {
    var key: String
    var dtype: StoredDType
    /// Element offset into the root storage (legacy files with view metadata).
    var elementOffset: Int
}

/// A tensor view over a storage, as given to `torch._utils._rebuild_tensor_v2`.
struct TensorReference: Equatable {
    var storage: StorageReference
    var storageOffset: Int
    var shape: [Int]
    var stride: [Int]
}
