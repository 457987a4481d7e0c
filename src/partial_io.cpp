#include "newsgraph/partial_io.hpp"

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include "newsgraph/io.hpp"

namespace newsgraph {

namespace {

constexpr char kMagic[] = "newsgraph-partial\n";
constexpr std::size_t kMagicSize = sizeof(kMagic) - 1;
constexpr char kEnd[] = "end\n";

// Buffers output and writes LEB128 integers and length-prefixed strings. Full buffers are
// written to the stream on a helper thread, so encoding the next buffer overlaps the copy of the
// last one into the file.
class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out), thread_([this] { WriteBuffers(); }) {
    buf_.reserve(kBufferSize);
  }
  ~Writer() {
    Flush();
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Uint(std::uint64_t v) {
    while (v >= 0x80) {
      buf_.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    buf_.push_back(static_cast<char>(v));
    MaybeFlush();
  }
  void String(std::string_view s) {
    Uint(s.size());
    buf_.append(s.data(), s.size());
    MaybeFlush();
  }
  void Raw(std::string_view s) {
    buf_.append(s.data(), s.size());
    MaybeFlush();
  }
  void Counts(const CountList& m) {
    Uint(m.size());
    for (const auto& [k, v] : m) {
      String(k);
      Uint(v);
    }
  }
  // Hands the buffer to the writing thread (waiting while it still has the one before).
  void Flush() {
    if (buf_.empty()) return;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return full_.empty(); });
      full_.swap(buf_);
    }
    cv_.notify_all();
    buf_.clear();
  }

 private:
  static constexpr std::size_t kBufferSize = 1 << 16;
  void MaybeFlush() {
    if (buf_.size() >= kBufferSize) Flush();
  }
  // The helper thread: writes each full buffer, in order, until the destructor says done.
  void WriteBuffers() {
    std::string writing;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return done_ || !full_.empty(); });
        if (full_.empty()) return;
        writing.swap(full_);
      }
      cv_.notify_all();
      out_.write(writing.data(), static_cast<std::streamsize>(writing.size()));
      writing.clear();
    }
  }
  std::ostream& out_;
  std::string buf_;  // being filled (the encoding thread)
  std::mutex mu_;    // guards full_ and done_
  std::condition_variable cv_;
  std::string full_;  // filled, waiting for the helper
  bool done_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

// Reads what Writer writes; the first failure sticks and names the byte offset.
class Reader {
 public:
  Reader(std::istream& in, const std::string& origin) : in_(in), origin_(origin) {}
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  std::uint64_t Uint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const int c = Get();
      if (c < 0) return 0;
      v |= static_cast<std::uint64_t>(c & 0x7F) << shift;
      if ((c & 0x80) == 0) return v;
    }
    Fail("integer too long");
    return 0;
  }
  std::uint32_t Uint32() {
    const std::uint64_t v = Uint();
    if (v > std::numeric_limits<std::uint32_t>::max()) Fail("offset out of range");
    return static_cast<std::uint32_t>(v);
  }
  std::string String() {
    const std::uint64_t n = Uint();
    std::string s;
    if (!ok()) return s;
    if (n > (std::uint64_t{1} << 32)) {
      Fail("string length out of range");
      return s;
    }
    s.resize(n);
    in_.read(s.data(), static_cast<std::streamsize>(n));
    if (static_cast<std::uint64_t>(in_.gcount()) != n) Fail("truncated");
    offset_ += n;
    return s;
  }
  void Counts(std::map<std::string, std::uint64_t>* m) {
    const std::uint64_t n = Uint();
    for (std::uint64_t i = 0; i < n && ok(); ++i) {
      std::string k = String();
      const std::uint64_t v = Uint();
      (*m)[std::move(k)] += v;
    }
  }
  bool Expect(std::string_view bytes) {
    std::string got(bytes.size(), '\0');
    in_.read(got.data(), static_cast<std::streamsize>(bytes.size()));
    offset_ += static_cast<std::uint64_t>(in_.gcount());
    return static_cast<std::size_t>(in_.gcount()) == bytes.size() && got == bytes;
  }
  void Fail(const std::string& what) {
    if (status_.ok())
      status_ = Status::InvalidInput(origin_ + ": byte " + std::to_string(offset_) +
                                     ": not a valid partial graph: " + what);
  }

 private:
  int Get() {
    if (!ok()) return -1;
    const int c = in_.get();
    if (c == std::char_traits<char>::eof()) {
      Fail("truncated");
      return -1;
    }
    ++offset_;
    return c;
  }
  std::istream& in_;
  const std::string& origin_;
  std::uint64_t offset_ = 0;
  Status status_;
};

