#include <unistd.h>

#include <iostream>

#include "cli.h"
#include "tutti/text.h"

namespace tutti::cli {

Result<std::unique_ptr<App>> Context::OpenApp(Access access) const {
  AppOptions options;
  options.store.create = access == Access::kCreate;
  options.store.read_only = access == Access::kRead;
  return App::Open(db, options);
}

bool Context::ShowProgress() const { return !json && isatty(STDERR_FILENO); }

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kIoError:
    case StatusCode::kInternal:
    case StatusCode::kBusy:
      return kExitIoError;
    default:
      return kExitBadInput;
  }
}

std::string Shown(std::string_view text) { return Printable(text, 1024); }

int Context::Fail(const Status& status) const {
  std::string message = Shown(status.message());
  if (json) PrintJson({{"error", message}});
  std::cerr << "tutti: error: " << message << "\n";
  return ExitCodeFor(status);
}

void Context::PrintJson(const nlohmann::json& doc) const {
  std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace tutti::cli
