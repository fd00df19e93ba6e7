#include "handshakeview.h"

#include "framelog.h"
#include "session.h"
#include "themecolors.h"

#include <QDateTime>
#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString reasonPhrase(int status)
{
    switch (status) {
    case 400: return u"Bad Request"_s;
    case 401: return u"Unauthorized"_s;
    case 402: return u"Payment Required"_s;
    case 403: return u"Forbidden"_s;
    case 404: return u"Not Found"_s;
    case 405: return u"Method Not Allowed"_s;
    case 406: return u"Not Acceptable"_s;
    case 407: return u"Proxy Authentication Required"_s;
    case 408: return u"Request Timeout"_s;
    case 409: return u"Conflict"_s;
    case 410: return u"Gone"_s;
    case 426: return u"Upgrade Required"_s;
    case 429: return u"Too Many Requests"_s;
    case 500: return u"Internal Server Error"_s;
    case 501: return u"Not Implemented"_s;
    case 502: return u"Bad Gateway"_s;
    case 503: return u"Service Unavailable"_s;
    case 504: return u"Gateway Timeout"_s;
    default: return {};
    }
}

// The subprotocol the server chose, from its 101 as logged.
QString subprotocolOf(const QString &response)
{
    static constexpr QLatin1StringView Name = "sec-websocket-protocol:"_L1;
    const QStringList lines = response.split(u'\n');
    for (const QString &line : lines) {
        if (line.startsWith(Name, Qt::CaseInsensitive))
            return line.mid(Name.size()).trimmed();
    }
    return {};
}

QString formatDuration(qint64 ns)
{
    if (ns < 10'000'000)
        return u"%1 ms"_s.arg(ns / 1e6, 0, 'f', 1);
    if (ns < 10'000'000'000)
        return u"%1 ms"_s.arg(ns / 1'000'000);
    return u"%1 s"_s.arg(ns / 1e9, 0, 'f', 1);
}

} // namespace

HandshakeView::HandshakeView(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
{
    m_status->setObjectName(u"handshakeStatus"_s);
    m_status->setTextFormat(Qt::RichText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setObjectName(u"handshakeText"_s);
    m_text->setReadOnly(true);
    // Long tokens and error texts wrap rather than hide behind a scroll bar.
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_text, 1);
    render();
}

void HandshakeView::setSession(Session *session)
{
    if (m_session == session)
        return;
    disconnect(m_appended);
    disconnect(m_cleared);
    m_session = session;
    if (session) {
        m_appended = connect(session->log(), &FrameLog::eventsAppended, this, &HandshakeView::onAppended);
        m_cleared = connect(session->log(), &FrameLog::cleared, this, &HandshakeView::rebuild);
    }
    rebuild();
}

void HandshakeView::rebuild()
{
    m_attempt = {};
    m_pendingNotes.clear();
    m_outcome = Outcome::None;
    if (m_session && !m_session->log()->isEmpty()) {
        const FrameLog *log = m_session->log();
        // The last request starts the attempt shown; nothing before it matters.
        qint64 start = log->endSequence() - 1;
        while (start >= log->firstSequence()) {
            const FrameEvent &event = log->at(start);
            if (event.kind == EventKind::Handshake && event.direction == Direction::Outgoing)
                break;
            --start;
        }
        if (start >= log->firstSequence()) {
            for (qint64 sequence = start; sequence < log->endSequence(); ++sequence)
                take(log->at(sequence));
        }
    }
    render();
}

void HandshakeView::onAppended(qint64 first, qint64 end)
{
    const FrameLog *log = m_session->log();
    bool changed = false;
    for (qint64 sequence = first; sequence < end; ++sequence) {
        // Messages are the bulk of a log: skip them before reading anything else.
        const EventKind kind = log->kindAt(sequence);
        if (kind == EventKind::Handshake || kind == EventKind::Error || kind == EventKind::Close)
            changed |= take(log->at(sequence));
    }
    if (changed)
        render();
}

bool HandshakeView::take(const FrameEvent &event)
{
    const bool attemptOpen = m_outcome == Outcome::Waiting
        || (m_outcome == Outcome::Failed && m_attempt.responseNs < 0);
    switch (event.kind) {
    case EventKind::Handshake:
        if (event.direction == Direction::Outgoing) {
            m_attempt = {};
            m_attempt.request = event.text;
            m_attempt.requestWallMs = event.wallMs;
            m_attempt.requestNs = event.monotonicNs;
            m_attempt.notes = std::exchange(m_pendingNotes, {});
            m_outcome = Outcome::Waiting;
            return true;
        }
        m_attempt.response = event.text;
        if (!event.acceptsUpgrade()) {
            // A refusal: shown with the error that follows it, which says why.
            return true;
        }
        m_attempt.responseNs = event.monotonicNs;
        m_outcome = Outcome::Accepted;
        return true;
    case EventKind::Error:
        if (!attemptOpen) {
            // TLS files are read before the request is sent; show their problems with it.
            if (event.error == ErrorKind::Tls)
                m_pendingNotes.append(event.text);
            return false;
        }
        // "Not sent: the session is Connecting" and the like are not about the upgrade.
        if (event.error == ErrorKind::Other || event.error == ErrorKind::None)
            return false;
        // A refused upgrade is the most precise reason; otherwise the first error explains.
        if (event.error == ErrorKind::HandshakeRejected || m_attempt.failure.isEmpty()) {
            m_attempt.failure = event.text;
            m_attempt.httpStatus = event.httpStatus;
            m_attempt.rejected = event.error == ErrorKind::HandshakeRejected;
        }
        m_outcome = Outcome::Failed;
        return true;
    case EventKind::Close:
        if (!attemptOpen)
            return false;
        if (m_attempt.failure.isEmpty()) {
            m_attempt.failure = tr("The connection ended before the server answered the upgrade "
                                   "(close code %1).").arg(event.closeCode);
        }
        // Marks the attempt as over: later errors belong to no attempt.
        m_attempt.responseNs = event.monotonicNs;
        m_outcome = Outcome::Failed;
        return true;
    default:
        return false;
    }
}

QString HandshakeView::summary() const
{
    switch (m_outcome) {
    case Outcome::None:
        return tr("No connection attempt yet");
    case Outcome::Waiting:
        return tr("Waiting for the server to answer the upgrade…");
    case Outcome::Accepted: {
        const QString subprotocol = subprotocolOf(m_attempt.response);
        return u"101 Switching Protocols · "_s
            + (subprotocol.isEmpty() ? tr("no subprotocol") : tr("subprotocol %1").arg(subprotocol));
    }
    case Outcome::Failed:
        if (m_attempt.rejected && m_attempt.httpStatus != 0) {
            const QString phrase = reasonPhrase(m_attempt.httpStatus);
            return u"HTTP %1"_s.arg(m_attempt.httpStatus)
                + (phrase.isEmpty() ? QString() : u' ' + phrase) + u" · "_s
                + tr("upgrade refused");
        }
        return m_attempt.rejected ? tr("Upgrade refused") : tr("No WebSocket connection");
    }
    return {};
}

QString HandshakeView::text() const
{
    return summary() + u'\n' + m_text->toPlainText();
}

void HandshakeView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The status and headings are coloured text: draw them in the new theme's shades.
    if (event->type() == QEvent::PaletteChange)
        render();
}

