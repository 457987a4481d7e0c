// RapidJSON helpers for the data files (internal header).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "newsgraph/status.hpp"

namespace newsgraph::json {

// Parses `text`; a syntax error names `origin`, line and column and RapidJSON's message.
inline Status Parse(std::string_view text, const std::string& origin, rapidjson::Document* doc) {
  // Iterative: deeply nested input must not overflow the stack (recursive descent would).
  doc->Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (!doc->HasParseError()) return Status::Ok();
  const std::size_t offset = std::min(doc->GetErrorOffset(), text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') { ++line; column = 1; } else { ++column; }
  }
  return Status::InvalidInput(origin + ":" + std::to_string(line) + ":" + std::to_string(column) +
                              ": malformed JSON: " +
                              rapidjson::GetParseError_En(doc->GetParseError()));
}

// Returns an error naming the first member of `object` not in `allowed`.
inline Status CheckFields(const rapidjson::Value& object, std::initializer_list<std::string_view> allowed,
                          const std::string& where) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    const std::string_view name(it->name.GetString(), it->name.GetStringLength());
    bool known = false;
    for (auto a : allowed) known = known || a == name;
    if (!known) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Status::InvalidInput(where + ": unknown field \"" + std::string(name) +
                                  "\" (expected one of: " + list + ")");
    }
  }
  return Status::Ok();
}

// Reads an optional string member into `out`.
inline Status GetString(const rapidjson::Value& object, const char* name, const std::string& where,
                        std::string* out, bool required = false) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) {
    return required ? Status::InvalidInput(where + ": missing field \"" + name + "\"") : Status::Ok();
  }
  if (!it->value.IsString()) {
    return Status::InvalidInput(where + ": field \"" + name + "\" must be a string");
  }
  out->assign(it->value.GetString(), it->value.GetStringLength());
  if (required && out->empty()) {
    return Status::InvalidInput(where + ": field \"" + name + "\" must not be empty");
  }
  return Status::Ok();
}

// Reads an optional array-of-strings member into `out` (appending).
inline Status GetStringArray(const rapidjson::Value& object, const char* name,
                             const std::string& where, std::vector<std::string>* out) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return Status::Ok();
  if (!it->value.IsArray()) {
    return Status::InvalidInput(where + ": field \"" + name + "\" must be an array of strings");
  }
  for (const auto& v : it->value.GetArray()) {
    if (!v.IsString()) {
      return Status::InvalidInput(where + ": field \"" + name + "\" must be an array of strings");
    }
    out->emplace_back(v.GetString(), v.GetStringLength());
  }
  return Status::Ok();
}

}  // namespace newsgraph::json
