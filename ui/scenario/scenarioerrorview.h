#pragma once

#include "jsonerror.h"

#include <QList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace wsprobe {

struct Scenario;

// A scenario file that cannot be read, shown in its tab instead of a dialog: each error as
// file:line:column, Reload to read the file again once it is fixed in an editor, and Open in
// Editor. When a reload succeeds it hands the scenario over (loaded) for a run view to replace it.
class ScenarioErrorView : public QWidget
{
    Q_OBJECT

public:
    explicit ScenarioErrorView(const QString &path, QWidget *parent = nullptr);

    // As given: the errors name the file the same way.
    QString path() const { return m_path; }
    // The absolute path, to find the tab of a file that is opened again.
    QString absolutePath() const;
    // The file's name, for a tab title.
    QString title() const;

    void setErrors(const QList<JsonError> &errors);
    const QList<JsonError> &errors() const { return m_errors; }

    // The actions a user has (the buttons), also for tests.
    // Reads the file again: true, and loaded(), when it is good now; else the new errors show.
    bool reload();
    void openInEditor();

Q_SIGNALS:
    void loaded(const wsprobe::Scenario &scenario);

private:
    QString m_path;
    QList<JsonError> m_errors;
    QLabel *m_heading;
    QPlainTextEdit *m_text;
    QPushButton *m_reloadButton;
    QPushButton *m_editButton;
};

} // namespace wsprobe
