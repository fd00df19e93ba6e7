#include "environmentvariablesmodel.h"

#include "locatedjson.h"
#include "secretmasker.h"
#include "themecolors.h"
#include "variablefile.h"
#include "variables.h"
#include "variablesyntax.h"

#include <QBrush>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPalette>
#include <QSaveFile>
#include <QSet>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// One JSON string literal, quotes included, escaped the way QJsonDocument escapes.
QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);  // without "[" and "]"
}

bool isBlank(const EnvironmentVariablesModel::Variable &variable)
{
    return variable.name.trimmed().isEmpty() && variable.value.isEmpty();
}

} // namespace

EnvironmentVariablesModel::EnvironmentVariablesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

bool EnvironmentVariablesModel::load(const QString &filePath, QString *error)
{
    clear();
    JsonError parseError;
    const std::optional<LocatedValue> object = LocatedJson::parseFile(filePath, &parseError);
    if (!object) {
        if (error)
            *error = parseError.toString();
        return false;
    }
    // The same checks wsprobe-run makes with --env, so the window never accepts a file it refuses.
    Variables checked;
    QList<JsonError> errors;
    if (!VariableFile::read(*object, filePath, Variables::Layer::EnvironmentFile,
                            Variables::Secrecy::ByName, &checked, &errors)) {
        if (error) {
            QStringList lines;
            for (const JsonError &problem : std::as_const(errors))
                lines.append(problem.toString());
            *error = lines.join(u'\n');
        }
        return false;
    }
    QList<Variable> rows;
    for (const LocatedMember &member : object->members())
        rows.append({member.key, member.value.toString()});
    setVariables(rows);
    return true;
}

bool EnvironmentVariablesModel::save(const QString &filePath, QString *error)
{
    const QString problems = validationErrors();
    if (!problems.isEmpty()) {
        if (error)
            *error = problems;
        return false;
    }
    QList<Variable> rows;
    for (const Variable &row : std::as_const(m_rows)) {
        if (!isBlank(row))
            rows.append({row.name.trimmed(), row.value});
    }
    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"%1: %2"_s.arg(filePath, file.errorString());
        return false;
    }
    file.write(toJson(rows));
    if (!file.commit()) {
        if (error)
            *error = u"%1: %2"_s.arg(filePath, file.errorString());
        return false;
    }
    setModified(false);
    return true;
}

void EnvironmentVariablesModel::clear()
{
    setVariables({});
}

void EnvironmentVariablesModel::setVariables(const QList<Variable> &variables)
{
    beginResetModel();
    m_rows = variables;
    endResetModel();
    setModified(false);
}

int EnvironmentVariablesModel::addVariable(const QString &name, const QString &value)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append({name, value});
    endInsertRows();
    setModified(true);
    return row;
}

void EnvironmentVariablesModel::removeVariable(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    setModified(true);
}

void EnvironmentVariablesModel::setShowSecrets(bool show)
{
    if (show == m_showSecrets)
        return;
    m_showSecrets = show;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, ValueColumn), index(rowCount() - 1, ValueColumn));
}

bool EnvironmentVariablesModel::isSecret(int row) const
{
    // An empty Variables judges by the name alone, as it does for an environment file.
    return row >= 0 && row < m_rows.size() && Variables().isSecret(m_rows[row].name.trimmed());
}

QString EnvironmentVariablesModel::problemOf(int row) const
{
    const Variable &variable = m_rows[row];
    if (isBlank(variable))
        return {};
    const QString name = variable.name.trimmed();
    if (name.isEmpty())
        return u"a variable needs a name"_s;
    if (!VariableSyntax::isValidName(name)) {
        return u"\"%1\" is not a valid variable name (letters, digits, '_', '.' and '-', "
               u"starting with a letter or '_')"_s.arg(name);
    }
    for (int earlier = 0; earlier < row; ++earlier) {
        if (m_rows[earlier].name.trimmed() == name)
            return u"\"%1\" is given twice"_s.arg(name);
    }
    return {};
}

QString EnvironmentVariablesModel::validationErrors() const
{
    QStringList problems;
    for (int row = 0; row < m_rows.size(); ++row) {
        const QString problem = problemOf(row);
        if (!problem.isEmpty())
            problems.append(u"row %1: %2"_s.arg(row + 1).arg(problem));
    }
    return problems.join(u'\n');
}

QByteArray EnvironmentVariablesModel::toJson(const QList<Variable> &variables)
{
    if (variables.isEmpty())
        return "{}\n";
    QByteArray text = "{\n";
    for (qsizetype i = 0; i < variables.size(); ++i) {
        text += "  " + jsonString(variables[i].name) + ": " + jsonString(variables[i].value);
        text += i + 1 < variables.size() ? ",\n" : "\n";
    }
    text += "}\n";
    return text;
}

void EnvironmentVariablesModel::setModified(bool modified)
{
    if (modified == m_modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

int EnvironmentVariablesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EnvironmentVariablesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EnvironmentVariablesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Variable &variable = m_rows[index.row()];
    const bool secret = isSecret(index.row());
    const bool masked = secret && !m_showSecrets && !variable.value.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return variable.name;
        return masked ? SecretMasker::Mask.toString() : variable.value;
    case Qt::EditRole:
        if (index.column() == NameColumn)
            return variable.name;
        return masked ? QVariant() : QVariant(variable.value);
    case Qt::ToolTipRole: {
        const QString problem = problemOf(index.row());
        if (!problem.isEmpty())
            return problem;
        if (index.column() == ValueColumn && masked)
            return u"A secret: show secrets to see or edit it"_s;
        return {};
    }
    case Qt::ForegroundRole:
        if (!problemOf(index.row()).isEmpty())
            return QBrush(ThemeColors::failure(QGuiApplication::palette()));
        if (index.column() == ValueColumn && masked)
            return QBrush(ThemeColors::muted(QGuiApplication::palette()));
        return {};
    case SecretRole:
        return secret;
    case ValueRole:
        return variable.value;
    }
    return {};
}

bool EnvironmentVariablesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= m_rows.size() || role != Qt::EditRole)
        return false;
    if (!(flags(index) & Qt::ItemIsEditable))
        return false;
    Variable &variable = m_rows[index.row()];
    QString &field = index.column() == NameColumn ? variable.name : variable.value;
    const QString text = value.toString();
    if (field == text)
        return true;
    field = text;
    // A new name can make a value secret (or not), and make another row a duplicate.
    Q_EMIT dataChanged(this->index(0, 0), this->index(rowCount() - 1, ColumnCount - 1));
    setModified(true);
    return true;
}

Qt::ItemFlags EnvironmentVariablesModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const bool masked = index.column() == ValueColumn && isSecret(index.row()) && !m_showSecrets
        && !m_rows[index.row()].value.isEmpty();
    // Editing a masked value would show it, or replace it unseen.
    if (!masked)
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant EnvironmentVariablesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? u"Name"_s : u"Value"_s;
}

} // namespace wsprobe