unsigned ScopeCode(ScopeKind k) {
  switch (k) {
    case ScopeKind::kSentence: return 0;
    case ScopeKind::kParagraph: return 1;
    case ScopeKind::kWindow: return 2;
    case ScopeKind::kDocument: return 3;
  }
  return 0;
}

unsigned SliceCode(TimeSlice t) {
  switch (t) {
    case TimeSlice::kNone: return 0;
    case TimeSlice::kDay: return 1;
    case TimeSlice::kWeek: return 2;
    case TimeSlice::kMonth: return 3;
  }
  return 0;
}

const char* SliceName(TimeSlice t) {
  static const char* const kNames[] = {"none", "day", "week", "month"};
  return kNames[SliceCode(t)];
}

}  // namespace

Status WritePartial(const PartialGraph& graph, const RelateOptions& options, std::ostream& out) {
  {
    Writer w(out);
    w.Raw(std::string_view(kMagic, kMagicSize));
    w.Uint(kPartialFormatVersion);
    w.Uint(ScopeCode(options.scope.kind));
    w.Uint(options.scope.window);
    w.Uint(options.evidence);
    w.Uint(options.evidence_chars);
    w.Uint(SliceCode(options.slice));
    w.Uint(graph.documents());
    w.Uint(graph.units());
    w.Uint(graph.mentions());
    w.Uint(graph.bytes());
    w.Uint(graph.node_count());
    graph.ForEachNode([&](const NodeView& n) {
      w.String(n.name);
      w.Uint(n.frequency);
      w.Uint(n.documents);
      w.Uint(n.units);
      w.String(n.first_seen);
      w.String(n.last_seen);
      w.Counts(n.type_votes);
      w.Counts(n.periods);
      w.Counts(n.surfaces);
    });
    w.Uint(graph.edge_count());
    graph.ForEachEdge([&](const EdgeView& e) {
      w.String(e.first);
      w.String(e.second);
      w.Uint(e.count);
      w.Uint(e.documents);
      w.String(e.first_seen);
      w.String(e.last_seen);
      w.Counts(e.periods);
      w.Uint(e.evidence.size());
      for (const EvidenceView& ev : e.evidence) {
        w.String(ev.doc);
        w.Uint(ev.begin);
        w.Uint(ev.end);
        w.String(ev.text);
      }
    });
    w.Raw(kEnd);
  }
  if (!out) return Status::IoError("write failed");
  return Status::Ok();
}

Status SavePartial(const PartialGraph& graph, const RelateOptions& options,
                   const std::string& path) {
  AtomicFile file(path);
  if (!file.status().ok()) return file.status();
  Status s = WritePartial(graph, options, file.stream());
  if (!s.ok()) return Status::IoError(path + ": " + s.message());
  return file.Commit();
}

