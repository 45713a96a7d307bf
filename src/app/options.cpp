#include "app/options.h"

#include <boost/program_options.hpp>

#include <iostream>
#include <sstream>

#include "util/text.h"

namespace po = boost::program_options;

namespace auditeql::app {
namespace {

// A whole decimal number in [min, max]. Boost's own conversion goes through
// lexical_cast, which wraps "-1" around to the largest unsigned value, so
// the digits are checked here (util::parse_uint takes the whole string only).
class BoundedNumber : public po::typed_value<uint64_t> {
 public:
  BoundedNumber(uint64_t min, uint64_t max) : po::typed_value<uint64_t>(nullptr), min_(min), max_(max) {}

  void xparse(boost::any& value_store, const std::vector<std::string>& tokens) const override {
    po::validators::check_first_occurrence(value_store);
    const std::string& token = po::validators::get_single_string(tokens);
    const auto n = util::parse_uint(token);
    if (!n || *n < min_ || *n > max_) {
      po::error_with_option_name error("the argument ('%value%') for option '%canonical_option%' must be a whole "
                                       "number from " + std::to_string(min_) + " to " + std::to_string(max_));
      error.set_substitute("value", token);
      throw error;
    }
    value_store = *n;
  }

 private:
  uint64_t min_, max_;
};

constexpr int kStyle = po::command_line_style::allow_long | po::command_line_style::long_allow_adjacent |
                       po::command_line_style::long_allow_next | po::command_line_style::allow_short |
                       po::command_line_style::allow_dash_for_short | po::command_line_style::short_allow_next;

// Boost pads wrapped help lines with a trailing space.
std::string without_trailing_spaces(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    line.erase(line.find_last_not_of(' ') + 1);
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace

CommandLine::CommandLine(std::string command, std::string intro, std::string outro)
    : command_(std::move(command)), intro_(std::move(intro)), outro_(std::move(outro)), options_("Options") {
  flag("help", &help_, "show this help");
}

CommandLine& CommandLine::flag(const char* name, bool* target, const char* help) {
  options_.add_options()(name, po::bool_switch(target), help);
  return *this;
}

CommandLine& CommandLine::text(const char* name, const char* value_name, std::string* target, const char* help) {
  options_.add_options()(name, po::value(target)->value_name(value_name), help);
  return *this;
}

CommandLine& CommandLine::texts(const char* name, const char* value_name, std::vector<std::string>* target,
                                const char* help) {
  options_.add_options()(name, po::value(target)->value_name(value_name), help);
  return *this;
}

CommandLine& CommandLine::number(const char* name, const char* value_name, std::optional<uint64_t>* target,
                                 uint64_t min, uint64_t max, const char* help) {
  auto* semantic = new BoundedNumber(min, max);  // owned by the option description
  semantic->value_name(value_name)->notifier([target](uint64_t n) { *target = n; });
  const std::string described =
      std::string(help) + " (" + value_name + ": " + std::to_string(min) + " to " + std::to_string(max) + ")";
  options_.add_options()(name, semantic, described.c_str());
  return *this;
}

CommandLine& CommandLine::arguments(std::vector<std::string>* target, size_t max) {
  arguments_ = target;
  max_arguments_ = max;
  return *this;
}

std::optional<int> CommandLine::parse(const std::vector<std::string>& args) {
  std::vector<std::string> plain;
  try {
    // No positional description: plain arguments come back without a name.
    const po::parsed_options parsed = po::command_line_parser(args).options(options_).style(kStyle).run();
    for (const auto& option : parsed.options) {
      if (option.string_key.empty()) plain.insert(plain.end(), option.value.begin(), option.value.end());
    }
    po::variables_map values;
    po::store(parsed, values);
    po::notify(values);
  } catch (const po::unknown_option& e) {
    return usage_error("unknown option " + e.get_option_name());
  } catch (const po::error& e) {
    return usage_error(e.what());
  }
  if (help_) {
    std::cout << usage();
    return 0;
  }
  if (plain.size() > (arguments_ ? max_arguments_ : 0)) {
    return usage_error("unexpected argument '" + plain[arguments_ ? max_arguments_ : 0] + "'");
  }
  if (arguments_) *arguments_ = std::move(plain);
  return std::nullopt;
}

std::string CommandLine::usage() const {
  std::ostringstream options;
  options << options_;
  std::string out = intro_;
  out += '\n';
  out += without_trailing_spaces(options.str());
  if (!outro_.empty()) {
    out += '\n';
    out += outro_;
  }
  return out;
}

int CommandLine::usage_error(const std::string& message) const {
  std::cerr << "auditeql " << command_ << ": " << message << "\n" << usage();
  return 2;
}

}  // namespace auditeql::app
