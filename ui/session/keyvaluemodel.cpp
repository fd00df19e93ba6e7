#include "keyvaluemodel.h"

#include "secretmasker.h"
#include "variables.h"
#include "variablesyntax.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// Whether a secret's value holds the secret itself. "{{token}}" and "Bearer {{token}}" only name
// a variable, which is worth seeing; "Bearer abc" and "abc{{suffix}}" are masked.
bool holdsLiteralSecret(const QString &value)
{
    QString literal;
    bool references = false;
    const QList<VariableSyntax::Segment> segments = VariableSyntax::split(value);
    for (const VariableSyntax::Segment &segment : segments) {
        if (segment.kind == VariableSyntax::Segment::Reference)
            references = true;
        else
            literal += segment.kind == VariableSyntax::Segment::Literal ? segment.text
                                                                       : segment.source;
    }
    if (!references)
        return !value.isEmpty();
    const QString rest = literal.trimmed();
    if (rest.isEmpty())
        return false;
    // An authorization scheme before the reference: one word of letters.
    const bool scheme = std::all_of(rest.cbegin(), rest.cend(), [](QChar c) {
        return c.isLetter() || c == u'-';
    });
    return !(scheme && value.startsWith(rest + u' '));
}

} // namespace

KeyValueModel::KeyValueModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void KeyValueModel::setRows(const QList<KeyValue> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
    Q_EMIT rowsEdited();
}

int KeyValueModel::activeCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const KeyValue &row) {
        return row.enabled && !row.key.isEmpty();
    }));
}

void KeyValueModel::appendRow(const KeyValue &row)
{
    // The placeholder stays last: the new row goes in before it.
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.append(row);
    endInsertRows();
    Q_EMIT rowsEdited();
}

void KeyValueModel::removeRowsAt(QList<int> rows)
{
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // From the bottom up, contiguous runs at once, so the indices still to go stay valid.
    qsizetype i = 0;
    while (i < rows.size()) {
        const int last = rows.at(i);
        int first = last;
        while (i + 1 < rows.size() && rows.at(i + 1) == first - 1) {
            ++i;
            --first;
        }
        ++i;
        removeRows(first, last - first + 1);
    }
}

bool KeyValueModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count <= 0)
        return false;
    const int last = std::min(row + count, int(m_rows.size())) - 1;
    if (last < row)
        return false;
    beginRemoveRows({}, row, last);
    m_rows.remove(row, last - row + 1);
    endRemoveRows();
    Q_EMIT rowsEdited();
    return true;
}

void KeyValueModel::setSecrets(Secrets secrets)
{
    if (m_secrets == secrets)
        return;
    m_secrets = secrets;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, ValueColumn), index(int(m_rows.size()) - 1, ValueColumn));
}

bool KeyValueModel::isSecretRow(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return false;
    switch (m_secrets) {
    case Secrets::None:
        return false;
    case Secrets::HeaderNames:
        return SecretMasker::isSecretHeader(m_rows.at(row).key);
    case Secrets::ParameterNames:
        return SecretMasker::isSecretParameter(m_rows.at(row).key);
    }
    return false;
}

bool KeyValueModel::isMasked(int row) const
{
    return !m_showSecrets && isSecretRow(row) && holdsLiteralSecret(m_rows.at(row).value);
}

void KeyValueModel::setShowSecrets(bool show)
{
    if (m_showSecrets == show)
        return;
    m_showSecrets = show;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, ValueColumn), index(int(m_rows.size()) - 1, ValueColumn));
}

void KeyValueModel::setVariables(const Variables *variables)
{
    m_variables = variables;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, KeyColumn), index(int(m_rows.size()) - 1, ValueColumn));
}

int KeyValueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size()) + 1;
}

int KeyValueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeyValueModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    const int row = index.row();
    if (role == IsPlaceholderRole)
        return isPlaceholder(row);
    if (isPlaceholder(row)) {
        if (role == Qt::EditRole || role == Qt::DisplayRole)
            return index.column() == EnabledColumn ? QVariant() : QVariant(QString());
        if (role == Qt::ToolTipRole && index.column() != EnabledColumn)
            return tr("Type here to add a row");
        return {};
    }

    const KeyValue &kv = m_rows.at(row);
    const bool masked = isMasked(row);
    switch (index.column()) {
    case EnabledColumn:
        if (role == Qt::CheckStateRole)
            return kv.enabled ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::ToolTipRole)
            return kv.enabled ? tr("Sent; uncheck to keep the row without sending it")
                              : tr("Not sent; check to send it");
        return {};
    case KeyColumn:
        if (role == Qt::DisplayRole || role == Qt::EditRole)
            return kv.key;
        if (role == Qt::ToolTipRole)
            return kv.key.isEmpty() ? tr("A row without a key is not sent") : QVariant();
        return {};
    case ValueColumn:
        switch (role) {
        case Qt::DisplayRole:
            return masked ? SecretMasker::Mask.toString() : kv.value;
        case Qt::EditRole:
            return kv.value;
        case IsSecretRole:
            return masked;
        case ExpandedValueRole:
            return m_variables ? m_variables->expand(kv.value).text : kv.value;
        case Qt::ToolTipRole:
            return tooltip(row);
        default:
            return {};
        }
    default:
        return {};
    }
}

QString KeyValueModel::tooltip(int row) const
{
    const KeyValue &kv = m_rows.at(row);
    const QStringList names = VariableSyntax::referencedNames(kv.value);
    const bool masked = isMasked(row);
    const bool secretKey = isSecretRow(row) && !m_showSecrets;
    if (names.isEmpty())
        return masked ? tr("A secret: masked here and in the log") : QString();
    if (!m_variables) {
        return tr("Uses %1; the values are filled in when the session connects")
            .arg(names.join(u", "_s));
    }
    const Variables::Expansion expansion = m_variables->expand(kv.value);
    // The expansion of a secret header is a secret, whatever its variables are called.
    QString text = secretKey ? SecretMasker::Mask.toString()
                             : m_variables->maskSecrets(expansion.text);
    QString tip = tr("Expands to: %1").arg(text);
    if (!expansion.unresolved.isEmpty())
        tip += u'\n' + tr("Not defined: %1").arg(expansion.unresolved.join(u", "_s));
    if (!expansion.malformed.isEmpty())
        tip += u'\n' + tr("Not a reference: %1").arg(expansion.malformed.join(u", "_s));
    return tip;
}

bool KeyValueModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.model() != this)
        return false;
    const int row = index.row();
    const int column = index.column();

    if (isPlaceholder(row)) {
        if (role != Qt::EditRole || column == EnabledColumn)
            return false;
        const QString text = value.toString();
        if (text.isEmpty())
            return false;
        KeyValue kv;
        (column == KeyColumn ? kv.key : kv.value) = text;
        // The placeholder turns into this row, and a fresh placeholder appears below it: the
        // cell being edited keeps its index.
        beginInsertRows({}, row + 1, row + 1);
        m_rows.append(kv);
        endInsertRows();
        Q_EMIT dataChanged(this->index(row, 0), this->index(row, ColumnCount - 1));
        Q_EMIT rowsEdited();
        return true;
    }

    KeyValue &kv = m_rows[row];
    if (column == EnabledColumn) {
        if (role != Qt::CheckStateRole)
            return false;
        const bool enabled = value.toInt() == Qt::Checked;
        if (kv.enabled == enabled)
            return true;
        kv.enabled = enabled;
        // The key and value are drawn dimmed when disabled.
        Q_EMIT dataChanged(this->index(row, 0), this->index(row, ColumnCount - 1));
        Q_EMIT rowsEdited();
        return true;
    }
    if (role != Qt::EditRole)
        return false;
    QString &field = column == KeyColumn ? kv.key : kv.value;
    const QString text = value.toString();
    if (field == text)
        return true;
    field = text;
    // A key decides whether the value is a secret.
    Q_EMIT dataChanged(this->index(row, column == KeyColumn ? KeyColumn : ValueColumn),
                       this->index(row, ValueColumn));
    Q_EMIT rowsEdited();
    return true;
}

Qt::ItemFlags KeyValueModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return Qt::NoItemFlags;
    if (index.column() == EnabledColumn) {
        return isPlaceholder(index.row()) ? Qt::ItemIsEnabled
                                          : Qt::ItemIsEnabled | Qt::ItemIsSelectable
                                                | Qt::ItemIsUserCheckable;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
}

QVariant KeyValueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case EnabledColumn: return QString();
        case KeyColumn: return tr("Key");
        case ValueColumn: return tr("Value");
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole && section == EnabledColumn)
        return tr("Only checked rows are sent");
    return {};
}

} // namespace wsprobe
