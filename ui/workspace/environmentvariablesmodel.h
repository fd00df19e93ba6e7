#pragma once

#include <QAbstractTableModel>
#include <QByteArray>
#include <QList>
#include <QString>

namespace wsprobe {

// The variables of one environment file, as an editable name/value table in the file's order.
// Values of names that look like credentials ("token", "api_key", "password") are shown masked
// until secrets are shown, and cannot be edited while masked. Saving is atomic (QSaveFile) and
// writes a JSON object of strings, the format VariableFile reads.
class EnvironmentVariablesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, ValueColumn, ColumnCount };
    enum Role {
        SecretRole = Qt::UserRole + 1,  // bool: the name looks like a credential
        ValueRole,                      // QString: the value, never masked
    };

    struct Variable
    {
        QString name;
        QString value;
        friend bool operator==(const Variable &, const Variable &) = default;
    };

    explicit EnvironmentVariablesModel(QObject *parent = nullptr);

    // Reads an environment file. On error the model is empty and error says where and why.
    bool load(const QString &filePath, QString *error);
    // Writes the rows (blank ones skipped) to filePath atomically. Refuses, writing nothing,
    // when a name is invalid or given twice.
    bool save(const QString &filePath, QString *error);
    void clear();

    QList<Variable> variables() const { return m_rows; }
    void setVariables(const QList<Variable> &variables);
    // Appends a row and returns it.
    int addVariable(const QString &name = {}, const QString &value = {});
    void removeVariable(int row);

    bool isModified() const { return m_modified; }
    bool showSecrets() const { return m_showSecrets; }
    void setShowSecrets(bool show);
    bool isSecret(int row) const;
    // The problems save() would refuse, one per line; "" when there is none.
    QString validationErrors() const;

    // The file's text: a JSON object of strings in this order, two-space indented.
    static QByteArray toJson(const QList<Variable> &variables);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void modifiedChanged(bool modified);

private:
    void setModified(bool modified);
    QString problemOf(int row) const;

    QList<Variable> m_rows;
    bool m_modified = false;
    bool m_showSecrets = false;
};

} // namespace wsprobe
