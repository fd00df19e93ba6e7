#pragma once

#include "frameevent.h"

#include <QByteArrayView>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace wsprobe {

// The whole of one log event: a message as pretty JSON, raw text or a hex dump; a close's code,
// meaning, reason and initiator; a pong's round trip; the text of handshakes, errors and notes.
class FrameDetailView : public QWidget
{
    Q_OBJECT

public:
    enum Mode { JsonMode, RawMode, HexMode };
    Q_ENUM(Mode)

    // Payloads are shown up to this many bytes (and the view says when it cut).
    static constexpr qsizetype MaxShownBytes = 1024 * 1024;

    explicit FrameDetailView(QWidget *parent = nullptr);

    // The event is copied (its payload is shared, not duplicated), so the view keeps showing it
    // after the log discards it.
    void setEvent(qint64 sequence, const FrameEvent &event);
    void clear();
    qint64 sequence() const { return m_sequence; }

    // The chosen view for messages; it stays chosen from one message to the next. JSON falls
    // back to raw text (binary: hex) for a payload that is not JSON.
    Mode mode() const { return m_mode; }
    void setMode(Mode mode);

    // What the text area shows, and the line above it.
    QString text() const;
    QString summary() const;
    QString note() const;

private:
    void render();
    void renderMessage(const QByteArray &utf8, const QString &text, bool binary);

    QLabel *m_summary;
    QComboBox *m_modeBox;
    QPlainTextEdit *m_text;
    QLabel *m_note;
    FrameEvent m_event;
    qint64 m_sequence = -1;
    Mode m_mode = JsonMode;
};

// An `xxd`-style dump: offset, 16 bytes in pairs, and the printable ASCII, one line per 16
// bytes. Stops after maxBytes.
QString hexDump(QByteArrayView data, qsizetype maxBytes = FrameDetailView::MaxShownBytes);

} // namespace wsprobe
