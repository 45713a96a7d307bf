#include "app/args.h"

namespace auditeql::app {

const ArgParser::Spec* ArgParser::find(const std::string& name) const {
  for (const auto& spec : specs_) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

bool ArgParser::parse(const std::vector<std::string>& args, std::vector<std::string>& positional,
                      std::string& error) const {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional.insert(positional.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      return true;
    }
    if (arg.size() < 2 || arg[0] != '-' || arg == "-") {
      positional.push_back(arg);
      continue;
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const Spec* spec = find(name);
    if (spec == nullptr) {
      error = "unknown option " + name;
      return false;
    }
    if (spec->kind == Kind::Flag) {
      if (eq != std::string::npos) {
        error = "option " + name + " takes no value";
        return false;
      }
      *spec->flag = true;
      continue;
    }
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      error = "option " + name + " needs a value";
      return false;
    }
    if (spec->kind == Kind::Option) {
      *spec->value = std::move(value);
    } else {
      spec->values->push_back(std::move(value));
    }
  }
  return true;
}

}  // namespace auditeql::app
