// FunctionRef: a non-owning reference to a callable, like absl::FunctionRef.
// Used where the callee runs the function before returning (or before the
// caller is released), so nothing needs to be copied or allocated.
// The referenced callable must outlive every call. Not synchronised.
#pragma once

#include <type_traits>
#include <utility>

namespace amtsweg::store {

template <class Sig>
class FunctionRef;

template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, FunctionRef> && std::is_invocable_r_v<R, F&, Args...>)
  FunctionRef(F&& f)  // NOLINT: implicit by design, like absl::FunctionRef
      : obj_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* obj, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(obj))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(obj_, std::forward<Args>(args)...); }

 private:
  void* obj_;
  R (*call_)(void*, Args...);
};

}  // namespace amtsweg::store
