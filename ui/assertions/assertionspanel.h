#pragma once

#include "liveassertion.h"

#include <QList>
#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFrame;
class QLabel;
class QModelIndex;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace wsprobe {

class AssertionsModel;
class LiveAssertions;

// The run-assertions panel: the assertions running on one live session, each with its status,
// counts and failures, and the means to add, remove and reset them. Adding opens an editor in
// the panel: a kind, a JSON spec (with presets), and the spec's error as it is typed. Clicking a
// failure asks the window to show that frame in the log (frameRequested).
class AssertionsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AssertionsPanel(QWidget *parent = nullptr);
    ~AssertionsPanel() override;

    // Not owned; may be null (no session: nothing can be added).
    void setAssertions(LiveAssertions *assertions);
    AssertionsModel *model() const { return m_model; }

    // The panel's actions, also for menus and tests.
    void showEditor();
    // Adds what the editor holds; false (and the editor stays open) when the spec is invalid.
    bool acceptEditor();
    void hideEditor();
    void removeSelected();
    void resetCounts();
    // Opens the editor with "every message matches" the JSON Schema in the file at path, inlined
    // (a matcher's schema is self-contained). False, with the error in the editor, when the file
    // cannot be read or is not JSON, or the schema is not valid. The Schema File… button asks
    // for the path and calls this.
    bool loadSchemaFile(const QString &path);

Q_SIGNALS:
    // The user asked to see a frame a failure points to.
    void frameRequested(qint64 sequence);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Preset
    {
        QString name;
        LiveAssertion::Kind kind;
        QString spec;
    };

    void applyPreset(int index);
    void chooseSchemaFile();
    void kindChanged();
    // Reads the editor; the assertion it describes, or null with the error shown.
    std::unique_ptr<LiveAssertion> validateSpec();
    void cellActivated(const QModelIndex &index);
    void updateButtons();
    void updateSummary();
    void updateDetails();
    void showDetails(const QString &html);
    LiveAssertion::Kind currentKind() const;
    int currentRow() const;

    AssertionsModel *m_model;  // Owned (child).
    QList<Preset> m_presets;
    QString m_untouchedPreset;  // the preset text the editor was filled with, to replace it freely
    QString m_schemaFolder;     // where the last schema file was picked
    QString m_fileError;        // a schema file that could not be loaded, until the text changes

    QLabel *m_summary;          // "3 assertions · 2 passing · 1 failing", coloured
    QPushButton *m_addButton;
    QPushButton *m_removeButton;
    QPushButton *m_resetButton;
    QCheckBox *m_resetOnReconnect;
    QFrame *m_editor;
    QComboBox *m_kind;
    QComboBox *m_preset;
    QPushButton *m_schemaButton;
    QPlainTextEdit *m_spec;
    QLabel *m_error;
    QLabel *m_preview;  // what a valid spec checks
    QDialogButtonBox *m_editorButtons;
    QTableView *m_table;
    QTextBrowser *m_details;  // the selected assertion's failures, with links to their frames
    QString m_detailsHtml;    // what m_details shows
};

} // namespace wsprobe
