#include "variablefile.h"

#include "locatedjson.h"
#include "variablesyntax.h"

using namespace Qt::StringLiterals;

namespace wsprobe::VariableFile {

bool load(const QString &filePath, Variables::Layer layer, Variables::Secrecy secrecy,
          Variables *variables, QList<JsonError> *errors)
{
    JsonError error;
    const std::optional<LocatedValue> value = LocatedJson::parseFile(filePath, &error);
    if (!value) {
        errors->append(error);
        return false;
    }
    return read(*value, filePath, layer, secrecy, variables, errors);
}

bool parse(QStringView text, const QString &fileName, Variables::Layer layer,
           Variables::Secrecy secrecy, Variables *variables, QList<JsonError> *errors)
{
    JsonError error;
    const std::optional<LocatedValue> value = LocatedJson::parse(text, fileName, &error);
    if (!value) {
        errors->append(error);
        return false;
    }
    return read(*value, fileName, layer, secrecy, variables, errors);
}

bool read(const LocatedValue &object, const QString &fileName, Variables::Layer layer,
          Variables::Secrecy secrecy, Variables *variables, QList<JsonError> *errors)
{
    if (!object.isObject()) {
        errors->append(JsonError{fileName, object.location(),
                                 u"expected an object of variable names and string values, found %1"_s
                                     .arg(object.describe())});
        return false;
    }
    const qsizetype errorsBefore = errors->size();
    for (const LocatedMember &member : object.members()) {
        if (!VariableSyntax::isValidName(member.key)) {
            errors->append(JsonError{fileName, member.keyLocation,
                                     u"\"%1\" is not a valid variable name (letters, digits, '_', "
                                     u"'.' and '-', starting with a letter or '_')"_s.arg(member.key)});
        }
        const LocatedValue &value = member.value;
        if (!value.isString()) {
            QString message = u"expected a string, found %1"_s.arg(value.describe());
            // Values are text; a number or a flag is one pair of quotes away.
            if (value.isNumber() || value.isBool())
                message += u" (write \"%1\")"_s.arg(value.describe());
            errors->append(JsonError{fileName, value.location(), message});
        }
    }
    if (errors->size() != errorsBefore)
        return false;
    for (const LocatedMember &member : object.members())
        variables->set(layer, member.key, member.value.toString(), secrecy);
    return true;
}

} // namespace wsprobe::VariableFile
