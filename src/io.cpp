#include "newsgraph/io.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace newsgraph {

namespace {
std::string TempNameFor(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}
}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), tmp_(TempNameFor(path_)) {
  std::error_code ec;
  auto parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
    status_ = Status::IoError(path_ + ": cannot write: directory '" + parent.string() +
                              "' does not exist");
    return;
  }
  out_.open(tmp_, std::ios::binary | std::ios::trunc);
  if (!out_) {
    status_ = Status::IoError(path_ + ": cannot write: " + std::strerror(errno));
  }
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    if (out_.is_open()) out_.close();
    std::remove(tmp_.c_str());
  }
}

Status AtomicFile::Commit() {
  if (!status_.ok()) return status_;
  out_.flush();
  bool good = static_cast<bool>(out_);
  out_.close();
  if (!good || out_.fail()) {
    std::remove(tmp_.c_str());
    return Status::IoError(path_ + ": write failed (disk full?)");
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::string err = std::strerror(errno);
    std::remove(tmp_.c_str());
    return Status::IoError(path_ + ": cannot write: " + err);
  }
  committed_ = true;
  return Status::Ok();
}

Status ReadFile(const std::string& path, std::string* content) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidInput(path + ": is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::IoError(path + ": read failed");
  *content = std::move(buffer).str();
  return Status::Ok();
}

}  // namespace newsgraph
