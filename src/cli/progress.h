// A progress line on stderr for a person watching long work:
//   "import: storing 50000/153801 (32%)"
// Silent under --json or when stderr is not a terminal, so scripts and logs see nothing.
// Redrawn at most ten times a second. Not thread-safe: one worker reports.
#ifndef TUTTI_CLI_PROGRESS_H_
#define TUTTI_CLI_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <string>

#include "cli.h"

namespace tutti::cli {

class Progress {
 public:
  Progress(const Context& ctx, std::string label);
  ~Progress();  // clears the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `what` is the current step ("validating", "storing"); `total` 0 means unknown.
  void Update(const std::string& what, size_t done, size_t total);

 private:
  bool enabled_;
  bool drawn_ = false;
  std::string label_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace tutti::cli

#endif  // TUTTI_CLI_PROGRESS_H_
