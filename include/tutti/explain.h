// Renderings of a decision for people (text) and programs (JSON).
#ifndef TUTTI_EXPLAIN_H_
#define TUTTI_EXPLAIN_H_

#include <nlohmann/json.hpp>
#include <string>

#include "tutti/gate.h"

namespace tutti {

// One line per finding: "[ok] recording right: 'umg' 100% licensed by 'L1' (...)".
std::string FindingText(const Registry& registry, const Decision& decision, const Finding& f);

// {"verdict": "allow"|"deny", "request": {...}, "requirements": [{...}, ...]}
nlohmann::json DecisionJson(const Registry& registry, const Decision& decision);

}  // namespace tutti

#endif  // TUTTI_EXPLAIN_H_
