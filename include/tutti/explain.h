// Renderings of a decision for people (text) and programs (JSON).
#ifndef TUTTI_EXPLAIN_H_
#define TUTTI_EXPLAIN_H_

#include <nlohmann/json.hpp>
#include <string>

#include "tutti/gate.h"

namespace tutti {

// One line per finding: "[ok] recording right: 'umg' (100%) licensed it: 'L1' (...)";
// consent statements are named by id: "... on all its works (statement 'C12')".
std::string FindingText(const Registry& registry, const Decision& decision, const Finding& f);

// {"verdict": "allow"|"deny", "registry_version": N, "request": {...},
//  "requirements": [{"requirement": ..., "met": ..., "party": "<id>",
//                    "record": {"kind": "license", "id": "L1"} or null, ...}, ...]}
nlohmann::json DecisionJson(const Registry& registry, const Decision& decision);

}  // namespace tutti

#endif  // TUTTI_EXPLAIN_H_
