#include "progress.h"

#include <cstdio>

namespace tutti::cli {

Progress::Progress(const Context& ctx, std::string label)
    : enabled_(ctx.ShowProgress()), label_(std::move(label)) {}

Progress::~Progress() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
}

void Progress::Update(const std::string& what, size_t done, size_t total) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  bool last = total > 0 && done >= total;
  if (!last && drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  if (total > 0) {
    std::fprintf(stderr, "\r\033[K%s: %s %zu/%zu (%zu%%)", label_.c_str(), what.c_str(), done,
                 total, done * 100 / total);
  } else {
    std::fprintf(stderr, "\r\033[K%s: %s %zu", label_.c_str(), what.c_str(), done);
  }
  std::fflush(stderr);
}

}  // namespace tutti::cli
