#pragma once

#include "composedmessage.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QListView;
class QPushButton;
class QToolButton;
class QsciLexerJSON;
class QsciScintilla;

namespace wsprobe {

class SavedMessagesModel;

// Writes the next message: a JSON-aware editor, how to read its text (text, hex, base64, ping),
// Beautify, Send (Ctrl+Enter), and the session's saved messages to send again. It only asks
// for a send (sendRequested); the window hands the message to the Session.
//
// Text that is not JSON is fine to send: a JSON-looking text that does not parse gets a warning
// with its line and column, never a block. Hex or base64 that does not decode, and ping payloads
// over 125 bytes, are refused with the reason.
class Composer : public QWidget
{
    Q_OBJECT

public:
    explicit Composer(QWidget *parent = nullptr);

    QsciScintilla *editor() const { return m_editor; }
    QString text() const;
    void setText(const QString &text);
    SendMode sendMode() const;
    void setSendMode(SendMode mode);

    // Composes the message and emits sendRequested; when the text cannot be sent in the chosen
    // mode, shows why and returns false.
    bool send();
    // Pretty-prints JSON (or regroups hex); leaves other text as it is and says so.
    bool beautify();
    // The non-blocking JSON warning and the blocking error or note, as shown ("" when none).
    QString jsonWarning() const;
    QString notice() const;

    SavedMessagesModel *savedMessagesModel() const { return m_saved; }
    QList<SavedMessage> savedMessages() const;
    void setSavedMessages(const QList<SavedMessage> &messages);
    // Saves the editor's text and mode under name; returns its row.
    int saveCurrent(const QString &name);
    // Asks for a name (default: the text's first 30 characters), then saves.
    void promptSaveCurrent();
    // Sends a saved message as it was saved, without touching the editor.
    bool sendSaved(int row);
    // Puts a saved message into the editor to change it.
    void loadSaved(int row);

    // Where the composer is narrower than the editor and the saved list need side by side (two
    // sessions split in a 1280-pixel window), the list hides and a "Saved" menu takes its place;
    // the minimum width is the editor's.
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void sendRequested(const wsprobe::ComposedMessage &message);
    void savedMessagesChanged();

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    enum class NoticeKind { Info, Error };
    void showNotice(const QString &text, NoticeKind kind);
    // The editor, the lexer and the coloured notes in the current palette's shades.
    void applyColors();
    void updateChecks();
    void applyMode();
    int selectedSavedRow() const;
    void moveSelectedSaved(int delta);
    void updateSavedButtons();

    QsciScintilla *m_editor;
    QsciLexerJSON *m_lexer;         // Owned (child of the editor).
    QComboBox *m_mode;
    QPushButton *m_beautifyButton;
    QPushButton *m_sendButton;
    QLabel *m_size;
    QLabel *m_warning;
    QLabel *m_notice;
    NoticeKind m_noticeKind = NoticeKind::Info;
    SavedMessagesModel *m_saved;    // Owned (child).
    QListView *m_savedView;
    QWidget *m_editorPane;
    QWidget *m_savedPane;
    QToolButton *m_savedMenuButton;  // stands in for the saved list while it is hidden
    QToolButton *m_loadButton;
    QToolButton *m_upButton;
    QToolButton *m_downButton;
    QToolButton *m_removeButton;
    QTimer m_checkTimer;            // checks the text once typing pauses
};

} // namespace wsprobe