void HandshakeView::render()
{
    const QPalette colors = palette();
    QColor color;
    QString symbol;
    switch (m_outcome) {
    case Outcome::None: color = ThemeColors::muted(colors); symbol = u"○"_s; break;
    case Outcome::Waiting: color = ThemeColors::warning(colors); symbol = u"●"_s; break;
    case Outcome::Accepted: color = ThemeColors::success(colors); symbol = u"●"_s; break;
    case Outcome::Failed: color = ThemeColors::failure(colors); symbol = u"●"_s; break;
    }
    QString status = u"<span style='color:%1'>%2</span>&nbsp;<b>%3</b>"_s.arg(
        color.name(), symbol, summary().toHtmlEscaped());
    if (m_outcome == Outcome::Accepted && m_attempt.responseNs >= m_attempt.requestNs) {
        status += u"<span style='color:%1'>&nbsp;&nbsp;%2</span>"_s.arg(
            ThemeColors::muted(colors).name(),
            tr("in %1").arg(formatDuration(m_attempt.responseNs - m_attempt.requestNs)));
    }
    m_status->setText(status);

    m_text->clear();
    if (m_outcome == Outcome::None) {
        m_text->setPlaceholderText(
            tr("Connect to see the upgrade request sent and the server's answer here."));
        return;
    }
    QTextCursor cursor(m_text->document());
    QTextCharFormat heading;
    heading.setFontWeight(QFont::Bold);
    heading.setFontFamilies({font().family()});
    heading.setForeground(palette().color(QPalette::PlaceholderText));
    QTextCharFormat body;
    body.setFont(m_text->font());

    auto section = [&](const QString &title, const QString &content, bool first = false) {
        if (!first)
            cursor.insertBlock();
        cursor.insertText(title, heading);
        cursor.insertBlock();
        cursor.insertText(content, body);
        cursor.insertBlock();
    };

    for (const QString &note : std::as_const(m_attempt.notes))
        section(tr("Before the request"), note, cursor.position() == 0);
    const QString when = QDateTime::fromMSecsSinceEpoch(m_attempt.requestWallMs)
                             .toString(u"HH:mm:ss.zzz"_s);
    section(tr("Request · %1").arg(when), m_attempt.request, cursor.position() == 0);
    switch (m_outcome) {
    case Outcome::Waiting:
        section(tr("Response"), tr("(waiting…)"));
        break;
    case Outcome::Accepted:
        section(tr("Response · after %1").arg(formatDuration(m_attempt.responseNs
                                                              - m_attempt.requestNs)),
                m_attempt.response);
        break;
    case Outcome::Failed:
        if (m_attempt.rejected && m_attempt.httpStatus != 0) {
            const QString phrase = reasonPhrase(m_attempt.httpStatus);
            section(tr("Response"),
                    u"HTTP %1 %2\n"_s.arg(m_attempt.httpStatus).arg(phrase) + m_attempt.failure);
        } else {
            section(tr("No response"), m_attempt.failure);
        }
        break;
    case Outcome::None:
        break;
    }
    m_text->moveCursor(QTextCursor::Start);
}

} // namespace wsprobe
