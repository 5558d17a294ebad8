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
  app.add_option("--db", ctx.db,
                 "the store: a SQLite file (PATH or sqlite:PATH) or a PostgreSQL URI "
                 "(postgresql://...) (default: $TUTTI_DB, else ./tutti.db)");
  app.add_option("--key", ctx.key_path,
                 "the platform's signing key file (default: $TUTTI_KEY, else <db>.key beside a "
                 "SQLite store)");
  app.add_flag("--json", ctx.json, "machine-readable output on stdout");
  app.add_option("--actor", ctx.actor,
                 "who makes the change, for the audit log (default: $TUTTI_ACTOR, else $USER)");

  RegisterRegistryCommands(app, ctx);
  RegisterFingerprintCommands(app, ctx);
  RegisterDemoCommand(app, ctx);
  LetOptionsFallThrough(app);

  // Defaults are resolved before the command runs (CLI11 runs callbacks while parsing).
  app.parse_complete_callback([&] {
    if (ctx.db.empty()) ctx.db = Env("TUTTI_DB");
    if (ctx.db.empty()) ctx.db = "tutti.db";
    if (ctx.key_path.empty()) ctx.key_path = Env("TUTTI_KEY");
    if (ctx.key_path.empty()) ctx.key_path = tutti::DefaultKeyPath(ctx.db);
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
    std::cerr << "tutti: error: " << Shown(e.what()) << "\n(run '"
              << (argc > 1 ? "tutti " + Shown(argv[1]) : std::string("tutti"))
              << " --help' for usage)\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    // Nothing should throw past the libraries' boundaries; if something does, it is a bug
    // in tutti, reported as such rather than as an abort.
    std::cerr << "tutti: internal error: " << Shown(e.what()) << "\n";
    return kExitIoError;
  }
  return ctx.exit_code;
}
