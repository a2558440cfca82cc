// FEEL types (DMN 1.3 §10.3.2.9) for `instance of`, typed function parameters
// and DMN item definitions: built-in types, list<T>, context<k: T>, range<T>,
// function<T..> -> T, and named types resolved by the caller.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "feel/value.h"

namespace amtsweg::feel {

struct Type;
using TypePtr = std::shared_ptr<const Type>;

struct Type {
  enum class Tag {
    kAny,
    kNull,
    kNumber,
    kString,
    kBoolean,
    kDate,
    kTime,
    kDateTime,
    kYmDuration,
    kDtDuration,
    kList,
    kContext,
    kRange,
    kFunction,
  };
  Tag tag = Tag::kAny;
  TypePtr element;                                   // list, range
  std::vector<std::pair<std::string, TypePtr>> fields;  // context
  std::vector<TypePtr> params;                       // function
  TypePtr result;                                    // function
  // Optional constraint (DMN allowedValues), checked by Conforms.
  std::function<bool(const Value&)> constraint;

  static TypePtr Of(Tag t);
  std::string ToString() const;
};

// Resolves a named type (DMN item definition); nullptr if unknown.
using TypeResolver = std::function<TypePtr(std::string_view name)>;

// Parses "number", "date and time", "list<string>", "context<a: number>",
// "function<number> -> string", "Any", or a name known to `resolver`.
// kInvalidArgument for malformed text or an unknown name.
core::Result<TypePtr> ParseType(std::string_view text, const TypeResolver& resolver = nullptr);

// Built-in type by name ("number", "dateTime", "dayTimeDuration", ...); nullptr if none.
TypePtr BuiltinType(std::string_view name);

// `value instance of type`: null is an instance only of Null (and not of Any);
// constraints (allowed values) are ignored.
bool InstanceOf(const Value& v, const Type& t);
// Conformance for typed variables: like InstanceOf, and null conforms to every type.
bool Conforms(const Value& v, const Type& t);

// DMN type conversion on assignment (DMN 1.4 §10.3.2.9.4): a conforming value
// is kept; a singleton list becomes its element for a non-list type; a single
// value becomes a singleton list for a list type; a date becomes a date and
// time at midnight UTC. nullopt when none applies. Null converts to null.
std::optional<Value> ConvertTo(const Value& v, const Type& t);

// The type of a value, for function type checks.
Type::Tag TagOf(const Value& v);

}  // namespace amtsweg::feel
