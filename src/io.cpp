#include "newsgraph/io.hpp"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <streambuf>

namespace newsgraph {

namespace {

std::string TempNameFor(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

// The temporary files of live AtomicFiles, readable from a signal handler: fixed slots whose
// state is a lock-free atomic (free → claimed while the name is copied in → live).
constexpr int kSlots = 256;
enum SlotState : int { kFree = 0, kClaimed = 1, kLive = 2 };
struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX];
};
std::array<Slot, kSlots> g_slots;
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

int RegisterTemporary(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (g_slots[i].state.compare_exchange_strong(expected, kClaimed)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].state.store(kLive);
      return i;
    }
  }
  return -1;  // more than kSlots files open at once: still correct, just not cleaned on a signal
}

void UnregisterTemporary(int slot) {
  if (slot >= 0) g_slots[slot].state.store(kFree);
}

extern "C" void RemoveTemporariesAndDie(int sig) {
  // Only async-signal-safe calls here: unlink, signal, raise.
  for (Slot& s : g_slots) {
    if (s.state.load() == kLive) ::unlink(s.path);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

std::string Reason(int err) { return err == 0 ? std::string("unknown error") : std::strerror(err); }

}  // namespace

// An output buffer over a file descriptor that remembers the first failing write's errno, so a
// full disk is reported as such rather than as a vague stream failure. After a failure it
// discards further output without failing the stream: the writer runs to its end and Commit()
// reports the system's reason.
class AtomicFile::Buffer : public std::streambuf {
 public:
  explicit Buffer(int fd) : fd_(fd) { setp(data_.data(), data_.data() + data_.size()); }
  ~Buffer() override { Close(); }

  // Returns the errno of the first failure, or 0.
  int error() const { return error_; }
  // Writes out what is buffered; returns false on failure.
  bool Flush() {
    WriteAll(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(data_.data(), data_.data() + data_.size());
    return error_ == 0;
  }
  // Writes `n` bytes straight to the file (after a failure, nothing).
  void WriteAll(const char* p, std::size_t n) {
    while (n > 0 && error_ == 0) {
      const ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
      } else if (w == 0) {
        error_ = EIO;
      } else {
        p += w;
        n -= static_cast<std::size_t>(w);
      }
    }
  }
  // Flushes, syncs to disk and closes; returns false on failure.
  bool Finish() {
    if (!Flush()) return false;
    if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS) error_ = errno;
    if (!Close() && error_ == 0) error_ = errno;
    return error_ == 0;
  }
  bool Close() {
    if (fd_ < 0) return true;
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0;
  }

 protected:
  int_type overflow(int_type ch) override {
    Flush();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  // Large writes (the exporters write blocks of a megabyte) skip the copy into the buffer.
  std::streamsize xsputn(const char* s, std::streamsize count) override {
    const auto n = static_cast<std::size_t>(count);
    if (n <= static_cast<std::size_t>(epptr() - pptr())) {
      std::memcpy(pptr(), s, n);
      pbump(static_cast<int>(n));
      return count;
    }
    Flush();
    if (n < data_.size()) {
      std::memcpy(pptr(), s, n);
      pbump(static_cast<int>(n));
    } else {
      WriteAll(s, n);
    }
    return count;
  }
  int sync() override {
    Flush();
    return 0;
  }

 private:
  int fd_;
  int error_ = 0;
  std::array<char, 1 << 16> data_;
};

Status CheckOutputPath(const std::string& path) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
    return Status::IoError(path + ": cannot write: directory '" + parent.string() +
                           "' does not exist");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Status::IoError(path + ": cannot write: is a directory");
  }
  return Status::Ok();
}

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), tmp_(TempNameFor(path_)), out_(nullptr) {
  status_ = CheckOutputPath(path_);
  if (!status_.ok()) {
    out_.setstate(std::ios::badbit);
    return;
  }
  // Registered before it exists, so there is no moment when a signal could leave it behind.
  slot_ = RegisterTemporary(tmp_);
  const int fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    status_ = Status::IoError(path_ + ": cannot write: " + Reason(errno));
    UnregisterTemporary(slot_);
    slot_ = -1;
    out_.setstate(std::ios::badbit);
    return;
  }
  buffer_ = std::make_unique<Buffer>(fd);
  out_.rdbuf(buffer_.get());
}

void AtomicFile::Discard() {
  if (buffer_) {
    buffer_->Close();
    ::unlink(tmp_.c_str());
  }
  UnregisterTemporary(slot_);
  slot_ = -1;
}

AtomicFile::~AtomicFile() {
  if (!committed_) Discard();
}

Status AtomicFile::Commit() {
  if (!status_.ok()) return status_;
  if (committed_) return Status::Ok();
  const bool stream_ok = static_cast<bool>(out_);
  const bool written = buffer_->Finish();
  if (!stream_ok || !written) {
    const int err = buffer_->error();
    Discard();
    status_ = Status::IoError(path_ + ": write failed: " +
                              (err != 0 ? Reason(err) : std::string("the output stream failed")));
    return status_;
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    Discard();
    status_ = Status::IoError(path_ + ": cannot write: " + Reason(err));
    return status_;
  }
  committed_ = true;
  UnregisterTemporary(slot_);
  slot_ = -1;
  return Status::Ok();
}

void RemoveTemporaryFilesOnSignal() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = RemoveTemporariesAndDie;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&action.sa_mask, sig);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    struct sigaction old;
    // A signal ignored by the parent (nohup, background jobs) stays ignored.
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(sig, &action, nullptr);
  }
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
