// Collectives over libtorch's c10d: TCP and prefix stores, the Gloo process group, allreduce, broadcast, barrier and
// all-gather. Rendezvous conventions (which prefixes, which keys) are the caller's; this file only wraps the engine.
#include "internal.hpp"
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <cstdlib>
#include <sstream>

// Constructors rather than braced initialisers, whose commas would split the GT_GUARD macro's argument.
struct gt_store_s {
  gt_store_s(c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<c10d::TCPStore> tcp)
      : store(std::move(store)), tcp(std::move(tcp)) {}
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::TCPStore> tcp;  // null for a prefixed view
};

struct gt_process_group_s {
  gt_process_group_s(c10::intrusive_ptr<c10d::ProcessGroupGloo> group, std::chrono::milliseconds timeout)
      : group(std::move(group)), timeout(timeout) {}
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
  std::chrono::milliseconds timeout;
};

namespace {

std::chrono::milliseconds milliseconds(double seconds) {
  if (!(seconds > 0)) throw std::invalid_argument("the timeout must be a positive number of seconds");
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0 + 0.5));
}

c10d::Store &store_ref(gt_store store) {
  if (store == nullptr) throw std::invalid_argument("null store handle");
  return *store->store;
}

gt_process_group_s &group_ref(gt_process_group group) {
  if (group == nullptr) throw std::invalid_argument("null process group handle");
  return *group;
}

// The devices torch.distributed's ProcessGroupGloo binding picks: each interface named in GLOO_SOCKET_IFNAME, else the
// address the host name resolves to (c10d falls back to loopback when it resolves to no usable address).
std::vector<std::shared_ptr<::gloo::transport::Device>> gloo_devices() {
  std::vector<std::shared_ptr<::gloo::transport::Device>> devices;
  const char *names = std::getenv("GLOO_SOCKET_IFNAME");
  if (names != nullptr && names[0] != '\0') {
    std::stringstream list(names);
    std::string name;
    while (std::getline(list, name, ',')) {
      if (!name.empty()) devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
    }
  }
  if (devices.empty()) devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  return devices;
}

std::vector<at::Tensor> tensor_list(const gt_tensor *tensors, int n) {
  if (n < 1) throw std::invalid_argument("a collective needs at least one tensor");
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const at::Tensor &t = ctorch::readable(tensors[i]);
    if (!t.device().is_cpu()) throw std::invalid_argument("Gloo collectives take CPU tensors; got one on " + t.device().str());
    if (t.scalar_type() != ctorch::readable(tensors[0]).scalar_type())
      throw std::invalid_argument(std::string("the tensors of one collective must share a dtype; got ") +
                                  c10::toString(ctorch::readable(tensors[0]).scalar_type()) + " and " +
                                  c10::toString(t.scalar_type()));
    list.push_back(t);
  }
  return list;
}

// Waits for a collective; c10d's bare "Operation timed out!" gets the limit added.
void finish(const c10::intrusive_ptr<c10d::Work> &work, std::chrono::milliseconds timeout) {
  try {
    work->wait(timeout);
  } catch (const c10::Error &e) {
    std::string message = e.what_without_backtrace();
    if (message.find("Operation timed out") == std::string::npos) throw;
    throw std::runtime_error("no answer from every rank within " + std::to_string(timeout.count()) + " ms (the timeout)");
  }
}

// Runs one collective on a single buffer: the tensor itself when there is one contiguous tensor, else their flattened
// concatenation, whose result is copied back into each tensor.
template <typename Collective>
void on_one_buffer(std::vector<at::Tensor> tensors, Collective collective) {
  if (tensors.size() == 1 && tensors[0].is_contiguous()) {
    collective(tensors);
    return;
  }
  std::vector<at::Tensor> flat_views;
  flat_views.reserve(tensors.size());
  for (const at::Tensor &t : tensors) flat_views.push_back(t.reshape({-1}));
  std::vector<at::Tensor> buffer{at::cat(flat_views)};
  collective(buffer);
  int64_t offset = 0;
  for (at::Tensor &t : tensors) {
    t.copy_(buffer[0].narrow(0, offset, t.numel()).view(t.sizes()));
    offset += t.numel();
  }
}

}  // namespace

using namespace ctorch;

