#pragma once

#include "sourcelocation.h"

#include <QString>

namespace wsprobe {

// One problem found in a JSON file: where it is and what was expected there.
struct JsonError
{
    QString file;
    SourceLocation where;
    QString message;

    // "scenario.json:12:5: expected ',' or '}' after an object member, found ']'": the GCC form
    // that editors, terminals and CI annotate. Without a position: "scenario.json: message".
    QString toString() const;
};

} // namespace wsprobe
