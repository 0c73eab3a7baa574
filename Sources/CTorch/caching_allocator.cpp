// A CPU allocator for libtorch that keeps the memory of freed large tensors and hands it to the next tensors.
//
// glibc serves each large block with a fresh mmap and unmaps it on free, so every activation of every layer of every
// batch faults in new zero-filled pages (a third of a ResNet-50 forward pass is spent in the kernel). This allocator
// keeps large blocks in one big reserved arena instead: best fit, splitting and coalescing (boundary tags), never
// returning memory until `gt_release_cached_memory`. Small requests go to malloc. Reserved pages count towards RSS only
// once touched, and one contiguous arena lets every freed block merge with its neighbours, so the pages touched stay
// within a few percent of the peak of live tensor memory (separate 256 MiB segments touched 60% more; measured in
// docs/performance.md).
#include "internal.hpp"
#include "torch_compat.hpp"
#include <c10/core/CPUAllocator.h>
#include <sys/mman.h>
#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <set>
#include <utility>

namespace ctorch {
namespace {

// Every allocation starts with this header, 64 bytes before the data libtorch sees (oneDNN frees raw pointers through
// `raw_deleter`, so the pointer alone must say where the memory came from).
struct alignas(64) Header {
  size_t size;   // bytes of the block including this header; 0 for a small block from malloc
  Header *prev;  // the block before this one in its arena; null for an arena's first block
  bool last;     // the block ends its arena
  bool free;

  Header *next() { return last ? nullptr : reinterpret_cast<Header *>(reinterpret_cast<char *>(this) + size); }
};

class CachingCPUAllocator final : public compat::Allocator {
 public:
  static constexpr size_t kLargeBlock = size_t(1) << 20;  // smaller requests go to malloc, and smaller rests are not split off
  static constexpr size_t kArena = size_t(16) << 30;  // address space reserved at a time; untouched pages cost no memory
  static constexpr size_t kPage = size_t(4) << 10;

  at::DataPtr allocate_data(size_t n) const override {
    void *data = n + sizeof(Header) < kLargeBlock ? allocate_small(n) : allocate_large(n);
    return {data, data, &deallocate, at::Device(at::kCPU)};
  }

  at::DeleterFnPtr raw_deleter() const override { return &deallocate; }

  /// Gives the pages of every free block back to the system (unmapping arenas no tensor uses); returns the bytes.
  size_t release_unused() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return release_unused_locked();
  }

  gt_allocator_stats statistics() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return {reserved_bytes_, free_bytes_, free_.size()};
  }

  static CachingCPUAllocator &shared() {
    static auto *instance = new CachingCPUAllocator();  // never destroyed: tensors may outlive static destructors
    return *instance;
  }

 private:
  using FreeBlocks = std::set<std::pair<size_t, Header *>>;  // (size, address): best fit, then lowest address

  static void *allocate_small(size_t n) {
    void *base = nullptr;
    if (posix_memalign(&base, alignof(Header), sizeof(Header) + n) != 0) throw std::bad_alloc();
    static_cast<Header *>(base)->size = 0;
    return static_cast<Header *>(base) + 1;
  }

  void *allocate_large(size_t n) const {
    size_t size = (n + sizeof(Header) + kPage - 1) / kPage * kPage;
    std::lock_guard<std::mutex> lock(mutex_);
    auto fit = free_.lower_bound({size, nullptr});
    Header *block = fit != free_.end() ? fit->second : map_arena(size);
    remove_free(block);
    if (block->size - size >= kLargeBlock) split(block, size);
    block->free = false;
    return block + 1;
  }

  // Reserves a new arena holding at least `size` bytes; smaller than kArena where the system refuses that much
  // address space (strict overcommit, `ulimit -v`).
  Header *map_arena(size_t size) const {
    size_t length = std::max(size, kArena);
    void *base = MAP_FAILED;
    while (true) {
      base = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (base != MAP_FAILED || length == size) break;
      length = std::max(size, length / 2);
    }
    if (base == MAP_FAILED) throw std::bad_alloc();
    auto *block = static_cast<Header *>(base);
    *block = Header{length, nullptr, true, false};
    reserved_bytes_ += length;
    add_free(block);
    return block;
  }

  // Cuts `block` to `size` bytes; the rest becomes a free block of its own.
  void split(Header *block, size_t size) const {
    auto *rest = reinterpret_cast<Header *>(reinterpret_cast<char *>(block) + size);
    *rest = Header{block->size - size, block, block->last, false};
    if (Header *after = rest->next()) after->prev = rest;
    block->size = size;
    block->last = false;
    add_free(rest);
  }

  // Joins `block` with the free block that follows it in the arena.
  static void absorb_next(Header *block) {
    Header *next = block->next();
    block->size += next->size;
    block->last = next->last;
    if (Header *after = block->next()) after->prev = block;
  }

  void release(Header *block) const {
    std::lock_guard<std::mutex> lock(mutex_);
    Header *next = block->next();
    if (next != nullptr && next->free) {
      remove_free(next);
      absorb_next(block);
    }
    if (block->prev != nullptr && block->prev->free) {
      Header *prev = block->prev;
      remove_free(prev);
      absorb_next(prev);
      block = prev;
    }
    add_free(block);
  }

  void add_free(Header *block) const {
    block->free = true;
    free_.insert({block->size, block});
    free_bytes_ += block->size;
  }

  void remove_free(Header *block) const {
    free_.erase({block->size, block});
    free_bytes_ -= block->size;
  }

  size_t release_unused_locked() const {
    size_t bytes = 0;
    for (auto it = free_.begin(); it != free_.end();) {
      Header *block = it->second;
      if (block->prev == nullptr && block->last) {  // a whole arena
        bytes += block->size;
        free_bytes_ -= block->size;
        reserved_bytes_ -= block->size;
        it = free_.erase(it);
        munmap(block, block->size);
      } else {  // keep the page holding the header
        if (madvise(reinterpret_cast<char *>(block) + kPage, block->size - kPage, MADV_DONTNEED) == 0) {
          bytes += block->size - kPage;
        }
        ++it;
      }
    }
    return bytes;
  }

  static void deallocate(void *data) {
    if (data == nullptr) return;
    Header *header = static_cast<Header *>(data) - 1;
    if (header->size == 0) {
      std::free(header);
    } else {
      shared().release(header);
    }
  }

  mutable std::mutex mutex_;
  mutable FreeBlocks free_;
  mutable size_t free_bytes_ = 0;
  mutable size_t reserved_bytes_ = 0;
};

}  // namespace
}  // namespace ctorch

using namespace ctorch;

extern "C" {

int gt_cache_tensor_memory(void) {
  try {
    c10::SetCPUAllocator(&CachingCPUAllocator::shared(), /*priority=*/1);
    return c10::GetCPUAllocator() == &CachingCPUAllocator::shared() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

size_t gt_release_cached_memory(void) { return CachingCPUAllocator::shared().release_unused(); }
gt_allocator_stats gt_allocator_statistics(void) { return CachingCPUAllocator::shared().statistics(); }

}  // extern "C"
