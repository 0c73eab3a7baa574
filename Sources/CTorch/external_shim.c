// The CTorch target's only source when Graft links the prebuilt shim libgraft_ctorch.so (GRAFT_SHIM, `make portable`):
// the API in include/ctorch.h is then implemented by that library.
typedef int ctorch_external_shim;
