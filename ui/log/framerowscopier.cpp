#include "framerowscopier.h"

#include "delimitedtext.h"
#include "framelogmodel.h"

#include <QElapsedTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// A copy builds its text for this long per event-loop turn, reading the clock every so many rows.
constexpr qint64 CopySliceNs = 20'000'000;
constexpr size_t CopyRowsBetweenClockReads = 256;

} // namespace

FrameRowsCopier::FrameRowsCopier(QObject *parent) : QObject(parent)
{
    m_slices.setSingleShot(true);
    m_slices.setInterval(0);
    connect(&m_slices, &QTimer::timeout, this, &FrameRowsCopier::nextSlice);
}

void FrameRowsCopier::start(const FrameLogModel *model, std::vector<qint64> sequences)
{
    cancel();
    if (!model || sequences.empty())
        return;
    m_model = model;
    m_sequences = std::move(sequences);
    nextSlice();
}

void FrameRowsCopier::cancel()
{
    m_slices.stop();
    m_sequences = {};
    m_next = 0;
    m_text = QString();
}

int FrameRowsCopier::percentDone() const
{
    return m_sequences.empty() ? 0 : int(m_next * 100 / m_sequences.size());
}

QString FrameRowsCopier::quotedField(const QString &field)
{
    return DelimitedText::quoted(field, u'\t');
}

QString FrameRowsCopier::rowsText(const FrameLogModel &model, const std::vector<qint64> &sequences,
                                  size_t first, size_t end)
{
    QString text;
    for (size_t i = first; i < end && i < sequences.size(); ++i) {
        const std::optional<FrameEvent> event = model.eventFor(sequences[i]);
        if (!event)
            continue;
        text += quotedField(timeText(*event)) + u'\t' + quotedField(displayName(event->direction)) + u'\t'
              + quotedField(typeText(*event)) + u'\t' + QString::number(event->size) + u" B\t"_s
              + quotedField(payloadText(*event)) + u'\n';
    }
    return text;
}

void FrameRowsCopier::nextSlice()
{
    // A slice is time-boxed, not counted: payloads differ in size by orders of magnitude.
    QElapsedTimer clock;
    clock.start();
    while (m_next < m_sequences.size() && clock.nsecsElapsed() < CopySliceNs) {
        const size_t end = std::min(m_sequences.size(), m_next + CopyRowsBetweenClockReads);
        m_text += rowsText(*m_model, m_sequences, m_next, end);
        m_next = end;
    }
    if (m_next < m_sequences.size()) {
        m_slices.start();
        Q_EMIT progressed();
        return;
    }
    const int rows = int(m_sequences.size());
    const QString text = std::exchange(m_text, QString());
    m_sequences = {};
    m_next = 0;
    Q_EMIT finished(text, rows);
}

} // namespace wsprobe
