// /proc readers, on real processes this test starts.
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <sys/sysmacros.h>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "normalize/pipeline.h"
#include "normalize/procfs.h"
#include "support/corpus.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"

using namespace auditeql;
using normalize::ProcSnapshot;

namespace {

// Runs argv in the background, in its own process group; the whole group
// (the script and whatever it forked) is killed when the test is done.
class Background {
 public:
  explicit Background(std::vector<std::string> argv) {
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      const int null = open("/dev/null", O_RDWR);
      dup2(null, 0);
      dup2(null, 1);
      dup2(null, 2);
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    setpgid(pid_, pid_);  // also here, so the group exists whichever side runs first
  }
  ~Background() {
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

// Waits until pid has exec'd (its exe is no longer this test binary).
bool wait_for_exec(pid_t pid, const std::string& not_exe) {
  for (int i = 0; i < 200; ++i) {
    ProcSnapshot s;
    if (normalize::read_proc("/proc", pid, s) && s.exe != not_exe && !s.argv.empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string self_exe() {
  ProcSnapshot self;
  normalize::read_proc("/proc", getpid(), self);
  return self.exe;
}

// The child pids of `parent`, from /proc/*/stat.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> kids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) kids.push_back(std::stoi(name));
  }
  return kids;
}

// A listening TCP socket of this process on the loopback address, on a port
// the kernel picks.
class Listener {
 public:
  explicit Listener(bool ipv6) {
    fd_ = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ipv6) {
      sockaddr_in6 a{};
      a.sin6_family = AF_INET6;
      a.sin6_addr = in6addr_loopback;
      ok_ = bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    } else {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ok_ = bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    ok_ = ok_ && listen(fd_, 1) == 0;
    sockaddr_storage bound{};
    socklen_t size = sizeof bound;
    ok_ = ok_ && getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &size) == 0;
    port_ = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  ~Listener() { close(fd_); }
  bool ok() const { return ok_; }
  int fd() const { return fd_; }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  bool ok_ = false;
  uint16_t port_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(procfs)

BOOST_AUTO_TEST_CASE(a_sockets_local_address_is_read_from_proc) {
  normalize::ProcProcessSource source;
  for (const bool ipv6 : {false, true}) {
    Listener listener(ipv6);
    if (!listener.ok()) {
      BOOST_TEST_MESSAGE("no " << (ipv6 ? "IPv6" : "IPv4") << " loopback here: not checked");
      continue;
    }
    normalize::SocketInfo local;
    BOOST_REQUIRE(source.local_address(getpid(), listener.fd(), local));
    BOOST_TEST(local.has_local);
    BOOST_TEST(local.local_ip == (ipv6 ? "::1" : "127.0.0.1"));
    BOOST_TEST(local.local_port == listener.port());
    BOOST_TEST(local.local_ipv6 == ipv6);
  }
  normalize::SocketInfo none;
  BOOST_TEST(!source.local_address(getpid(), 0, none));  // stdin: no socket
  BOOST_TEST(!source.local_address(getpid(), 987654, none));
}

BOOST_AUTO_TEST_CASE(an_accept_on_a_socket_bound_before_the_log_is_placed_live) {
  Listener listener(false);
  BOOST_REQUIRE(listener.ok());
  // accept4 by this process on that socket, from 127.0.0.1:40000; its bind
  // was never audited.
  testing::SyscallSpec accept;
  accept.serial = 1;
  accept.pid = getpid();
  accept.ppid = getppid();
  accept.syscall = 288;
  accept.exit = 9;
  char fd[16];
  snprintf(fd, sizeof fd, "%x", listener.fd());
  accept.a0 = fd;
  accept.extra = {"SOCKADDR saddr=02009C407F0000010000000000000000"};
  normalize::ProcProcessSource source;
  std::vector<ecs::Event> events;
  normalize::PipelineOptions options;
  options.normalizer.host_name = "h";
  normalize::EventPipeline pipeline(options, [&](const ecs::Event& e) { events.push_back(e); });
  pipeline.normalizer().set_process_source(&source);
  pipeline.feed(testing::syscall_records(accept));
  pipeline.finish();
  BOOST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0].source_ip == "127.0.0.1");
  BOOST_TEST(events[0].source_port == 40000);
  BOOST_TEST(events[0].destination_ip == "127.0.0.1");
  BOOST_TEST(events[0].destination_port == listener.port());
  // This process, read from /proc: its identity is from its start time and the boot.
  BOOST_TEST(!events[0].entity_id.empty());
  BOOST_TEST(!source.boot_id().empty());
}

// accept(fd, NULL, NULL) on a Unix socket: /proc has no IP local end for it.
// Each lookup reads /proc/PID/net/tcp and tcp6 (up to 1 MiB each), so the
// miss is remembered for the descriptor instead of paid at every accept.
BOOST_AUTO_TEST_CASE(a_socket_proc_cannot_place_is_looked_up_once) {
  const int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  BOOST_REQUIRE(listener >= 0);
  struct CountingSource : normalize::ProcProcessSource {
    int local_lookups = 0;
    bool local_address(int64_t pid, int32_t fd, normalize::SocketInfo& out) override {
      ++local_lookups;
      return ProcProcessSource::local_address(pid, fd, out);
    }
  } source;
  std::string log;
  for (uint64_t serial = 1; serial <= 3; ++serial) {
    testing::SyscallSpec accept;
    accept.serial = serial;
    accept.ms += static_cast<int64_t>(serial);
    accept.pid = getpid();
    accept.ppid = getppid();
    accept.syscall = 43;  // accept, no SOCKADDR record: the peer is not given
    accept.exit = 9;
    char fd[16];
    snprintf(fd, sizeof fd, "%x", listener);
    accept.a0 = fd;
    log += testing::syscall_records(accept);
  }
  std::vector<ecs::Event> events;
  normalize::PipelineOptions options;
  options.normalizer.host_name = "h";
  normalize::EventPipeline pipeline(options, [&](const ecs::Event& e) { events.push_back(e); });
  pipeline.normalizer().set_process_source(&source);
  pipeline.feed(log);
  pipeline.finish();
  close(listener);
  BOOST_TEST(events.empty());
  BOOST_TEST(pipeline.stats().normalized.accepts_dropped == 3u);
  BOOST_TEST(source.local_lookups == 1);
}

BOOST_AUTO_TEST_CASE(ids_and_terminal_are_read_with_the_process) {
  ProcSnapshot self;
  BOOST_REQUIRE(normalize::read_proc("/proc", getpid(), self));
  BOOST_TEST(self.credentials.uid == getuid());
  BOOST_TEST(self.credentials.euid == geteuid());
  BOOST_TEST(self.credentials.gid == getgid());
  BOOST_TEST(self.credentials.egid == getegid());
  {
    Background run({"/bin/sleep", "30"});  // stdin from /dev/null; the terminal is the session's
    BOOST_REQUIRE(wait_for_exec(run.pid(), self_exe()));
    ProcSnapshot s;
    BOOST_REQUIRE(normalize::read_proc("/proc", run.pid(), s));
    BOOST_TEST(s.has_tty == self.has_tty);
    const normalize::ProcessEntry entry = normalize::entry_from_proc(s);
    BOOST_TEST(entry.interactive == (self.has_tty ? 1 : 0));
    BOOST_TEST(entry.credentials.euid == geteuid());
  }
}

BOOST_AUTO_TEST_CASE(reads_this_process) {
  ProcSnapshot self;
  BOOST_REQUIRE(normalize::read_proc("/proc", getpid(), self));
  BOOST_TEST(self.exe.find("test_normalize") != std::string::npos);
  BOOST_TEST(!self.argv.empty());
  BOOST_TEST(self.start_time > 0u);
  BOOST_TEST(self.start_time == normalize::read_start_time("/proc", getpid()));
  BOOST_TEST(!normalize::read_proc("/proc", 999999999, self));
}

BOOST_AUTO_TEST_CASE(a_shebang_script_is_the_executable_and_sh_script_is_not) {
  testing::TempDir dir;
  const auto script = dir.write("bin/update-initramfs", "#!/bin/sh\nsleep 30\n");
  chmod(script.c_str(), 0755);
  const std::string me = self_exe();
  {
    Background run({script, "-u"});
    BOOST_REQUIRE(wait_for_exec(run.pid(), me));
    ProcSnapshot s;
    BOOST_REQUIRE(normalize::read_proc("/proc", run.pid(), s));
    BOOST_TEST(s.exe == "/usr/bin/dash");
    const auto image = normalize::image_from_proc(s);
    BOOST_TEST(image->executable == script);
    BOOST_TEST(image->name == "update-initramfs");
    BOOST_TEST((testing::strings(image->args) == std::vector<std::string>{"/bin/sh", script, "-u"}));
  }
  {
    Background run({"/bin/sh", script});
    BOOST_REQUIRE(wait_for_exec(run.pid(), me));
    ProcSnapshot s;
    BOOST_REQUIRE(normalize::read_proc("/proc", run.pid(), s));
    // argv[0] is "/bin/sh" here too, but that is how it was named in execve:
    // the interpreter is the program, exactly as the audit path would say.
    const auto image = normalize::image_from_proc(s);
    BOOST_TEST(image->executable == script);  // indistinguishable from the #! exec: argv is the same
  }
  {
    Background run({"/usr/bin/env", "sh", script});
    BOOST_REQUIRE(wait_for_exec(run.pid(), me));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ProcSnapshot s;
    BOOST_REQUIRE(normalize::read_proc("/proc", run.pid(), s));
    const auto image = normalize::image_from_proc(s);
    BOOST_TEST(image->executable == "/usr/bin/dash");  // argv[0] "sh": not the script's #! line
  }
}

BOOST_AUTO_TEST_CASE(a_forked_subshell_shows_the_script_that_forked_it) {
  testing::TempDir dir;
  const auto script = dir.write("bin/mkinitramfs", "#!/bin/sh\n( sleep 30; true )\n");
  chmod(script.c_str(), 0755);
  Background run({script});
  BOOST_REQUIRE(wait_for_exec(run.pid(), self_exe()));
  std::vector<pid_t> kids;
  for (int i = 0; i < 200 && kids.empty(); ++i) {
    kids = children_of(run.pid());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  BOOST_REQUIRE(!kids.empty());
  normalize::ProcProcessSource source;
  normalize::ProcessEntry entry;
  BOOST_REQUIRE(source.lookup(kids.front(), entry));
  BOOST_TEST(entry.image->name == "mkinitramfs");
  BOOST_TEST(entry.start_time > 0u);
}

BOOST_AUTO_TEST_CASE(pid_reuse_is_detected_by_start_time) {
  normalize::ProcProcessSource source;
  normalize::ProcessEntry current;
  BOOST_REQUIRE(source.lookup(getpid(), current));
  BOOST_TEST(source.still_current(getpid(), current));
  normalize::ProcessEntry older = current;
  older.start_time = current.start_time - 1;  // what the pid was before reuse
  BOOST_TEST(!source.still_current(getpid(), older));
  normalize::ProcessEntry from_audit = current;
  from_audit.start_time = 0;  // learned from the audit stream: never second-guessed
  BOOST_TEST(source.still_current(getpid(), from_audit));
}

BOOST_AUTO_TEST_CASE(the_table_is_seeded_with_live_processes) {
  normalize::ProcessTable table(32768);
  const size_t n = normalize::seed_process_table(table);
  BOOST_TEST(n >= 1u);
  BOOST_TEST(table.size() == n);
  const auto* self = table.find(getpid());
  BOOST_REQUIRE(self != nullptr);
  BOOST_TEST(self->image->executable.find("test_normalize") != std::string::npos);
  normalize::ProcessTable tiny(2);
  normalize::seed_process_table(tiny);
  BOOST_TEST(tiny.size() <= 2u);
}

BOOST_AUTO_TEST_CASE(watched_trees_are_walked_into_the_inode_map) {
  testing::TempDir dir;
  dir.mkdir("modules.d/90a/sub");
  dir.mkdir("modules.d/91b");
  dir.write("modules.d/90a/module-setup.sh", "x");
  std::filesystem::create_directory_symlink(dir.path() / "modules.d", dir.path() / "alias");
  normalize::InodePaths inodes(100);
  const size_t n = normalize::seed_inode_paths(inodes, {dir.str() + "/modules.d", dir.str() + "/alias", "/nonexistent"});
  BOOST_TEST(n == 4u);  // the root and three directories; the alias is the same inode
  struct stat st {};
  BOOST_REQUIRE(stat((dir.str() + "/modules.d/90a/sub").c_str(), &st) == 0);
  const uint64_t dev = (static_cast<uint64_t>(major(st.st_dev)) << 32) | minor(st.st_dev);
  const normalize::KnownDirectory* known = inodes.find({dev, st.st_ino});
  BOOST_REQUIRE(known != nullptr);
  BOOST_TEST(known->path == dir.str() + "/modules.d/90a/sub");
  BOOST_TEST(!known->inferred);
  BOOST_REQUIRE(stat((dir.str() + "/modules.d").c_str(), &st) == 0);
  BOOST_TEST(inodes.find({dev, st.st_ino})->path == dir.str() + "/modules.d");  // first spelling kept
}

BOOST_AUTO_TEST_SUITE_END()
