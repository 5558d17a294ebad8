// tutti import FILE
#include <iostream>

#include "cli.h"
#include "progress.h"

namespace tutti::cli {

void RegisterImportCommand(CLI::App& app, Context& ctx) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "import", "import a whole catalog from JSON or CSV (docs/IMPORT.md): all records or none");
  cmd->add_option("FILE", *path, "the catalog file (.json or .csv)")->required();
  cmd->callback([&ctx, path] {
    RunCommand(ctx, [&]() -> Status {
      TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kWrite));
      size_t count = 0;
      {
        Progress progress(ctx, "import");
        TUTTI_ASSIGN_OR_RETURN(std::vector<Record> records,
                               tutti->Import(*path, ctx.actor, [&](size_t done, size_t total) {
                                 progress.Update("storing", done, total);
                               }));
        count = records.size();
      }
      if (ctx.json) {
        ctx.PrintJson({{"imported", count}, {"file", *path}});
      } else {
        std::cout << "imported " << count << " records from " << Shown(*path) << "\n";
      }
      return Status::Ok();
    });
  });
}

}  // namespace tutti::cli
