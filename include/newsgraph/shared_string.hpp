// shared_string: an immutable string held once however many objects copy it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstring>
#include <functional>
#include <new>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "newsgraph/shared_ref.hpp"

namespace newsgraph {

// An immutable string shared by reference counting: copies share one buffer, so a passage
// quoted by many edges, or a date on many edges, costs its bytes once and 8 bytes per holder.
// The text lives in the same heap block as its count (16 bytes before it), NUL-terminated.
// Reads like a std::string_view (it converts to one; str() returns one); assigning a new value
// replaces the reference, never the shared text. Copies may be used and released from several
// threads.
class SharedString {
 public:
  SharedString() = default;
  SharedString(std::string_view s) : rep_(s.empty() ? nullptr : Rep::Make(s)) {}
  SharedString(const std::string& s) : SharedString(std::string_view(s)) {}
  SharedString(const char* s) : SharedString(std::string_view(s)) {}

  // Returns the text ("" when empty). The view stays valid while this object holds it.
  std::string_view str() const {
    return rep_.get() ? std::string_view(rep_.get()->text(), rep_.get()->size) : "";
  }
  operator std::string_view() const { return str(); }
  std::size_t size() const { return rep_.get() ? rep_.get()->size : 0; }
  bool empty() const { return rep_.get() == nullptr; }
  const char* data() const { return c_str(); }
  const char* c_str() const { return rep_.get() ? rep_.get()->text() : ""; }

  friend bool operator==(const SharedString& a, const SharedString& b) {
    return a.rep_.get() == b.rep_.get() || a.str() == b.str();
  }
  friend bool operator!=(const SharedString& a, const SharedString& b) { return !(a == b); }
  friend bool operator<(const SharedString& a, const SharedString& b) {
    return a.rep_.get() != b.rep_.get() && a.str() < b.str();
  }
  // Comparisons with anything that reads as a string_view (std::string, literals, ...).
  template <class T, class = std::enable_if_t<std::is_convertible_v<const T&, std::string_view> &&
                                              !std::is_same_v<T, SharedString>>>
  friend bool operator==(const SharedString& a, const T& b) {
    return a.str() == std::string_view(b);
  }
  template <class T, class = std::enable_if_t<std::is_convertible_v<const T&, std::string_view> &&
                                              !std::is_same_v<T, SharedString>>>
  friend bool operator==(const T& a, const SharedString& b) {
    return b == a;
  }
  template <class T, class = std::enable_if_t<std::is_convertible_v<const T&, std::string_view> &&
                                              !std::is_same_v<T, SharedString>>>
  friend bool operator!=(const SharedString& a, const T& b) {
    return !(a == b);
  }
  template <class T, class = std::enable_if_t<std::is_convertible_v<const T&, std::string_view> &&
                                              !std::is_same_v<T, SharedString>>>
  friend bool operator!=(const T& a, const SharedString& b) {
    return !(b == a);
  }
  friend std::ostream& operator<<(std::ostream& out, const SharedString& s) {
    return out << s.str();
  }

 private:
  // The count and size, with the text right after them in the same block.
  struct Rep {
    std::atomic<std::size_t> refs;
    std::size_t size;
    char* text() { return reinterpret_cast<char*>(this + 1); }
    static Rep* Make(std::string_view s) {
      void* block = ::operator new(sizeof(Rep) + s.size() + 1);
      Rep* rep = new (block) Rep{{1}, s.size()};
      std::memcpy(rep->text(), s.data(), s.size());
      rep->text()[s.size()] = '\0';
      return rep;
    }
    static void Free(Rep* rep) {
      rep->~Rep();
      ::operator delete(rep);
    }
  };
  static_assert(sizeof(Rep) == 16, "the text follows the 16-byte header");
  SharedRef<Rep> rep_;
};

// Hands out one SharedString per distinct text, so equal texts share one buffer.
class SharedStringPool {
 public:
  // Returns the shared copy of `s`, made on first use.
  const SharedString& Get(std::string_view s) {
    auto it = index_.find(s);
    if (it != index_.end()) return it->second;
    SharedString shared{s};
    const std::string_view key = shared;  // points into the shared buffer, which never moves
    return index_.emplace(key, std::move(shared)).first->second;
  }
  const SharedString& Get(const char* s) { return Get(std::string_view(s)); }
  std::size_t size() const { return index_.size(); }

 private:
  std::unordered_map<std::string_view, SharedString> index_;
};

}  // namespace newsgraph
