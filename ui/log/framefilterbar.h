#pragma once

#include "framelogfilter.h"

#include <QTimer>
#include <QWidget>

class QAction;
class QLineEdit;
class QToolButton;

namespace wsprobe {

// The log's filter as a row of controls: direction toggles, the Types menu, and payload text
// (substring or regular expression, checked as it is typed). Says filterChanged() when the filter
// it describes changes: at once for a toggle, after a typing pause for the text.
//
// Sub-widgets carry object names for the window and the tests: "filterOutgoing",
// "filterIncoming", "filterLocal", "filterTypes", "filterText", "filterRegex"; the Types menu's
// actions are "filterType_text", "_binary", "_fragment", "_ping", "_pong", "_close",
// "_handshake", "_error" and "_info".
class FrameFilterBar : public QWidget
{
    Q_OBJECT

public:
    // The groups of the Types menu; Fragments holds both kinds of continuation frame.
    enum TypeGroup { Texts, Binaries, Fragments, Pings, Pongs, Closes, Handshakes, Errors, Infos, TypeGroupCount };

    explicit FrameFilterBar(QWidget *parent = nullptr);

    // The bar's state as a matcher. Half-typed regular expressions are invalid all the time: an
    // invalid one keeps the text patterns last announced rather than flashing the whole log.
    FrameMatcher matcher() const;

    // Why the typed regular expression is invalid, with where ("" when it is valid).
    QString errorString() const;

    void setTypeGroupShown(TypeGroup group, bool shown);
    void setDirectionShown(Direction direction, bool shown);

    // Relaxes the filter as little as needed for the event to pass, then announces it: its
    // direction and type are switched on, and the text is cleared only if the event does not
    // contain it (what the user typed otherwise stays).
    void relaxToShow(const FrameEvent &event);

public Q_SLOTS:
    // Announces the filter now rather than after the typing pause.
    void apply();

Q_SIGNALS:
    void filterChanged();
    // errorString() changed (said as the text is typed, not after the pause).
    void errorChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    TextPattern typedPattern() const;
    void validateText();
    void updateTypeButton();

    QToolButton *m_directionButtons[3] = {};
    QToolButton *m_typeButton = nullptr;
    QAction *m_typeActions[TypeGroupCount] = {};
    QLineEdit *m_text = nullptr;
    QToolButton *m_regex = nullptr;

    QTimer m_typingPause;
    QList<TextPattern> m_announcedPatterns;  // what an invalid expression keeps
};

} // namespace wsprobe
