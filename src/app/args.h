#pragma once
// A small declarative command-line parser: --name VALUE, --name=VALUE, flags,
// repeatable options, positional arguments, and "--" to end options.
#include <string>
#include <vector>

namespace auditeql::app {

class ArgParser {
 public:
  void flag(std::string name, bool* target) { specs_.push_back({std::move(name), Kind::Flag, target, nullptr, nullptr}); }
  void option(std::string name, std::string* target) {
    specs_.push_back({std::move(name), Kind::Option, nullptr, target, nullptr});
  }
  void repeated(std::string name, std::vector<std::string>* target) {
    specs_.push_back({std::move(name), Kind::Repeated, nullptr, nullptr, target});
  }

  // Fills the targets and `positional`; false with a message for unknown
  // options or a missing value.
  bool parse(const std::vector<std::string>& args, std::vector<std::string>& positional, std::string& error) const;

 private:
  enum class Kind { Flag, Option, Repeated };
  struct Spec {
    std::string name;
    Kind kind;
    bool* flag;
    std::string* value;
    std::vector<std::string>* values;
  };
  const Spec* find(const std::string& name) const;

  std::vector<Spec> specs_;
};

}  // namespace auditeql::app
