#include "fetch/parse_arena.h"

#include <cstdlib>

namespace takedown::fetch::internal {
namespace {

// setjmp's frame: nothing in it may need a destructor, since longjmp leaves it (and the C
// frames of gumbo) without running any.
GumboOutput* ParseOrEscape(const GumboOptions* options, const char* html, size_t size,
                           std::jmp_buf* escape) {
  if (setjmp(*escape) != 0) return nullptr;
  return gumbo_parse_with_options(options, html, size);
}

}  // namespace

ParseArena::ParseArena(std::chrono::steady_clock::time_point deadline, size_t max_bytes)
    : deadline_(deadline), max_bytes_(max_bytes) {}

ParseArena::~ParseArena() {
  for (Block* b = list_.next; b != &list_;) {
    Block* next = b->next;
    std::free(b);
    b = next;
  }
}

GumboOutput* ParseArena::Parse(GumboOptions options, const char* html, size_t size) {
  options.allocator = &ParseArena::Allocate;
  options.deallocator = &ParseArena::Deallocate;
  options.userdata = this;
  return ParseOrEscape(&options, html, size, &escape_);
}

void ParseArena::GiveUp(Exceeded why) {
  exceeded_ = why;
  std::longjmp(escape_, 1);
}

// The clock is read every 1,024 allocations: the parser allocates for every element and text,
// so a parse that runs long is seen within microseconds of its deadline.
void* ParseArena::Allocate(void* arena, size_t size) {
  auto* self = static_cast<ParseArena*>(arena);
  if ((++self->calls_ & 1023) == 0 && std::chrono::steady_clock::now() > self->deadline_) {
    self->GiveUp(Exceeded::kTime);
  }
  if (size > self->max_bytes_ - self->bytes_) self->GiveUp(Exceeded::kMemory);
  auto* block = static_cast<Block*>(std::malloc(sizeof(Block) + size));
  if (block == nullptr) self->GiveUp(Exceeded::kMemory);
  block->size = size;
  block->prev = &self->list_;
  block->next = self->list_.next;
  self->list_.next->prev = block;
  self->list_.next = block;
  self->bytes_ += size;
  return block + 1;
}

void ParseArena::Deallocate(void* arena, void* pointer) {
  if (pointer == nullptr) return;
  auto* self = static_cast<ParseArena*>(arena);
  Block* block = static_cast<Block*>(pointer) - 1;
  block->prev->next = block->next;
  block->next->prev = block->prev;
  self->bytes_ -= block->size;
  std::free(block);
}

}  // namespace takedown::fetch::internal
