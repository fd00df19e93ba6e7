#pragma once

#include <QAbstractListModel>
#include <QStringList>

namespace wsprobe {

// The environment files (*.env.json) of a workspace folder and its subfolders, for a picker:
// row 0 is "No environment", then one row per file, sorted by path.
class EnvironmentsModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        FilePathRole = Qt::UserRole + 1,  // QString: absolute path; "" for "No environment"
    };

    static constexpr QStringView Suffix = u".env.json";

    explicit EnvironmentsModel(QObject *parent = nullptr);

    void setFolder(const QString &folder);
    QString folder() const { return m_folder; }
    // Lists the folder again (after a file was created, renamed or removed).
    void refresh();

    QStringList files() const { return m_files; }
    // "" for row 0 and rows out of range.
    QString filePath(int row) const;
    // The row of a file, 0 when it is not listed.
    int rowOf(const QString &filePath) const;
    // "staging" for <folder>/staging.env.json, "ci/local" for <folder>/ci/local.env.json.
    QString environmentName(const QString &filePath) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QString m_folder;
    QStringList m_files;  // absolute, sorted
};

} // namespace wsprobe