extern "C" {

int gt_store_create_tcp(const char *host, int port, int is_server, int world_size, double timeout_seconds, gt_store *out) {
  GT_GUARD({
    if (host == nullptr || host[0] == '\0') throw std::invalid_argument("the store's host name is empty");
    if (port < 0 || port > 65535 || (port == 0 && !is_server))
      throw std::invalid_argument("the store's port must be 1-65535 (0 only for a server, which then picks one); got " +
                                  std::to_string(port));
    if (world_size < 1) throw std::invalid_argument("the world size must be at least 1; got " + std::to_string(world_size));
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(port);
    options.isServer = is_server != 0;
    options.numWorkers = static_cast<size_t>(world_size);
    options.waitWorkers = is_server == 0;
    options.timeout = milliseconds(timeout_seconds);
    options.multiTenant = true;
    auto tcp = c10::make_intrusive<c10d::TCPStore>(std::string(host), options);
    *out = new gt_store_s(tcp, tcp);
  })
}

int gt_store_port(gt_store store, int *out) {
  GT_GUARD({
    store_ref(store);
    if (!store->tcp) throw std::invalid_argument("a prefixed store has no port of its own");
    *out = store->tcp->getPort();
  })
}

int gt_store_prefixed(gt_store store, const char *prefix, gt_store *out) {
  GT_GUARD({
    store_ref(store);
    *out = new gt_store_s(c10::make_intrusive<c10d::PrefixStore>(std::string(prefix), store->store), c10::intrusive_ptr<c10d::TCPStore>());
  })
}

int gt_store_add(gt_store store, const char *key, int64_t amount, int64_t *out) {
  GT_GUARD(*out = store_ref(store).add(std::string(key), amount))
}

void gt_store_free(gt_store store) { delete store; }

int gt_process_group_create_gloo(gt_store store, int rank, int world_size, double timeout_seconds, gt_process_group *out) {
  GT_GUARD({
    store_ref(store);
    if (world_size < 1) throw std::invalid_argument("the world size must be at least 1; got " + std::to_string(world_size));
    if (rank < 0 || rank >= world_size)
      throw std::invalid_argument("rank " + std::to_string(rank) + " is outside 0..<" + std::to_string(world_size));
    auto timeout = milliseconds(timeout_seconds);
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices = gloo_devices();
    options->threads = static_cast<int>(options->devices.size()) * 2;
    auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(store->store, rank, world_size, options);
    *out = new gt_process_group_s(group, timeout);
  })
}

int gt_process_group_sync_sequence_number(gt_process_group group) {
  GT_GUARD(group_ref(group).group->setSequenceNumberForGroup())
}

int gt_process_group_allreduce_sum(gt_process_group group, const gt_tensor *tensors, int n) {
  GT_GUARD({
    gt_process_group_s &g = group_ref(group);
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::SUM;
    options.timeout = g.timeout;
    on_one_buffer(tensor_list(tensors, n), [&](std::vector<at::Tensor> &buffer) {
      finish(g.group->allreduce(buffer, options), g.timeout);
    });
  })
}

int gt_process_group_broadcast(gt_process_group group, const gt_tensor *tensors, int n, int root) {
  GT_GUARD({
    gt_process_group_s &g = group_ref(group);
    if (root < 0 || root >= g.group->getSize())
      throw std::invalid_argument("the broadcast root " + std::to_string(root) + " is outside 0..<" +
                                  std::to_string(g.group->getSize()));
    c10d::BroadcastOptions options;
    options.rootRank = root;
    options.timeout = g.timeout;
    on_one_buffer(tensor_list(tensors, n), [&](std::vector<at::Tensor> &buffer) {
      finish(g.group->broadcast(buffer, options), g.timeout);
    });
  })
}

int gt_process_group_barrier(gt_process_group group) {
  GT_GUARD({
    gt_process_group_s &g = group_ref(group);
    c10d::BarrierOptions options;
    options.timeout = g.timeout;
    finish(g.group->barrier(options), g.timeout);
  })
}

int gt_process_group_allgather(gt_process_group group, gt_tensor t, gt_tensor *outs) {
  GT_GUARD({
    gt_process_group_s &g = group_ref(group);
    std::vector<at::Tensor> inputs = tensor_list(&t, 1);
    inputs[0] = inputs[0].contiguous();
    std::vector<std::vector<at::Tensor>> outputs(1);
    for (int i = 0; i < g.group->getSize(); ++i) outputs[0].push_back(at::empty_like(inputs[0]));
    c10d::AllgatherOptions options;
    options.timeout = g.timeout;
    finish(g.group->allgather(outputs, inputs, options), g.timeout);
    for (size_t i = 0; i < outputs[0].size(); ++i) outs[i] = wrap(outputs[0][i]);
  })
}

void gt_process_group_free(gt_process_group group) { delete group; }

}  // extern "C"
