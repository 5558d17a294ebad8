// The `tutti` command: parses the command line and hands over to a command group.
#include <cstdlib>
#include <iostream>

#include "cli.h"

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Global options may follow the subcommand too: `tutti check ... --json`.
void LetOptionsFallThrough(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->fallthrough();
    LetOptionsFallThrough(*sub);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tutti::cli;
  Context ctx;
  CLI::App app{
      "tutti: the license gate, consent, attribution and content identification for "
      "artist-first AI music.",
      "tutti"};
  app.require_subcommand(1);
  app.add_option("--db", ctx.db_path, "the store (default: $TUTTI_DB, else ./tutti.db)");
  app.add_flag("--json", ctx.json, "machine-readable output on stdout");
  app.add_option("--actor", ctx.actor,
                 "who makes the change, for the audit log (default: $TUTTI_ACTOR, else $USER)");

  RegisterRegistryCommands(app, ctx);
  RegisterFingerprintCommands(app, ctx);
  RegisterDemoCommand(app, ctx);
  LetOptionsFallThrough(app);

  // Defaults are resolved before the command runs (CLI11 runs callbacks while parsing).
  app.parse_complete_callback([&] {
    if (ctx.db_path.empty()) ctx.db_path = Env("TUTTI_DB");
    if (ctx.db_path.empty()) ctx.db_path = "tutti.db";
    if (ctx.actor.empty()) ctx.actor = Env("TUTTI_ACTOR");
    if (ctx.actor.empty()) ctx.actor = Env("USER");
    if (ctx.actor.empty()) ctx.actor = "unknown";
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "tutti: error: " << e.what() << "\n(run '"
              << (argc > 1 ? std::string("tutti ") + argv[1] : std::string("tutti"))
              << " --help' for usage)\n";
    return kExitBadInput;
  }
  return ctx.exit_code;
}
