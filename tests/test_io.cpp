// AtomicFile: outputs appear whole or not at all, also on a full disk and on Ctrl-C.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "newsgraph/io.hpp"
#include "test_util.hpp"

using namespace newsgraph;
namespace fs = std::filesystem;

namespace {

// Each test's own directory, removed at its end.
struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("newsgraph-io-") {}
};

using testing::Slurp;

void Spit(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// Returns the names of the directory's entries other than `keep`.
std::vector<std::string> Others(const fs::path& dir, const std::string& keep) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != keep) out.push_back(e.path().filename().string());
  return out;
}

}  // namespace

TEST_CASE("AtomicFile renames into place on commit and leaves nothing else") {
  TempDir dir;
  const fs::path target = dir.path / "g.graphml";
  Spit(target, "old");
  {
    AtomicFile f(target.string());
    REQUIRE(f.status().ok());
    f.stream() << std::string(200000, 'x');
    CHECK(Slurp(target) == "old");  // untouched until Commit
    REQUIRE(f.Commit().ok());
  }
  CHECK(Slurp(target) == std::string(200000, 'x'));
  CHECK(Others(dir.path, "g.graphml").empty());
}

TEST_CASE("AtomicFile destroyed without commit keeps the old file and removes its temporary") {
  TempDir dir;
  const fs::path target = dir.path / "g.dot";
  Spit(target, "good");
  {
    AtomicFile f(target.string());
    REQUIRE(f.status().ok());
    f.stream() << "partial";
    f.stream().flush();
    CHECK(fs::exists(f.temporary_path()));
  }
  CHECK(Slurp(target) == "good");
  CHECK(Others(dir.path, "g.dot").empty());
}

TEST_CASE("AtomicFile names the path when its directory is missing or it is a directory") {
  TempDir dir;
  const std::string missing = (dir.path / "nope" / "g.graphml").string();
  AtomicFile f(missing);
  CHECK(f.status().code() == StatusCode::kIoError);
  CHECK(f.status().message() == missing + ": cannot write: directory '" +
                                    (dir.path / "nope").string() + "' does not exist");
  CHECK_FALSE(f.Commit().ok());
  CHECK_FALSE(fs::exists(dir.path / "nope"));
  CHECK(CheckOutputPath(missing).message() == f.status().message());

  AtomicFile d(dir.path.string());
  CHECK(d.status().message() == dir.path.string() + ": cannot write: is a directory");
  CHECK(CheckOutputPath((dir.path / "ok.dot").string()).ok());
}

TEST_CASE("AtomicFile reports a failed write with the system's reason and keeps the old file") {
  // A file size limit makes write() fail with EFBIG, like a full disk, in a child process.
  TempDir dir;
  const fs::path target = dir.path / "big.json";
  Spit(target, "good");
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = {4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    AtomicFile f(target.string());
    f.stream() << std::string(1 << 20, 'y');
    const Status s = f.Commit();
    const bool ok = !s.ok() && s.code() == StatusCode::kIoError &&
                    s.message() == target.string() + ": write failed: File too large";
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(Slurp(target) == "good");
  CHECK(Others(dir.path, "big.json").empty());
}

TEST_CASE("SIGINT while an AtomicFile is open removes its temporary file and kills the process") {
  TempDir dir;
  const fs::path target = dir.path / "g.gexf";
  Spit(target, "good");
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    RemoveTemporaryFilesOnSignal();
    AtomicFile a(target.string());
    AtomicFile b((dir.path / "h.gexf").string());
    a.stream() << std::string(100000, 'z');
    a.stream().flush();
    b.stream() << "b";
    b.stream().flush();
    ::raise(SIGINT);
    ::_exit(3);  // not reached
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGINT);
  CHECK(Slurp(target) == "good");
  CHECK(Others(dir.path, "g.gexf").empty());
}

TEST_CASE("ReadFile names the file it cannot read") {
  TempDir dir;
  std::string content;
  const std::string missing = (dir.path / "none.txt").string();
  Status s = ReadFile(missing, &content);
  CHECK(s.message() == missing + ": cannot open: No such file or directory");
  s = ReadFile(dir.path.string(), &content);
  CHECK(s.code() == StatusCode::kInvalidInput);
  CHECK(s.message() == dir.path.string() + ": is a directory, expected a file");
}
