#pragma once

#include "jsonerror.h"
#include "locatedvalue.h"
#include "variables.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace wsprobe {

// Reads variables from a JSON object of names and string values, as in an environment file
// ({"host": "localhost:8080", "api_token": "..."}) or a scenario's "variables". Either every
// variable is set, or none is and every problem is in errors, with its position.
namespace VariableFile {

bool load(const QString &filePath, Variables::Layer layer, Variables::Secrecy secrecy,
          Variables *variables, QList<JsonError> *errors);
bool parse(QStringView text, const QString &fileName, Variables::Layer layer,
           Variables::Secrecy secrecy, Variables *variables, QList<JsonError> *errors);
bool read(const LocatedValue &object, const QString &fileName, Variables::Layer layer,
          Variables::Secrecy secrecy, Variables *variables, QList<JsonError> *errors);

} // namespace VariableFile
} // namespace wsprobe
