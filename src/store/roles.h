// The roles of the store that one consumer uses, named in its type: a consumer that reads cases
// and queues jobs takes `Roles<CaseStore, JobQueue>`, and whatever implements those roles (the
// Store, or a test's fake of just them) converts to it. The consumer then cannot reach a method
// of a role it did not name.
//
// Holds references only: the store must outlive it. Copyable; safe to share between threads as
// the roles themselves are.
#pragma once

#include <tuple>
#include <type_traits>

namespace takedown::store {

template <typename... Role>
class Roles {
 public:
  template <typename Impl>
  requires(std::is_base_of_v<Role, Impl>&&...)
      Roles(Impl& impl)  // NOLINT(google-explicit-constructor): a Store is passed where roles are
      : refs_(static_cast<Role&>(impl)...) {}

  // From the roles one by one (when they are held apart), or from a wider set of roles.
  explicit Roles(Role&... roles) : refs_(roles...) {}
  template <typename... Wider>
  Roles(const Roles<Wider...>& wider)  // NOLINT(google-explicit-constructor): narrowing is safe
      : refs_(wider.template get<Role>()...) {}

  template <typename R>
  R& get() const {
    return std::get<R&>(refs_);
  }

 private:
  std::tuple<Role&...> refs_;
};

}  // namespace takedown::store
