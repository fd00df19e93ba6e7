#pragma once

#include "session.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace wsprobe {


// Read-only: the last upgrade request a Session sent (as logged, secrets already masked) and
// what came back: "101 Switching Protocols" with the negotiated subprotocol, or why the upgrade
// failed (the refusing HTTP status, a refused connection, a timeout, TLS). Follows the session's
// FrameLog live, looking only at Handshake, Error and Close events.
class HandshakeView : public QWidget
{
    Q_OBJECT

public:
    enum class Outcome { None, Waiting, Accepted, Failed };

    explicit HandshakeView(QWidget *parent = nullptr);

    // session: not owned; may be null. Shows the last attempt already in its log.
    void setSession(Session *session);
    Session *session() const { return m_session; }

    Outcome outcome() const { return m_outcome; }
    // The one-line summary ("101 Switching Protocols · subprotocol chat", "HTTP 401 Unauthorized
    // · upgrade refused") and the request/response text, as shown.
    QString summary() const;
    QString text() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Attempt
    {
        QString request;
        QString response;
        QString failure;           // the error that ended the attempt
        QStringList notes;         // errors logged before the request (TLS files, ...)
        quint16 httpStatus = 0;
        qint64 requestWallMs = 0;
        qint64 requestNs = 0;
        qint64 responseNs = -1;
        bool rejected = false;     // HandshakeRejected
    };

    void rebuild();
    void onAppended(qint64 first, qint64 end);
    // Returns whether the event changed what is shown.
    bool take(const FrameEvent &event);
    void render();

    QPointer<Session> m_session;   // Not owned.
    QMetaObject::Connection m_appended;
    QMetaObject::Connection m_cleared;
    Attempt m_attempt;
    QStringList m_pendingNotes;
    Outcome m_outcome = Outcome::None;
    QLabel *m_status;
    QPlainTextEdit *m_text;
};

} // namespace wsprobe