Status ReadPartial(std::istream& in, const std::string& origin, PartialGraph* graph,
                   RelateOptions* options) {
  Reader r(in, origin);
  if (!r.Expect(std::string_view(kMagic, kMagicSize))) {
    return Status::InvalidInput(origin + ": not a newsgraph partial graph (no header)");
  }
  const std::uint64_t version = r.Uint();
  if (r.ok() && version != kPartialFormatVersion) {
    return Status::InvalidInput(origin + ": partial graph format version " +
                                std::to_string(version) + ", this newsgraph reads version " +
                                std::to_string(kPartialFormatVersion));
  }
  RelateOptions o;
  const std::uint64_t scope = r.Uint();
  const std::uint64_t window = r.Uint();
  static const ScopeKind kScopes[] = {ScopeKind::kSentence, ScopeKind::kParagraph,
                                      ScopeKind::kWindow, ScopeKind::kDocument};
  if (scope > 3 || window == 0 || window > 1000) r.Fail("bad scope");
  o.scope = {kScopes[scope & 3], static_cast<std::uint32_t>(window)};
  o.evidence = r.Uint();
  o.evidence_chars = r.Uint();
  const std::uint64_t slice = r.Uint();
  static const TimeSlice kSlices[] = {TimeSlice::kNone, TimeSlice::kDay, TimeSlice::kWeek,
                                      TimeSlice::kMonth};
  if (slice > 3) r.Fail("bad time slice");
  o.slice = kSlices[slice & 3];
  PartialGraph g;
  const std::uint64_t documents = r.Uint(), units = r.Uint(), mentions = r.Uint(),
                      bytes = r.Uint();
  g.SetTotals(documents, units, mentions, bytes);
  const std::uint64_t node_count = r.Uint();
  NodeStats n;
  for (std::uint64_t i = 0; i < node_count && r.ok(); ++i) {
    const std::string name = r.String();
    n = NodeStats();
    n.frequency = r.Uint();
    n.documents = r.Uint();
    n.units = r.Uint();
    n.first_seen = r.String();
    n.last_seen = r.String();
    r.Counts(&n.type_votes);
    r.Counts(&n.periods);
    r.Counts(&n.surfaces);
    if (r.ok()) g.AddNode(name, n);
  }
  const std::uint64_t edge_count = r.Uint();
  EdgeStats e;
  for (std::uint64_t i = 0; i < edge_count && r.ok(); ++i) {
    const std::string first = r.String();
    const std::string second = r.String();
    e = EdgeStats();
    e.count = r.Uint();
    e.documents = r.Uint();
    e.first_seen = r.String();
    e.last_seen = r.String();
    r.Counts(&e.periods);
    const std::uint64_t n = r.Uint();
    if (n > o.evidence) r.Fail("more evidence than its limit");
    for (std::uint64_t k = 0; k < n && r.ok(); ++k) {
      Evidence ev;
      ev.doc = r.String();
      ev.begin = r.Uint32();
      ev.end = r.Uint32();
      ev.text = r.String();
      e.evidence.push_back(std::move(ev));
    }
    if (r.ok() && !g.AddEdge(first, second, e, o.evidence)) {
      r.Fail("edge between unknown entities");
    }
  }
  if (!r.ok()) return r.status();
  if (!r.Expect(kEnd)) {
    return Status::InvalidInput(origin + ": not a valid partial graph: truncated or trailing data");
  }
  if (in.peek() != std::char_traits<char>::eof()) {
    return Status::InvalidInput(origin + ": not a valid partial graph: trailing data");
  }
  *graph = std::move(g);
  *options = o;
  return Status::Ok();
}

Status LoadPartial(const std::string& path, PartialGraph* graph, RelateOptions* options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  return ReadPartial(in, path, graph, options);
}

Status CheckMergeable(const RelateOptions& a, const RelateOptions& b) {
  auto describe = [](const RelateOptions& o) {
    return "scope " + ScopeName(o.scope) + ", slice " + SliceName(o.slice) + ", evidence " +
           std::to_string(o.evidence) + " of up to " + std::to_string(o.evidence_chars) +
           " bytes";
  };
  if (a.scope.kind != b.scope.kind || a.scope.window != b.scope.window || a.slice != b.slice ||
      a.evidence != b.evidence || a.evidence_chars != b.evidence_chars) {
    return Status::InvalidInput("partial graphs counted differently cannot be merged (" +
                                describe(a) + " vs " + describe(b) + ")");
  }
  return Status::Ok();
}

}  // namespace newsgraph
