// newsgraph: the command-line front end. Parses arguments, calls the library and maps errors
// to exit codes (0 success, 1 bad input or usage, 2 internal error). Each subcommand lives in
// its own *_command.cpp and registers itself here.
#include <iostream>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "newsgraph/io.hpp"

int main(int argc, char** argv) {
  namespace cli = newsgraph::cli;
  CLI::App app{"newsgraph: turns news text into a knowledge graph of people, countries, "
               "organisations, places, events and documents."};
  app.set_version_flag("--version", std::string("newsgraph ") + NEWSGRAPH_VERSION);
  app.require_subcommand(1);
  const std::vector<cli::Runner> runners = {cli::RegisterExtract(&app), cli::RegisterBuild(&app),
                                            cli::RegisterMerge(&app), cli::RegisterQuery(&app)};
  // Ctrl-C (or a kill) while an output is being written removes its temporary file.
  newsgraph::RemoveTemporaryFilesOnSignal();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    for (const auto& run : runners) {
      const int rc = run();
      if (rc >= 0) return rc;
    }
  } catch (const std::exception& e) {
    std::cerr << "newsgraph: internal error: " << e.what() << "\n";
    return 2;
  }
  return 1;
}
