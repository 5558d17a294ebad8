#include <unistd.h>

#include <iostream>

#include "cli.h"

namespace tutti::cli {

Result<std::unique_ptr<Store>> Context::OpenStore(bool create) const {
  SqliteOptions options;
  options.create = create;
  return OpenSqliteStore(db_path, options);
}

bool Context::ShowProgress() const { return !json && isatty(STDERR_FILENO); }

int Context::Fail(const Status& status) const {
  if (json) {
    PrintJson({{"error", status.message()}});
  }
  std::cerr << "tutti: error: " << status.message() << "\n";
  return kExitBadInput;
}

void Context::PrintJson(const nlohmann::json& doc) const { std::cout << doc.dump(2) << "\n"; }

}  // namespace tutti::cli
