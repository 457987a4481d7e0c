// Errors reported by value: every fallible library call returns a Status.
#pragma once

#include <string>
#include <utility>

namespace newsgraph {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,  // the user's data, files or arguments are at fault (CLI exit 1)
  kIoError,       // a file could not be read or written (CLI exit 1)
  kNotFound,      // a named thing (entity, file) does not exist (CLI exit 1)
  kInternal,      // a bug or an unexpected failure inside newsgraph (CLI exit 2)
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidInput(std::string m) { return {StatusCode::kInvalidInput, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  // Returns true when the call succeeded.
  bool ok() const { return code_ == StatusCode::kOk; }
  // Returns the category of the failure.
  StatusCode code() const { return code_; }
  // Returns the human-readable message, naming file and line where there is one.
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

}  // namespace newsgraph
