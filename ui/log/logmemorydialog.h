#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QSpinBox;

namespace wsprobe {

class SessionManager;

// Session → Log Memory: how much payload the window's logs keep in RAM before the oldest moves
// to disk, and where it goes; shows what they hold now. Applied to the SessionManager's budget
// on OK and remembered in the settings (see applySaved).
class LogMemoryDialog : public QDialog
{
    Q_OBJECT

public:
    explicit LogMemoryDialog(SessionManager *sessions, QWidget *parent = nullptr);

    // The saved budget applied to sessions' budget: at start-up.
    static void applySaved(SessionManager *sessions);

    void accept() override;

private:
    void refreshUsage();

    SessionManager *m_sessions;
    QSpinBox *m_limitMiB = nullptr;
    QLineEdit *m_folder = nullptr;
    QLabel *m_usage = nullptr;
};

} // namespace wsprobe
