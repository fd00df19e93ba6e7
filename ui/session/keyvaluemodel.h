#pragma once

#include "sessionsettings.h"

#include <QAbstractTableModel>

namespace wsprobe {

class Variables;

// The rows of a key/value table (query parameters, handshake headers) as a table model:
// an enable checkbox, the key and the value. The last row is always an empty placeholder: typing
// a key or a value into it turns it into a real row and a new placeholder appears below, as in
// Postman. The model owns every mutation, so all views of it stay in sync.
class KeyValueModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { EnabledColumn, KeyColumn, ValueColumn, ColumnCount };
    enum Role {
        IsPlaceholderRole = Qt::UserRole + 1,  // bool: the trailing empty row
        IsSecretRole,                          // bool: the value is shown masked (isMasked)
        ExpandedValueRole,                     // QString: the value with {{variables}} expanded
    };
    // Which keys carry secrets whose values are masked (SecretMasker).
    enum class Secrets { None, HeaderNames, ParameterNames };

    explicit KeyValueModel(QObject *parent = nullptr);

    const QList<KeyValue> &rows() const { return m_rows; }
    void setRows(const QList<KeyValue> &rows);
    // Enabled rows with a key: what is sent.
    int activeCount() const;

    void appendRow(const KeyValue &row);
    // Rows only; the placeholder cannot be removed and is ignored.
    void removeRowsAt(QList<int> rows);
    bool isPlaceholder(int row) const { return row == m_rows.size(); }

    void setSecrets(Secrets secrets);
    Secrets secrets() const { return m_secrets; }
    bool isSecretRow(int row) const;
    // The value is shown masked: a secret key, a value that holds more than {{references}}, and
    // secrets not shown.
    bool isMasked(int row) const;
    // Shows secret values in clear text.
    void setShowSecrets(bool show);
    bool showSecrets() const { return m_showSecrets; }

    // Not owned; may be null. With variables, a value's tooltip shows it expanded (secrets
    // masked unless shown). Call again after the variables change.
    void setVariables(const Variables *variables);
    const Variables *variables() const { return m_variables; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

Q_SIGNALS:
    // Any change of rows(): an edit, an insertion, a removal, setRows().
    void rowsEdited();

private:
    QString tooltip(int row) const;

    QList<KeyValue> m_rows;
    Secrets m_secrets = Secrets::None;
    const Variables *m_variables = nullptr;  // Not owned.
    bool m_showSecrets = false;
};

} // namespace wsprobe
