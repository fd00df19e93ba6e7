#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;

namespace wsprobe {

// The log's find box: the text to find, previous and next, and where the current row stands
// among the matches. Says searchChanged() after a typing pause (or at once when Escape clears
// the text); which rows match, and moving between them, is the log view's business.
//
// Sub-widgets carry object names for the window and the tests: "searchText", "findPrevious",
// "findNext", "searchStatus".
class FrameFindBar : public QWidget
{
    Q_OBJECT

public:
    explicit FrameFindBar(QWidget *parent = nullptr);

    // What the box holds now, typing pause or not.
    QString text() const;
    // True while typed text waits for the typing pause.
    bool isTyping() const { return m_typingPause.isActive(); }

    // The matches' count, the current row's place among them (-1 when it is not one), whether
    // more may still be found, and how a person names the current match ("message 17"; shown
    // in the count's tooltip).
    void showMatches(int position, int count, bool scanning, const QString &currentName = {});
    void clearMatches();

public Q_SLOTS:
    void focusText();
    // Announces the text now rather than after the typing pause.
    void applyNow();

Q_SIGNALS:
    void searchChanged();
    void nextRequested();
    void previousRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLineEdit *m_text = nullptr;
    QLabel *m_status = nullptr;
    QTimer m_typingPause;
};

} // namespace wsprobe
