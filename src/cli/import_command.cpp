// tutti import FILE
#include <iostream>

#include "commit.h"
#include "tutti/import.h"

namespace tutti::cli {

void RegisterImportCommand(CLI::App& app, Context& ctx) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "import", "import a whole catalog from JSON or CSV (docs/IMPORT.md): all records or none");
  cmd->add_option("FILE", *path, "the catalog file (.json or .csv)")->required();
  cmd->callback([&ctx, path] {
    RunCommand(ctx, [&]() -> Status {
      TUTTI_ASSIGN_OR_RETURN(std::vector<Record> records, ReadCatalogFile(*path));
      size_t count = records.size();
      TUTTI_RETURN_IF_ERROR(CommitRecords(
          ctx, [&](const Registry&) -> Result<std::vector<Record>> { return std::move(records); }));
      if (ctx.json) {
        ctx.PrintJson({{"imported", count}, {"file", *path}});
      } else {
        std::cout << "imported " << count << " records from " << *path << "\n";
      }
      return Status::Ok();
    });
  });
}

}  // namespace tutti::cli
