#pragma once

#include "variables.h"

#include <QMap>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableView;
class QToolButton;

namespace wsprobe {

class EnvironmentsModel;
class EnvironmentVariablesModel;

// Picks the active environment file of a workspace and edits its variables: a picker
// ("No environment" or one of the *.env.json files), a name/value table with secrets masked,
// and New / Add / Remove / Save. What a run uses is activeVariables().
class EnvironmentEditor : public QWidget
{
    Q_OBJECT

public:
    explicit EnvironmentEditor(QWidget *parent = nullptr);

    // Lists the folder's environment files; the active one stays active when it is still there.
    void setWorkspace(const QString &folder);
    QString workspace() const;
    // Lists the folder again (a file was created or removed outside).
    void refresh();

    // "" = no environment.
    QString activeFile() const { return m_activeFile; }
    // Makes a file active and loads it, without asking: unsaved edits of the previous one are
    // dropped. Returns false (and shows why) when the file cannot be read.
    bool setActiveFile(const QString &filePath);

    // The active environment's variables as shown in the table, saved or not, as the
    // EnvironmentFile layer, plus the process environment and the built-in variables.
    Variables activeVariables() const;

    // What wsprobe defines for every environment ({{demoUrl}} while the demo server runs), shown
    // under the table; an environment's own value of the same name wins.
    void setBuiltInVariables(const QMap<QString, QString> &variables);
    QMap<QString, QString> builtInVariables() const { return m_builtIns; }

    bool isModified() const;
    // Writes the table to the active file (atomically). False, with the reason, when there is
    // no active file, a name is invalid or the file cannot be written.
    bool save(QString *error = nullptr);
    // Creates <workspace>/<name>.env.json as an empty object and makes it active (as
    // setActiveFile does: without asking). Returns its path, or "" with the reason.
    QString createEnvironment(const QString &name, QString *error = nullptr);

    EnvironmentsModel *environmentsModel() const { return m_environments; }
    EnvironmentVariablesModel *variablesModel() const { return m_variables; }

Q_SIGNALS:
    void activeFileChanged(const QString &filePath);
    // The variables a run would get changed: another file, an edit, a save.
    void variablesChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    // Asks what to do with unsaved edits; false when the user keeps them (or saving failed).
    bool maySwitch();
    void onPickerActivated(int row);
    void askNewEnvironment();
    void addVariable();
    void removeSelected();
    void showProblem(const QString &problem);
    void updateState();
    void selectActiveInPicker();

    EnvironmentsModel *m_environments;      // Owned (child).
    EnvironmentVariablesModel *m_variables; // Owned (child).
    QString m_activeFile;
    QMap<QString, QString> m_builtIns;
    QString m_loadError;
    QComboBox *m_picker;
    QToolButton *m_newButton;
    QTableView *m_table;
    QToolButton *m_addButton;
    QToolButton *m_removeButton;
    QCheckBox *m_showSecrets;
    QToolButton *m_saveButton;
    QLabel *m_status;
    QLabel *m_builtInLabel;
};

} // namespace wsprobe
