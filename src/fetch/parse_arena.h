// Internal to fetch: runs gumbo under a time and memory budget. Every block gumbo allocates is
// kept in a list, so that a parse can be abandoned half-way (gumbo has no way to stop) and the
// tree freed without gumbo_destroy_output, which recurses once per level of the tree and so
// overflows the stack on a deep enough page. One ParseArena per parse; not thread-safe.
#pragma once

#include <gumbo.h>

#include <chrono>
#include <csetjmp>
#include <cstddef>

namespace takedown::fetch::internal {

class ParseArena {
 public:
  enum class Exceeded { kNone, kTime, kMemory };

  ParseArena(std::chrono::steady_clock::time_point deadline, size_t max_bytes);
  ~ParseArena();  // frees everything gumbo left, the output included
  ParseArena(const ParseArena&) = delete;
  ParseArena& operator=(const ParseArena&) = delete;

  // Parses `html`; nullptr when the budget ran out (see exceeded()). The output lives as long
  // as the arena: do not call gumbo_destroy_output on it.
  GumboOutput* Parse(GumboOptions options, const char* html, size_t size);
  Exceeded exceeded() const { return exceeded_; }

 private:
  struct alignas(std::max_align_t) Block {
    Block* prev;
    Block* next;
    size_t size;
  };
  static void* Allocate(void* arena, size_t size);
  static void Deallocate(void* arena, void* pointer);
  [[noreturn]] void GiveUp(Exceeded why);

  Block list_{&list_, &list_, 0};  // sentinel of a circular list
  std::chrono::steady_clock::time_point deadline_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  size_t calls_ = 0;
  Exceeded exceeded_ = Exceeded::kNone;
  std::jmp_buf escape_;
};

}  // namespace takedown::fetch::internal
